/*
 * fsck_ffs pass 4 (host program): link counts.  A file no directory
 * names is cleared if empty, else moved to lost+found; then every
 * inode's di_nlink must equal the names it has: for a file, the
 * entries naming it; for a directory, its name in its parent, its own
 * "." and the ".." of each subdirectory (and, for the root, its own
 * "..").
 */

#include "fsck_ffs.h"

/* Set the link count of inode ino to n on disk and in memory. */
static void
set_nlink(uint32_t ino, uint32_t n)
{
	union dinode di;

	if (inode_read(ino, &di) != 0)
		return;
	di.d1.di_nlink = (int16_t)n;
	if (inode_write(ino, &di) == 0)
		ck.ino[ino].is_nlink = (int16_t)n;
}

/* A file that no directory names: clear it if empty, else keep it. */
static int
unreferenced(uint32_t ino)
{
	union dinode di;

	if (inode_read(ino, &di) != 0)
		return -1;
	if (dp_size(&di) == 0 && dp_blocks(&di) == 0) {
		if (!problem(ROUTINE, "inode %u: empty file in no directory: "
		    "clear it", ino))
			return -1;
		inode_release(ino, &di, -1);
		inode_clear(ino, &di);
		return 1;
	}
	if (!problem(PROBLEM, "inode %u: file of %ju bytes in no directory: "
	    "move it to lost+found", ino, (uintmax_t)dp_size(&di)))
		return -1;
	return reconnect(ino);
}

void
pass4(void)
{
	struct dirinfo *dr, *pd;
	struct inostat *is;
	uint32_t ino, want;
	size_t i;

	/* First the files without a name: lost+found may be made. */
	for (ino = FFS_ROOTINO; ino < ck.maxino; ino++)
		if (ck.ino[ino].is_state == IS_FILE && ck.ino[ino].is_nref == 0)
			(void)unreferenced(ino);

	for (i = 0; i < ck.ndirs; i++)
		ck.dirs[i].dr_nsub = 0;
	for (i = 0; i < ck.ndirs; i++) {
		dr = &ck.dirs[i];
		if (ck.ino[dr->dr_ino].is_state != IS_DIR ||
		    dr->dr_ino == FFS_ROOTINO || dr->dr_parent == 0 ||
		    (pd = dir_find(dr->dr_parent)) == NULL)
			continue;
		pd->dr_nsub++;
	}
	for (ino = FFS_ROOTINO; ino < ck.maxino; ino++) {
		is = &ck.ino[ino];
		if (is->is_state == IS_FREE)
			continue;
		if (is->is_state == IS_FILE) {
			if (is->is_nref == 0)
				continue;	/* left as it was */
			want = is->is_nref;
		} else {
			dr = dir_find(ino);
			if (dr == NULL || (dr->dr_parent == 0 &&
			    ino != FFS_ROOTINO))
				continue;
			want = is->is_nref + 1 + dr->dr_nsub +
			    (ino == FFS_ROOTINO);
		}
		if (want > FFS_LINK_MAX)
			want = FFS_LINK_MAX;
		if ((int32_t)want == is->is_nlink)
			continue;
		if (problem(is->is_nlink > (int32_t)want ? ROUTINE : PROBLEM,
		    "inode %u: link count %d, should be %u: correct it", ino,
		    is->is_nlink, want))
			set_nlink(ino, want);
	}
}
