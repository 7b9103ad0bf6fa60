/*
 * Intrusive lists (kernel layer; header only, so host code such as tests
 * may use it too): the BSD list macros.  An element embeds an ENTRY
 * field; a list is a HEAD.
 *
 * SLIST	singly-linked list; O(1) insertion at the head, O(n) removal
 *		of an arbitrary element.  The smallest.
 * LIST		doubly-linked list; O(1) insertion before/after any element
 *		and O(1) removal, but no tail pointer.
 * STAILQ	singly-linked tail queue; O(1) insertion at both ends, O(n)
 *		removal of an arbitrary element.  A FIFO.
 * TAILQ	doubly-linked tail queue; everything O(1), and traversal in
 *		both directions.
 *
 * The *_FOREACH_SAFE forms allow the loop body to remove (and free) the
 * current element.  TAILQ_LAST, TAILQ_PREV and TAILQ_FOREACH_REVERSE need
 * the name of the head structure, so a TAILQ walked backwards must have a
 * named head (TAILQ_HEAD(name, type)).  Macro arguments may be evaluated
 * more than once.
 */
#ifndef _SYS_QUEUE_H_
#define _SYS_QUEUE_H_

#include <sys/types.h>

/*
 * Singly-linked lists.
 */
#define SLIST_HEAD(name, type)						\
struct name {								\
	struct type *slh_first;	/* first element */			\
}

#define SLIST_HEAD_INITIALIZER(head)					\
	{ NULL }

#define SLIST_ENTRY(type)						\
struct {								\
	struct type *sle_next;	/* next element */			\
}

#define SLIST_FIRST(head)	((head)->slh_first)
#define SLIST_EMPTY(head)	((head)->slh_first == NULL)
#define SLIST_NEXT(elm, field)	((elm)->field.sle_next)

#define SLIST_FOREACH(var, head, field)					\
	for ((var) = SLIST_FIRST(head);					\
	    (var) != NULL;						\
	    (var) = SLIST_NEXT(var, field))

#define SLIST_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = SLIST_FIRST(head);					\
	    (var) != NULL && ((tvar) = SLIST_NEXT(var, field), 1);	\
	    (var) = (tvar))

#define SLIST_INIT(head) do {						\
	(head)->slh_first = NULL;					\
} while (/* CONSTCOND */ 0)

#define SLIST_INSERT_HEAD(head, elm, field) do {			\
	(elm)->field.sle_next = (head)->slh_first;			\
	(head)->slh_first = (elm);					\
} while (/* CONSTCOND */ 0)

#define SLIST_INSERT_AFTER(slistelm, elm, field) do {			\
	(elm)->field.sle_next = (slistelm)->field.sle_next;		\
	(slistelm)->field.sle_next = (elm);				\
} while (/* CONSTCOND */ 0)

#define SLIST_REMOVE_HEAD(head, field) do {				\
	(head)->slh_first = (head)->slh_first->field.sle_next;		\
} while (/* CONSTCOND */ 0)

#define SLIST_REMOVE_AFTER(slistelm, field) do {			\
	(slistelm)->field.sle_next =					\
	    (slistelm)->field.sle_next->field.sle_next;			\
} while (/* CONSTCOND */ 0)

/* O(n): the element must be on the list. */
#define SLIST_REMOVE(head, elm, type, field) do {			\
	if ((head)->slh_first == (elm)) {				\
		SLIST_REMOVE_HEAD((head), field);			\
	} else {							\
		struct type *_slist_cur = (head)->slh_first;		\
		while (_slist_cur->field.sle_next != (elm))		\
			_slist_cur = _slist_cur->field.sle_next;	\
		SLIST_REMOVE_AFTER(_slist_cur, field);			\
	}								\
} while (/* CONSTCOND */ 0)

/*
 * Doubly-linked lists.  le_prev points at the previous element's
 * le_next (or at the head's lh_first), so removal needs no head.
 */
#define LIST_HEAD(name, type)						\
struct name {								\
	struct type *lh_first;	/* first element */			\
}

#define LIST_HEAD_INITIALIZER(head)					\
	{ NULL }

#define LIST_ENTRY(type)						\
struct {								\
	struct type *le_next;	/* next element */			\
	struct type **le_prev;	/* address of the previous le_next */	\
}

#define LIST_FIRST(head)	((head)->lh_first)
#define LIST_EMPTY(head)	((head)->lh_first == NULL)
#define LIST_NEXT(elm, field)	((elm)->field.le_next)

#define LIST_FOREACH(var, head, field)					\
	for ((var) = LIST_FIRST(head);					\
	    (var) != NULL;						\
	    (var) = LIST_NEXT(var, field))

#define LIST_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = LIST_FIRST(head);					\
	    (var) != NULL && ((tvar) = LIST_NEXT(var, field), 1);	\
	    (var) = (tvar))

#define LIST_INIT(head) do {						\
	(head)->lh_first = NULL;					\
} while (/* CONSTCOND */ 0)

#define LIST_INSERT_HEAD(head, elm, field) do {				\
	if (((elm)->field.le_next = (head)->lh_first) != NULL)		\
		(head)->lh_first->field.le_prev = &(elm)->field.le_next;\
	(head)->lh_first = (elm);					\
	(elm)->field.le_prev = &(head)->lh_first;			\
} while (/* CONSTCOND */ 0)

#define LIST_INSERT_AFTER(listelm, elm, field) do {			\
	if (((elm)->field.le_next = (listelm)->field.le_next) != NULL)	\
		(listelm)->field.le_next->field.le_prev =		\
		    &(elm)->field.le_next;				\
	(listelm)->field.le_next = (elm);				\
	(elm)->field.le_prev = &(listelm)->field.le_next;		\
} while (/* CONSTCOND */ 0)

#define LIST_INSERT_BEFORE(listelm, elm, field) do {			\
	(elm)->field.le_prev = (listelm)->field.le_prev;		\
	(elm)->field.le_next = (listelm);				\
	*(listelm)->field.le_prev = (elm);				\
	(listelm)->field.le_prev = &(elm)->field.le_next;		\
} while (/* CONSTCOND */ 0)

#define LIST_REMOVE(elm, field) do {					\
	if ((elm)->field.le_next != NULL)				\
		(elm)->field.le_next->field.le_prev =			\
		    (elm)->field.le_prev;				\
	*(elm)->field.le_prev = (elm)->field.le_next;			\
} while (/* CONSTCOND */ 0)

/*
 * Singly-linked tail queues.  stqh_last points at the last element's
 * stqe_next (or at stqh_first when empty).
 */
#define STAILQ_HEAD(name, type)						\
struct name {								\
	struct type *stqh_first;	/* first element */		\
	struct type **stqh_last;	/* address of the last next */	\
}

#define STAILQ_HEAD_INITIALIZER(head)					\
	{ NULL, &(head).stqh_first }

#define STAILQ_ENTRY(type)						\
struct {								\
	struct type *stqe_next;	/* next element */			\
}

#define STAILQ_FIRST(head)	((head)->stqh_first)
#define STAILQ_EMPTY(head)	((head)->stqh_first == NULL)
#define STAILQ_NEXT(elm, field)	((elm)->field.stqe_next)

/* The last element, or NULL; type is the element's struct tag. */
#define STAILQ_LAST(head, type, field)					\
	(STAILQ_EMPTY(head) ? NULL :					\
	    ((struct type *)(void *)((char *)((head)->stqh_last) -	\
	    __builtin_offsetof(struct type, field.stqe_next))))

#define STAILQ_FOREACH(var, head, field)				\
	for ((var) = STAILQ_FIRST(head);				\
	    (var) != NULL;						\
	    (var) = STAILQ_NEXT(var, field))

#define STAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = STAILQ_FIRST(head);				\
	    (var) != NULL && ((tvar) = STAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))

#define STAILQ_INIT(head) do {						\
	(head)->stqh_first = NULL;					\
	(head)->stqh_last = &(head)->stqh_first;			\
} while (/* CONSTCOND */ 0)

#define STAILQ_INSERT_HEAD(head, elm, field) do {			\
	if (((elm)->field.stqe_next = (head)->stqh_first) == NULL)	\
		(head)->stqh_last = &(elm)->field.stqe_next;		\
	(head)->stqh_first = (elm);					\
} while (/* CONSTCOND */ 0)

#define STAILQ_INSERT_TAIL(head, elm, field) do {			\
	(elm)->field.stqe_next = NULL;					\
	*(head)->stqh_last = (elm);					\
	(head)->stqh_last = &(elm)->field.stqe_next;			\
} while (/* CONSTCOND */ 0)

#define STAILQ_INSERT_AFTER(head, listelm, elm, field) do {		\
	if (((elm)->field.stqe_next = (listelm)->field.stqe_next) == NULL)\
		(head)->stqh_last = &(elm)->field.stqe_next;		\
	(listelm)->field.stqe_next = (elm);				\
} while (/* CONSTCOND */ 0)

#define STAILQ_REMOVE_HEAD(head, field) do {				\
	if (((head)->stqh_first =					\
	    (head)->stqh_first->field.stqe_next) == NULL)		\
		(head)->stqh_last = &(head)->stqh_first;		\
} while (/* CONSTCOND */ 0)

#define STAILQ_REMOVE_AFTER(head, elm, field) do {			\
	if (((elm)->field.stqe_next =					\
	    (elm)->field.stqe_next->field.stqe_next) == NULL)		\
		(head)->stqh_last = &(elm)->field.stqe_next;		\
} while (/* CONSTCOND */ 0)

/* O(n): the element must be on the queue. */
#define STAILQ_REMOVE(head, elm, type, field) do {			\
	if ((head)->stqh_first == (elm)) {				\
		STAILQ_REMOVE_HEAD((head), field);			\
	} else {							\
		struct type *_stailq_cur = (head)->stqh_first;		\
		while (_stailq_cur->field.stqe_next != (elm))		\
			_stailq_cur = _stailq_cur->field.stqe_next;	\
		STAILQ_REMOVE_AFTER((head), _stailq_cur, field);	\
	}								\
} while (/* CONSTCOND */ 0)

/* Append head2 to head1 and leave head2 empty. */
#define STAILQ_CONCAT(head1, head2) do {				\
	if (!STAILQ_EMPTY(head2)) {					\
		*(head1)->stqh_last = (head2)->stqh_first;		\
		(head1)->stqh_last = (head2)->stqh_last;		\
		STAILQ_INIT(head2);					\
	}								\
} while (/* CONSTCOND */ 0)

/*
 * Tail queues.  tqe_prev points at the previous element's tqe_next (or
 * at tqh_first), and tqh_last at the last element's tqe_next.  The head
 * and the entry have the same layout, which is how TAILQ_LAST and
 * TAILQ_PREV step backwards: the "previous next pointer" is the first
 * member of a structure laid out like the head, whose second member
 * leads one element further back.
 */
#define TAILQ_HEAD(name, type)						\
struct name {								\
	struct type *tqh_first;	/* first element */			\
	struct type **tqh_last;	/* address of the last tqe_next */	\
}

#define TAILQ_HEAD_INITIALIZER(head)					\
	{ NULL, &(head).tqh_first }

#define TAILQ_ENTRY(type)						\
struct {								\
	struct type *tqe_next;	/* next element */			\
	struct type **tqe_prev;	/* address of the previous tqe_next */	\
}

#define TAILQ_FIRST(head)	((head)->tqh_first)
#define TAILQ_EMPTY(head)	((head)->tqh_first == NULL)
#define TAILQ_NEXT(elm, field)	((elm)->field.tqe_next)
#define TAILQ_LAST(head, headname)					\
	(*(((struct headname *)(void *)((head)->tqh_last))->tqh_last))
#define TAILQ_PREV(elm, headname, field)				\
	(*(((struct headname *)(void *)((elm)->field.tqe_prev))->tqh_last))

#define TAILQ_FOREACH(var, head, field)					\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL;						\
	    (var) = TAILQ_NEXT(var, field))

#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))

#define TAILQ_FOREACH_REVERSE(var, head, headname, field)		\
	for ((var) = TAILQ_LAST(head, headname);			\
	    (var) != NULL;						\
	    (var) = TAILQ_PREV(var, headname, field))

#define TAILQ_FOREACH_REVERSE_SAFE(var, head, headname, field, tvar)	\
	for ((var) = TAILQ_LAST(head, headname);			\
	    (var) != NULL &&						\
	    ((tvar) = TAILQ_PREV(var, headname, field), 1);		\
	    (var) = (tvar))

#define TAILQ_INIT(head) do {						\
	(head)->tqh_first = NULL;					\
	(head)->tqh_last = &(head)->tqh_first;				\
} while (/* CONSTCOND */ 0)

#define TAILQ_INSERT_HEAD(head, elm, field) do {			\
	if (((elm)->field.tqe_next = (head)->tqh_first) != NULL)	\
		(head)->tqh_first->field.tqe_prev =			\
		    &(elm)->field.tqe_next;				\
	else								\
		(head)->tqh_last = &(elm)->field.tqe_next;		\
	(head)->tqh_first = (elm);					\
	(elm)->field.tqe_prev = &(head)->tqh_first;			\
} while (/* CONSTCOND */ 0)

#define TAILQ_INSERT_TAIL(head, elm, field) do {			\
	(elm)->field.tqe_next = NULL;					\
	(elm)->field.tqe_prev = (head)->tqh_last;			\
	*(head)->tqh_last = (elm);					\
	(head)->tqh_last = &(elm)->field.tqe_next;			\
} while (/* CONSTCOND */ 0)

#define TAILQ_INSERT_AFTER(head, listelm, elm, field) do {		\
	if (((elm)->field.tqe_next = (listelm)->field.tqe_next) != NULL)\
		(elm)->field.tqe_next->field.tqe_prev =			\
		    &(elm)->field.tqe_next;				\
	else								\
		(head)->tqh_last = &(elm)->field.tqe_next;		\
	(listelm)->field.tqe_next = (elm);				\
	(elm)->field.tqe_prev = &(listelm)->field.tqe_next;		\
} while (/* CONSTCOND */ 0)

#define TAILQ_INSERT_BEFORE(listelm, elm, field) do {			\
	(elm)->field.tqe_prev = (listelm)->field.tqe_prev;		\
	(elm)->field.tqe_next = (listelm);				\
	*(listelm)->field.tqe_prev = (elm);				\
	(listelm)->field.tqe_prev = &(elm)->field.tqe_next;		\
} while (/* CONSTCOND */ 0)

#define TAILQ_REMOVE(head, elm, field) do {				\
	if ((elm)->field.tqe_next != NULL)				\
		(elm)->field.tqe_next->field.tqe_prev =			\
		    (elm)->field.tqe_prev;				\
	else								\
		(head)->tqh_last = (elm)->field.tqe_prev;		\
	*(elm)->field.tqe_prev = (elm)->field.tqe_next;			\
} while (/* CONSTCOND */ 0)

/* Append head2 to head1 and leave head2 empty. */
#define TAILQ_CONCAT(head1, head2, field) do {				\
	if (!TAILQ_EMPTY(head2)) {					\
		*(head1)->tqh_last = (head2)->tqh_first;		\
		(head2)->tqh_first->field.tqe_prev = (head1)->tqh_last;	\
		(head1)->tqh_last = (head2)->tqh_last;			\
		TAILQ_INIT(head2);					\
	}								\
} while (/* CONSTCOND */ 0)

#endif /* !_SYS_QUEUE_H_ */
