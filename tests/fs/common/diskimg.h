/*
 * Partitioned disk images for tests (host side): sparse image files
 * with an MBR or GPT written by util-linux's sfdisk, or a NetBSD
 * disklabel written here from the documented layout (disklabel(5)),
 * file system images copied into partitions, and the tools that make
 * and check them.  Failures end the test (ATF), but for diskimg_run()
 * and diskimg_makefs(), which return; a missing sfdisk skips the test.
 */
#ifndef _TESTS_FS_COMMON_DISKIMG_H_
#define _TESTS_FS_COMMON_DISKIMG_H_

#include <stddef.h>
#include <stdint.h>

#define DISKIMG_SEC	512

/* A disklabel partition: its letter, first sector and sector count. */
struct diskimg_part {
	char		letter;		/* 'a'..'p' */
	uint64_t	start, size;
};

/* A sparse image of size bytes, partitioned by sfdisk from script. */
void	diskimg_sfdisk(const char *img, uint64_t size, const char *script);
/* A sparse image of size bytes with a disklabel of npart slots. */
void	diskimg_disklabel(const char *img, uint64_t size,
	    const struct diskimg_part *, size_t n, uint16_t npart);
/* Copy the file src into img at byte off. */
void	diskimg_copyin(const char *img, uint64_t off, const char *src);
/*
 * Run argv[0] with its output to /dev/null: its exit status, 128 if a
 * signal ended it, -1 (errno set) if it could not be run.
 */
int	diskimg_run(char *const argv[]);
/*
 * An FFS image of size bytes at img made by Debian's makefs (UFS
 * version 1 or 2), with at least inodes free inodes (0: makefs's
 * choice), from an empty directory img.d: makefs's exit status.
 */
int	diskimg_makefs(const char *img, int version, uint64_t size,
	    uint64_t inodes);

#endif /* !_TESTS_FS_COMMON_DISKIMG_H_ */
