/*
 * Intrusive red-black trees (kernel layer, libkern); the interface is
 * described in <sys/rbtree.h>.
 *
 * The tree is a binary search tree whose nodes are red or black, kept
 * so that (1) the root is black, (2) a red node has no red child and
 * (3) every path from a node down to a missing child passes the same
 * number of black nodes.  Together these bound the height by
 * 2 log2(n + 1).  Missing children (NULL) count as black.  The code
 * uses child arrays indexed by direction, so each mirror-image pair of
 * cases is written once with "dir" and "!dir".
 */

#include <sys/types.h>
#include <sys/rbtree.h>

#define RB_RED_BIT	((uintptr_t)1)

/* No valid tree is higher than this (property 3 and the size of n). */
#define RB_MAX_HEIGHT	(2 * 8 * sizeof(size_t))

/*
 * Node helpers.
 */

static inline struct rb_node *
rb_parent(const struct rb_node *n)
{

	return (struct rb_node *)(n->rb_info & ~RB_RED_BIT);
}

static inline void
rb_set_parent(struct rb_node *n, struct rb_node *p)
{

	n->rb_info = (uintptr_t)p | (n->rb_info & RB_RED_BIT);
}

static inline bool
rb_is_red(const struct rb_node *n)
{

	return n != NULL && (n->rb_info & RB_RED_BIT) != 0;
}

static inline void
rb_set_red(struct rb_node *n)
{

	n->rb_info |= RB_RED_BIT;
}

static inline void
rb_set_black(struct rb_node *n)
{

	n->rb_info &= ~RB_RED_BIT;
}

/* Give n the colour of m. */
static inline void
rb_copy_colour(struct rb_node *n, const struct rb_node *m)
{

	n->rb_info = (n->rb_info & ~RB_RED_BIT) | (m->rb_info & RB_RED_BIT);
}

static inline struct rb_node *
rb_obj2node(const struct rb_tree *t, const void *obj)
{

	return (struct rb_node *)(void *)((char *)__UNCONST(obj) +
	    t->rbt_ops->rbto_node_offset);
}

static inline void *
rb_node2obj(const struct rb_tree *t, const struct rb_node *n)
{

	return (char *)__UNCONST(n) - t->rbt_ops->rbto_node_offset;
}

/* Make new take old's place under parent (NULL: at the root). */
static inline void
rb_replace_child(struct rb_tree *t, struct rb_node *parent,
    struct rb_node *old, struct rb_node *new)
{

	if (parent == NULL)
		t->rbt_root = new;
	else if (parent->rb_nodes[RB_DIR_LEFT] == old)
		parent->rb_nodes[RB_DIR_LEFT] = new;
	else
		parent->rb_nodes[RB_DIR_RIGHT] = new;
}

/*
 * Rotate x towards dir: its child on the other side takes its place and
 * x becomes that child's dir child.  Order is preserved.
 */
static void
rb_rotate(struct rb_tree *t, struct rb_node *x, unsigned int dir)
{
	struct rb_node *y = x->rb_nodes[!dir];
	struct rb_node *inner = y->rb_nodes[dir];
	struct rb_node *p = rb_parent(x);

	x->rb_nodes[!dir] = inner;
	if (inner != NULL)
		rb_set_parent(inner, x);
	rb_set_parent(y, p);
	rb_replace_child(t, p, x, y);
	y->rb_nodes[dir] = x;
	rb_set_parent(x, y);
}

/* The node furthest in direction dir below n (n itself if none). */
static inline struct rb_node *
rb_extreme(struct rb_node *n, unsigned int dir)
{

	while (n->rb_nodes[dir] != NULL)
		n = n->rb_nodes[dir];
	return n;
}

/* The neighbour of n in direction dir, or NULL. */
static struct rb_node *
rb_step(struct rb_node *n, unsigned int dir)
{
	struct rb_node *p;

	if (n->rb_nodes[dir] != NULL)
		return rb_extreme(n->rb_nodes[dir], !dir);
	/* Climb until we come up from the other side. */
	for (;;) {
		p = rb_parent(n);
		if (p == NULL || p->rb_nodes[!dir] == n)
			return p;
		n = p;
	}
}

/*
 * Interface.
 */

void
rb_tree_init(struct rb_tree *t, const struct rb_tree_ops *ops)
{

	t->rbt_root = NULL;
	t->rbt_ops = ops;
	t->rbt_count = 0;
}

size_t
rb_tree_count(const struct rb_tree *t)
{

	return t->rbt_count;
}

void *
rb_tree_find_node(struct rb_tree *t, const void *key)
{
	const struct rb_tree_ops *ops = t->rbt_ops;
	struct rb_node *n = t->rbt_root;
	int diff;

	while (n != NULL) {
		diff = (*ops->rbto_compare_key)(ops->rbto_context,
		    rb_node2obj(t, n), key);
		if (diff == 0)
			return rb_node2obj(t, n);
		n = n->rb_nodes[diff < 0 ? RB_DIR_RIGHT : RB_DIR_LEFT];
	}
	return NULL;
}

void *
rb_tree_find_node_geq(struct rb_tree *t, const void *key)
{
	const struct rb_tree_ops *ops = t->rbt_ops;
	struct rb_node *n = t->rbt_root, *best = NULL;
	int diff;

	while (n != NULL) {
		diff = (*ops->rbto_compare_key)(ops->rbto_context,
		    rb_node2obj(t, n), key);
		if (diff == 0)
			return rb_node2obj(t, n);
		if (diff > 0) {
			/* A candidate; look for a smaller one. */
			best = n;
			n = n->rb_nodes[RB_DIR_LEFT];
		} else
			n = n->rb_nodes[RB_DIR_RIGHT];
	}
	return best == NULL ? NULL : rb_node2obj(t, best);
}

void *
rb_tree_find_node_leq(struct rb_tree *t, const void *key)
{
	const struct rb_tree_ops *ops = t->rbt_ops;
	struct rb_node *n = t->rbt_root, *best = NULL;
	int diff;

	while (n != NULL) {
		diff = (*ops->rbto_compare_key)(ops->rbto_context,
		    rb_node2obj(t, n), key);
		if (diff == 0)
			return rb_node2obj(t, n);
		if (diff < 0) {
			/* A candidate; look for a larger one. */
			best = n;
			n = n->rb_nodes[RB_DIR_RIGHT];
		} else
			n = n->rb_nodes[RB_DIR_LEFT];
	}
	return best == NULL ? NULL : rb_node2obj(t, best);
}

void *
rb_tree_iterate(struct rb_tree *t, void *obj, unsigned int dir)
{
	struct rb_node *n;

	dir = dir == RB_DIR_LEFT ? RB_DIR_LEFT : RB_DIR_RIGHT;
	if (obj == NULL) {
		if (t->rbt_root == NULL)
			return NULL;
		n = rb_extreme(t->rbt_root, !dir);
	} else
		n = rb_step(rb_obj2node(t, obj), dir);
	return n == NULL ? NULL : rb_node2obj(t, n);
}

void *
rb_tree_insert_node(struct rb_tree *t, void *obj)
{
	const struct rb_tree_ops *ops = t->rbt_ops;
	struct rb_node *n, *p, *g, *u, *cur;
	unsigned int dir = RB_DIR_LEFT, pdir;
	int diff;

	/* Find the place, or an equal object. */
	p = NULL;
	for (cur = t->rbt_root; cur != NULL; cur = cur->rb_nodes[dir]) {
		diff = (*ops->rbto_compare_nodes)(ops->rbto_context, obj,
		    rb_node2obj(t, cur));
		if (diff == 0)
			return rb_node2obj(t, cur);
		p = cur;
		dir = diff < 0 ? RB_DIR_LEFT : RB_DIR_RIGHT;
	}

	/* Link it in, red. */
	n = rb_obj2node(t, obj);
	n->rb_nodes[RB_DIR_LEFT] = NULL;
	n->rb_nodes[RB_DIR_RIGHT] = NULL;
	n->rb_info = (uintptr_t)p | RB_RED_BIT;
	if (p == NULL)
		t->rbt_root = n;
	else
		p->rb_nodes[dir] = n;
	t->rbt_count++;

	/* Repair red-red violations from n upwards. */
	while ((p = rb_parent(n)) != NULL && rb_is_red(p)) {
		/* p is red, so it is not the root and g exists. */
		g = rb_parent(p);
		pdir = g->rb_nodes[RB_DIR_RIGHT] == p ? RB_DIR_RIGHT :
		    RB_DIR_LEFT;
		u = g->rb_nodes[!pdir];
		if (rb_is_red(u)) {
			/* Red uncle: push the blackness down from g. */
			rb_set_black(p);
			rb_set_black(u);
			rb_set_red(g);
			n = g;
			continue;
		}
		if (p->rb_nodes[!pdir] == n) {
			/* n is an inner grandchild: make it an outer one. */
			rb_rotate(t, p, pdir);
			n = p;
			p = rb_parent(n);
		}
		/* Outer grandchild: rotate g away and recolour. */
		rb_set_black(p);
		rb_set_red(g);
		rb_rotate(t, g, !pdir);
		break;
	}
	rb_set_black(t->rbt_root);
	return obj;
}

/*
 * Restore property 3 after a black node was removed from the dir side
 * of p, where x (maybe NULL) now stands: that side lacks one black.
 */
static void
rb_remove_fixup(struct rb_tree *t, struct rb_node *x, struct rb_node *p,
    unsigned int dir)
{
	struct rb_node *s;

	while (p != NULL && !rb_is_red(x)) {
		/* The sibling exists: its side has at least one black. */
		s = p->rb_nodes[!dir];
		if (rb_is_red(s)) {
			/* Make the sibling black by rotating it above p. */
			rb_set_black(s);
			rb_set_red(p);
			rb_rotate(t, p, dir);
			s = p->rb_nodes[!dir];
		}
		if (!rb_is_red(s->rb_nodes[RB_DIR_LEFT]) &&
		    !rb_is_red(s->rb_nodes[RB_DIR_RIGHT])) {
			/* Take a black from both sides; p's side lacks it. */
			rb_set_red(s);
			x = p;
			p = rb_parent(x);
			if (p != NULL)
				dir = p->rb_nodes[RB_DIR_RIGHT] == x ?
				    RB_DIR_RIGHT : RB_DIR_LEFT;
			continue;
		}
		if (!rb_is_red(s->rb_nodes[!dir])) {
			/* Only the inner nephew is red: make it the outer. */
			rb_set_black(s->rb_nodes[dir]);
			rb_set_red(s);
			rb_rotate(t, s, !dir);
			s = p->rb_nodes[!dir];
		}
		/* The outer nephew is red: rotate p down to our side. */
		rb_copy_colour(s, p);
		rb_set_black(p);
		rb_set_black(s->rb_nodes[!dir]);
		rb_rotate(t, p, dir);
		x = t->rbt_root;
		break;
	}
	if (x != NULL)
		rb_set_black(x);
}

void
rb_tree_remove_node(struct rb_tree *t, void *obj)
{
	struct rb_node *z = rb_obj2node(t, obj);
	struct rb_node *y, *x, *xp;
	unsigned int dir;
	bool black_removed;

	if (z->rb_nodes[RB_DIR_LEFT] == NULL ||
	    z->rb_nodes[RB_DIR_RIGHT] == NULL) {
		/* At most one child: splice z out. */
		x = z->rb_nodes[z->rb_nodes[RB_DIR_LEFT] == NULL ?
		    RB_DIR_RIGHT : RB_DIR_LEFT];
		xp = rb_parent(z);
		dir = xp != NULL && xp->rb_nodes[RB_DIR_RIGHT] == z ?
		    RB_DIR_RIGHT : RB_DIR_LEFT;
		rb_replace_child(t, xp, z, x);
		if (x != NULL)
			rb_set_parent(x, xp);
		black_removed = !rb_is_red(z);
	} else {
		/*
		 * Two children: the successor y (which has no left child)
		 * takes z's place and colour, so the black is missing where
		 * y was.
		 */
		y = rb_extreme(z->rb_nodes[RB_DIR_RIGHT], RB_DIR_LEFT);
		x = y->rb_nodes[RB_DIR_RIGHT];
		black_removed = !rb_is_red(y);
		if (rb_parent(y) == z) {
			xp = y;
			dir = RB_DIR_RIGHT;
		} else {
			xp = rb_parent(y);
			dir = RB_DIR_LEFT;
			xp->rb_nodes[RB_DIR_LEFT] = x;
			if (x != NULL)
				rb_set_parent(x, xp);
			y->rb_nodes[RB_DIR_RIGHT] = z->rb_nodes[RB_DIR_RIGHT];
			rb_set_parent(y->rb_nodes[RB_DIR_RIGHT], y);
		}
		rb_replace_child(t, rb_parent(z), z, y);
		rb_set_parent(y, rb_parent(z));
		y->rb_nodes[RB_DIR_LEFT] = z->rb_nodes[RB_DIR_LEFT];
		rb_set_parent(y->rb_nodes[RB_DIR_LEFT], y);
		rb_copy_colour(y, z);
	}
	t->rbt_count--;
	if (black_removed)
		rb_remove_fixup(t, x, xp, dir);

	/* Leave nothing in z that leads back into the tree. */
	z->rb_nodes[RB_DIR_LEFT] = NULL;
	z->rb_nodes[RB_DIR_RIGHT] = NULL;
	z->rb_info = 0;
}

/*
 * Checking.
 */

/*
 * Check the subtree at n, whose parent must be p: parent links, no red
 * node with a red child, equal black heights (returned in *bhp), and a
 * bounded height.  Counts the nodes in *countp.
 */
static bool
rb_check_subtree(const struct rb_node *n, const struct rb_node *p,
    size_t depth, size_t *countp, size_t *bhp)
{
	size_t lbh, rbh;

	if (n == NULL) {
		*bhp = 1;
		return true;
	}
	if (depth > RB_MAX_HEIGHT || rb_parent(n) != p)
		return false;
	if (rb_is_red(n) && (rb_is_red(n->rb_nodes[RB_DIR_LEFT]) ||
	    rb_is_red(n->rb_nodes[RB_DIR_RIGHT])))
		return false;
	if (!rb_check_subtree(n->rb_nodes[RB_DIR_LEFT], n, depth + 1, countp,
	    &lbh) ||
	    !rb_check_subtree(n->rb_nodes[RB_DIR_RIGHT], n, depth + 1, countp,
	    &rbh) ||
	    lbh != rbh)
		return false;
	(*countp)++;
	*bhp = lbh + (rb_is_red(n) ? 0 : 1);
	return true;
}

bool
rb_tree_check(const struct rb_tree *t)
{
	const struct rb_tree_ops *ops = t->rbt_ops;
	struct rb_node *n, *prev;
	size_t count = 0, bh;

	if (rb_is_red(t->rbt_root))
		return false;
	if (!rb_check_subtree(t->rbt_root, NULL, 0, &count, &bh))
		return false;
	if (count != t->rbt_count)
		return false;

	/* The structure is sound; now the in-order walk must ascend. */
	if (t->rbt_root == NULL)
		return true;
	prev = rb_extreme(t->rbt_root, RB_DIR_LEFT);
	count = 1;
	while ((n = rb_step(prev, RB_DIR_RIGHT)) != NULL) {
		if ((*ops->rbto_compare_nodes)(ops->rbto_context,
		    rb_node2obj(t, prev), rb_node2obj(t, n)) >= 0)
			return false;
		prev = n;
		count++;
	}
	return count == t->rbt_count;
}
