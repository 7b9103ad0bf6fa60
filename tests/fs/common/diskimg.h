/*
 * Partitioned disk images for tests (host side): sparse image files
 * with an MBR or GPT written by util-linux's sfdisk, or a NetBSD
 * disklabel written here from the documented layout (disklabel(5)),
 * and file system images copied into partitions.  Failures end the
 * test (ATF); a missing sfdisk skips it.
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

#endif /* !_TESTS_FS_COMMON_DISKIMG_H_ */
