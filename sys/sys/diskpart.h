/*
 * Partition tables (subr_diskpart.c): find one partition of a disk
 * image from its NetBSD disklabel, its MBR (primary and logical
 * partitions) or its GPT, as a byte window.  Image paths may carry the
 * selection as a "magic" suffix:
 *
 *	disk.img%DISKLABEL:e%	partition e (a-p) of the disklabel in sector 1
 *	disk.img%MBR:2%		MBR partition 2 (1-4 primary, 5- logical)
 *	disk.img%GPT:3%		GPT entry 3 (from 1)
 *	disk.img%GPT:name=root%	the GPT entry named "root"
 *
 * Tables are read through a callback, so the code runs on whatever
 * holds the image.  Every field is checked before it is used.
 */
#ifndef _SYS_DISKPART_H_
#define _SYS_DISKPART_H_

#include <sys/types.h>

enum diskpart_scheme {
	DISKPART_NONE,
	DISKPART_DISKLABEL,
	DISKPART_MBR,
	DISKPART_GPT
};

#define DISKPART_NAMEMAX	36	/* GPT names: 36 UTF-16 units */

struct diskpart_sel {
	enum diskpart_scheme dp_scheme;
	u_int		dp_index;	/* disklabel: 0 (a) to 15 (p);
					   MBR, GPT: from 1; 0 with dp_name */
	char		dp_name[DISKPART_NAMEMAX + 1];	/* GPT name= */
};

/* Read len bytes of the image at off into buf; 0 or an errno. */
typedef int (*diskpart_read_fn)(void *arg, uint64_t off, void *buf,
    size_t len);

/*
 * Split path into the host path (its length in *hostlenp) and the
 * selection of a magic suffix.  No suffix: 0, with DISKPART_NONE.  A
 * suffix that is not well formed: EINVAL, and why says so.
 */
int	diskpart_parse(const char *path, size_t *hostlenp,
	    struct diskpart_sel *sel, char *why, size_t whylen);

/*
 * The partition sel of an image of imgsize bytes, as a byte offset and
 * size.  EINVAL: no table of that kind, a damaged one (bad magic,
 * checksum, CRC, sizes), or a partition reaching past the image; ENXIO:
 * no such partition.  why names the problem.
 */
int	diskpart_find(const struct diskpart_sel *sel, uint64_t imgsize,
	    diskpart_read_fn read, void *arg, uint64_t *offp,
	    uint64_t *sizep, char *why, size_t whylen);

#endif /* !_SYS_DISKPART_H_ */
