/*
 * fsck_ffs pass 3 (host program): every directory must be reachable
 * from the root through the names found in pass 2.  The topmost
 * directory of a part cut off from the root (or one directory of a
 * loop of them) moves into lost+found, which is made if missing; then
 * each directory's ".." is made to name its parent.
 */

#include <stdio.h>

#include "fsck_ffs.h"

/*
 * The lost+found directory, made in the root if there is none (once
 * asked).  Returns its inode, or 0.
 */
static uint32_t
lostfound(void)
{
	static int tried;
	struct dirinfo *dr;
	union dinode di;
	uint32_t ino;

	if (ck.lfino != 0 && ck.lfino < ck.maxino &&
	    ck.ino[ck.lfino].is_state == IS_DIR)
		return ck.lfino;
	if (tried)
		return 0;
	tried = 1;
	if (ck.lfino != 0) {
		note("lost+found is not a directory: nothing can be moved "
		    "there");
		return 0;
	}
	if (ck.ino[FFS_ROOTINO].is_state != IS_DIR ||
	    !problem(PROBLEM, "root directory: no lost+found: make it"))
		return 0;
	if ((ino = dir_make(FFS_ROOTINO, 0, 0700)) == 0) {
		unfixed("no free inode or fragment for it");
		return 0;
	}
	if (dir_add(FFS_ROOTINO, ino, "lost+found", FFS_DT_DIR) != 0) {
		unfixed("no room for it in the root directory");
		if (inode_read(ino, &di) == 0) {
			inode_release(ino, &di, -1);
			inode_clear(ino, &di);
		}
		return 0;
	}
	if ((dr = dir_find(ino)) != NULL) {
		dr->dr_reach = 1;
		dr->dr_parentoff = -1;
	}
	ck.ino[ino].is_nref = 1;
	ck.lfino = ino;
	return ino;
}

/*
 * Give inode ino (a file or directory no directory names now) a name in
 * lost+found: "#" and its number.  Returns 0, or -1 (reported).
 */
int
reconnect(uint32_t ino)
{
	struct dirinfo *dr;
	char name[16];
	uint32_t lf;

	if ((lf = lostfound()) == 0) {
		unfixed("no lost+found directory");
		return -1;
	}
	snprintf(name, sizeof(name), "#%u", ino);
	if (dir_add(lf, ino, name, ck.ino[ino].is_type) != 0) {
		unfixed("no room in lost+found");
		return -1;
	}
	if (ck.ino[ino].is_nref < UINT16_MAX)
		ck.ino[ino].is_nref++;
	if ((dr = dir_find(ino)) != NULL) {
		dr->dr_parent = lf;
		dr->dr_parentoff = -1;
	}
	return 0;
}

/*
 * Follow the parents of directory ino up to one that reaches the root,
 * one without a parent, or one met before on this walk (a loop).
 * Returns the last directory met.
 */
static struct dirinfo *
climb(uint32_t ino, uint32_t walkid)
{
	struct dirinfo *dr = dir_find(ino), *up;

	for (;;) {
		if (dr->dr_reach || dr->dr_mark == walkid)
			return dr;
		dr->dr_mark = walkid;
		if (dr->dr_parent == 0 || dr->dr_parent >= ck.maxino ||
		    ck.ino[dr->dr_parent].is_state != IS_DIR ||
		    (up = dir_find(dr->dr_parent)) == NULL)
			return dr;
		dr = up;
	}
}

/* Mark ino and its parents reachable, up to one that already is. */
static void
mark_reached(uint32_t ino)
{
	struct dirinfo *dr = dir_find(ino);

	while (dr != NULL && !dr->dr_reach) {
		dr->dr_reach = 1;
		if (dr->dr_parent == 0 || dr->dr_parent >= ck.maxino)
			break;
		dr = dir_find(dr->dr_parent);
	}
}

/* Connect the part holding directory ino to the root. */
static void
connect_dir(uint32_t ino, uint32_t walkid)
{
	struct dirinfo *top;
	uint32_t topino, parent;
	int64_t parentoff;
	int loop, yes;

	top = climb(ino, walkid);
	if (!top->dr_reach) {
		topino = top->dr_ino;
		parent = top->dr_parent;
		parentoff = top->dr_parentoff;
		loop = parent != 0 && parent < ck.maxino &&
		    ck.ino[parent].is_state == IS_DIR;
		if (loop)
			yes = problem(PROBLEM, "directory %u: in a loop of "
			    "directories cut off from the root: move it to "
			    "lost+found", topino);
		else
			yes = problem(PROBLEM, "directory %u: not connected "
			    "to the root: move it to lost+found", topino);
		if (yes && loop && parentoff >= 0) {
			if (dir_remove(parent, parentoff) == 0 &&
			    ck.ino[topino].is_nref > 0)
				ck.ino[topino].is_nref--;
		}
		/* reconnect() may move the table: look it up again. */
		if (!yes || reconnect(topino) != 0)
			dir_find(topino)->dr_parent = 0;
		dir_find(topino)->dr_reach = 1;
	}
	mark_reached(ino);
}

void
pass3(void)
{
	struct dirinfo *dr;
	uint32_t ino, walkid = 0;
	size_t i;
	int yes;

	if (ck.ino[FFS_ROOTINO].is_state != IS_DIR) {
		yes = ck.ino[FFS_ROOTINO].is_state == IS_FREE &&
		    problem(PROBLEM, "root directory: missing: make a new one");
		if (!yes || dir_make(FFS_ROOTINO, FFS_ROOTINO, 0755) == 0) {
			if (yes)
				unfixed("no free fragment for it");
			note("no root directory: connections not checked");
			for (i = 0; i < ck.ndirs; i++)
				ck.dirs[i].dr_reach = 1;
			return;
		}
	}
	dr = dir_find(FFS_ROOTINO);
	dr->dr_parent = FFS_ROOTINO;
	dr->dr_reach = 1;

	for (i = 0; i < ck.ndirs; i++) {
		ino = ck.dirs[i].dr_ino;
		if (ck.ino[ino].is_state == IS_DIR && !ck.dirs[i].dr_reach)
			connect_dir(ino, ++walkid);
	}

	for (i = 0; i < ck.ndirs; i++) {
		dr = &ck.dirs[i];
		if (ck.ino[dr->dr_ino].is_state != IS_DIR ||
		    dr->dr_parent == 0 || dr->dr_dotdot == dr->dr_parent ||
		    dr->dr_dotdotoff < 0)
			continue;
		if (problem(PROBLEM, "directory %u: '..' names inode %u, its "
		    "parent is %u: correct it", dr->dr_ino, dr->dr_dotdot,
		    dr->dr_parent)) {
			if (dir_setino(dr->dr_ino, dr->dr_dotdotoff,
			    dr->dr_parent) != 0)
				unfixed("cannot rewrite '..'");
			else
				dr->dr_dotdot = dr->dr_parent;
		}
	}
}
