/*
 * Intrusive red-black trees (kernel layer; the code is in
 * lib/libkern/rbtree.c).  An object that lives in a tree embeds a
 * struct rb_node; the tree finds it at rbto_node_offset and orders
 * objects with the two comparison functions of its rb_tree_ops.
 * Insertion, removal and lookup are O(log n), iteration from one object
 * to the next is amortised O(1), and nothing is ever allocated.  The
 * tree does no locking of its own.
 *
 * Comparators return a negative number, zero or a positive number as
 * their first object is less than, equal to or greater than the second
 * argument: rbto_compare_nodes(ctx, a, b) compares two objects, and
 * rbto_compare_key(ctx, obj, key) compares an object with a key.
 */
#ifndef _SYS_RBTREE_H_
#define _SYS_RBTREE_H_

#include <sys/types.h>

/* Directions: towards smaller and towards larger objects. */
#define RB_DIR_LEFT	0
#define RB_DIR_RIGHT	1

/*
 * The links of an object.  rb_info holds the parent pointer, with the
 * colour in its lowest bit (1 for red); nodes are at least pointer
 * aligned, so that bit of an address is always free.  Private to
 * rbtree.c.
 */
struct rb_node {
	struct rb_node	*rb_nodes[2];	/* children, by RB_DIR_* */
	uintptr_t	rb_info;	/* parent | colour */
};

typedef int (*rbto_compare_nodes_fn)(void *, const void *, const void *);
typedef int (*rbto_compare_key_fn)(void *, const void *, const void *);

struct rb_tree_ops {
	rbto_compare_nodes_fn	rbto_compare_nodes;
	rbto_compare_key_fn	rbto_compare_key;
	size_t			rbto_node_offset; /* of the rb_node */
	void			*rbto_context;	/* first comparator arg */
};

struct rb_tree {
	struct rb_node		*rbt_root;
	const struct rb_tree_ops *rbt_ops;
	size_t			rbt_count;
};

/* Make an empty tree; ops must outlive it. */
void	rb_tree_init(struct rb_tree *, const struct rb_tree_ops *);

/*
 * Insert obj and return it, or, if an equal object is already in the
 * tree, return that one and leave the tree unchanged.
 */
void	*rb_tree_insert_node(struct rb_tree *, void *);

/* Remove an object that is in the tree. */
void	rb_tree_remove_node(struct rb_tree *, void *);

/*
 * Lookup by key: the object equal to the key, the smallest object
 * greater than or equal to it, the largest less than or equal to it;
 * NULL if there is none.
 */
void	*rb_tree_find_node(struct rb_tree *, const void *);
void	*rb_tree_find_node_geq(struct rb_tree *, const void *);
void	*rb_tree_find_node_leq(struct rb_tree *, const void *);

/*
 * The neighbour of obj in the given direction (RB_DIR_RIGHT: the next
 * larger), or NULL at the end.  With obj NULL, the first object in that
 * direction: the minimum for RB_DIR_RIGHT, the maximum for RB_DIR_LEFT.
 */
void	*rb_tree_iterate(struct rb_tree *, void *, unsigned int);

size_t	rb_tree_count(const struct rb_tree *);

/*
 * Verify the red-black invariants, the parent links, the order of the
 * objects and the count; for tests and debugging, O(n).
 */
bool	rb_tree_check(const struct rb_tree *);

#define RB_TREE_MIN(t)		rb_tree_iterate((t), NULL, RB_DIR_RIGHT)
#define RB_TREE_MAX(t)		rb_tree_iterate((t), NULL, RB_DIR_LEFT)
#define RB_TREE_NEXT(t, o)	rb_tree_iterate((t), (o), RB_DIR_RIGHT)
#define RB_TREE_PREV(t, o)	rb_tree_iterate((t), (o), RB_DIR_LEFT)

/* Walk all objects in order; the body must not remove o. */
#define RB_TREE_FOREACH(o, t)						\
	for ((o) = RB_TREE_MIN(t); (o) != NULL; (o) = RB_TREE_NEXT((t), (o)))
#define RB_TREE_FOREACH_REVERSE(o, t)					\
	for ((o) = RB_TREE_MAX(t); (o) != NULL; (o) = RB_TREE_PREV((t), (o)))

#endif /* !_SYS_RBTREE_H_ */
