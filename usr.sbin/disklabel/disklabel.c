/*
 * disklabel (host program): write or print the NetBSD disklabel of a
 * disk image, the partition table that "image%DISKLABEL:a%" paths
 * read.  The image is a character device of a rump kernel booted in
 * this process; the label goes to sector 1 through it, and each
 * partition written is then found again by the kernel's own table
 * code, as a mount would find it.  The layout is <sys/disklabel.h>.
 */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include <sys/disklabel.h>

#define SECSIZE		512
#define DEVKEY		"/dev/rdisk"
#define CHECKKEY	"/dev/rpart"
#define FIRSTSTART	(1024 * 1024)	/* default start of the first */
#define BOOTAREA	8192		/* the label lives in here */

struct part {
	int		letter;		/* 'a'.. */
	uint64_t	start, size;	/* bytes */
};

static void
usage(int status)
{

	fprintf(status == 0 ? stdout : stderr,
	    "usage: disklabel [-h] image\n"
	    "       disklabel -w image part ...\n"
	    "Print the NetBSD disklabel of a disk image, or write a new one\n"
	    "(-w) with the partitions given as letter:size or\n"
	    "letter:start:size.  Sizes and starts are bytes, with k, m, g\n"
	    "or t to multiply by 1024 and its powers, and multiples of\n"
	    "512; a size of * takes the rest of the image.  A partition\n"
	    "starts where the one before it ends (the first at 1m) unless\n"
	    "given a start.  Partitions are 4.2BSD (FFS), must not overlap\n"
	    "and start past the first 8k, where the label is.  Example:\n"
	    "  truncate -s 64m disk.img\n"
	    "  disklabel -w disk.img a:32m b:*\n"
	    "  newfs -F 'disk.img%%DISKLABEL:a%%'\n");
	exit(status);
}

static uint64_t
parse_bytes(const char *s, const char *what)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno != 0 || *s == '-')
		errx(2, "%s: not a number of bytes: %s", what, s);
	switch (*end) {
	case 't': case 'T': shift += 10; /* FALLTHROUGH */
	case 'g': case 'G': shift += 10; /* FALLTHROUGH */
	case 'm': case 'M': shift += 10; /* FALLTHROUGH */
	case 'k': case 'K': shift += 10; end++; break;
	}
	if (*end != '\0')
		errx(2, "%s: not a number of bytes: %s", what, s);
	if (shift > 0 && v > (UINT64_MAX >> shift))
		errx(2, "%s: too large: %s", what, s);
	v <<= shift;
	if (v % SECSIZE != 0)
		errx(2, "%s: %s is not a multiple of %d", what, s, SECSIZE);
	return v;
}

/* Parse "letter:size" or "letter:start:size"; next is the default start. */
static void
parse_part(const char *arg, uint64_t next, uint64_t disksize, struct part *p)
{
	char *copy, *f1, *f2;

	if (arg[0] < 'a' || arg[0] >= 'a' + DISKLABEL_MAXPARTS ||
	    arg[1] != ':')
		errx(2, "%s: a partition is a to %c, then ':'", arg,
		    'a' + DISKLABEL_MAXPARTS - 1);
	p->letter = arg[0];
	if ((copy = strdup(arg + 2)) == NULL)
		err(1, "strdup");
	f1 = copy;
	if ((f2 = strchr(copy, ':')) != NULL) {
		*f2++ = '\0';
		p->start = parse_bytes(f1, arg);
		f1 = f2;
	} else
		p->start = next;
	if (strcmp(f1, "*") == 0) {
		if (p->start >= disksize)
			errx(1, "%s: starts at or past the end of the image",
			    arg);
		p->size = disksize - p->start;
	} else
		p->size = parse_bytes(f1, arg);
	free(copy);
	if (p->size == 0)
		errx(2, "%s: an empty partition", arg);
	if (p->start < BOOTAREA)
		errx(1, "%s: starts inside the first %d bytes (the label)",
		    arg, BOOTAREA);
	if (p->start > disksize || p->size > disksize - p->start)
		errx(1, "%s: reaches past the end of the image (%" PRIu64
		    " bytes)", arg, disksize);
	if (p->start / SECSIZE + p->size / SECSIZE > UINT32_MAX)
		errx(1, "%s: past the 2 TiB a disklabel can describe", arg);
}

static void
put16(unsigned char *p, uint16_t v)
{

	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
put32(unsigned char *p, uint32_t v)
{

	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint32_t
get32(const unsigned char *p)
{

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

/* Boot a kernel and open the image as its character device. */
static int
disk_open(const char *image, int flags, uint64_t *sizep)
{
	char why[256];
	int error, fd;

	if ((error = rump_init()) != 0)
		errx(1, "rump_init: %s", strerror(error));
	why[0] = '\0';
	if ((error = rump_pub_etfs_register_why(DEVKEY, image, RUMP_ETFS_CHR,
	    0, RUMP_ETFS_SIZE_ENDOFF, why, sizeof(why))) != 0)
		errx(1, "%s", why[0] != '\0' ? why : strerror(error));
	if ((fd = rump_sys_open(DEVKEY, flags)) == -1)
		err(1, "%s", image);
	if ((*sizep = (uint64_t)rump_sys_lseek(fd, 0, SEEK_END)) ==
	    (uint64_t)-1)
		err(1, "%s: size", image);
	if (*sizep < BOOTAREA)
		errx(1, "%s: too small for a disklabel", image);
	return fd;
}

static const char *
fstype_name(int t)
{

	switch (t) {
	case DLFS_UNUSED:	return "unused";
	case DLFS_SWAP:		return "swap";
	case DLFS_BSDFFS:	return "4.2BSD";
	case DLFS_MSDOS:	return "MSDOS";
	case DLFS_EX2FS:	return "Linux Ext2";
	default:		return "other";
	}
}

/* Print the label of image, open as fd. */
static int
print_label(const char *image, int fd, uint64_t disksize)
{
	unsigned char lab[SECSIZE];
	const unsigned char *p;
	unsigned int npart, i;
	uint32_t secsize;

	if (rump_sys_pread(fd, lab, sizeof(lab), DISKLABEL_OFFSET) !=
	    (ssize_t)sizeof(lab))
		err(1, "%s: reading sector 1", image);
	if (get32(lab + DL_MAGIC) != DISKLABEL_MAGIC ||
	    get32(lab + DL_MAGIC2) != DISKLABEL_MAGIC)
		errx(1, "%s: no disklabel", image);
	npart = lab[DL_NPARTITIONS] | lab[DL_NPARTITIONS + 1] << 8;
	if (npart > DISKLABEL_MAXPARTS || disklabel_sum(lab, npart) != 0)
		errx(1, "%s: damaged disklabel (%s)", image,
		    npart > DISKLABEL_MAXPARTS ? "partition count" :
		    "checksum");
	secsize = get32(lab + DL_SECSIZE);
	printf("# %s: %" PRIu64 " bytes, %" PRIu32 "-byte sectors, %" PRIu32
	    " sectors in the label\n", image, disksize, secsize,
	    get32(lab + DL_SECPERUNIT));
	printf("#%13s %12s  %-10s %s\n", "size", "offset", "fstype",
	    "bytes");
	for (i = 0; i < npart; i++) {
		p = lab + DL_PARTITIONS + 16 * i;
		if (get32(p + DLP_SIZE) == 0)
			continue;
		printf(" %c: %10" PRIu32 " %12" PRIu32 "  %-10s %" PRIu64 "\n",
		    'a' + i, get32(p + DLP_SIZE), get32(p + DLP_OFFSET),
		    fstype_name(p[DLP_FSTYPE]),
		    (uint64_t)get32(p + DLP_SIZE) * secsize);
	}
	return 0;
}

/* Write a label of the nargs partitions args to image, open as fd. */
static int
write_label(const char *image, int fd, uint64_t disksize, int nargs,
    char **args)
{
	unsigned char lab[SECSIZE];
	struct part parts[DISKLABEL_MAXPARTS];
	uint64_t next = FIRSTSTART, secs;
	unsigned int npart = 0;
	char path[4096], why[256];
	int pfd, i, j, error;

	for (i = 0; i < nargs; i++) {
		parse_part(args[i], next, disksize, &parts[i]);
		next = parts[i].start + parts[i].size;
		for (j = 0; j < i; j++) {
			if (parts[j].letter == parts[i].letter)
				errx(2, "partition %c given twice",
				    parts[i].letter);
			if (parts[i].start < parts[j].start + parts[j].size &&
			    parts[j].start < parts[i].start + parts[i].size)
				errx(1, "partitions %c and %c overlap",
				    parts[j].letter, parts[i].letter);
		}
		if ((unsigned int)(parts[i].letter - 'a') + 1 > npart)
			npart = (unsigned int)(parts[i].letter - 'a') + 1;
	}

	secs = disksize / SECSIZE;
	if (secs > UINT32_MAX)
		secs = UINT32_MAX;
	memset(lab, 0, sizeof(lab));
	put32(lab + DL_MAGIC, DISKLABEL_MAGIC);
	put16(lab + DL_TYPE, 1);		/* SCSI, as images often say */
	memcpy(lab + DL_TYPENAME, "anykernel image", 15);
	put32(lab + DL_SECSIZE, SECSIZE);
	put32(lab + DL_NSECTORS, 32);
	put32(lab + DL_NTRACKS, 64);
	put32(lab + DL_SECPERCYL, 32 * 64);
	put32(lab + DL_NCYLINDERS, (uint32_t)(secs / (32 * 64)));
	put32(lab + DL_SECPERUNIT, (uint32_t)secs);
	put16(lab + DL_RPM, 3600);
	put16(lab + DL_INTERLEAVE, 1);
	put32(lab + DL_MAGIC2, DISKLABEL_MAGIC);
	put16(lab + DL_NPARTITIONS, (uint16_t)npart);
	put32(lab + DL_BBSIZE, BOOTAREA);
	put32(lab + DL_SBSIZE, 8192);
	for (i = 0; i < nargs; i++) {
		unsigned char *p = lab + DL_PARTITIONS +
		    16 * (parts[i].letter - 'a');

		put32(p + DLP_SIZE, (uint32_t)(parts[i].size / SECSIZE));
		put32(p + DLP_OFFSET, (uint32_t)(parts[i].start / SECSIZE));
		p[DLP_FSTYPE] = DLFS_BSDFFS;
	}
	put16(lab + DL_CHECKSUM, disklabel_sum(lab, npart));
	if (rump_sys_pwrite(fd, lab, sizeof(lab), DISKLABEL_OFFSET) !=
	    (ssize_t)sizeof(lab) || rump_sys_fsync(fd) == -1)
		err(1, "%s: writing the label", image);

	/* The kernel finds each partition where it was put. */
	for (i = 0; i < nargs; i++) {
		snprintf(path, sizeof(path), "%s%%DISKLABEL:%c%%", image,
		    parts[i].letter);
		why[0] = '\0';
		if ((error = rump_pub_etfs_register_why(CHECKKEY, path,
		    RUMP_ETFS_CHR, 0, RUMP_ETFS_SIZE_ENDOFF, why,
		    sizeof(why))) != 0)
			errx(1, "%s: written, but the kernel does not find "
			    "it: %s", path, why[0] != '\0' ? why :
			    strerror(error));
		if ((pfd = rump_sys_open(CHECKKEY, O_RDONLY)) == -1 ||
		    (uint64_t)rump_sys_lseek(pfd, 0, SEEK_END) !=
		    parts[i].size)
			errx(1, "%s: written, but the kernel sees another "
			    "size", path);
		rump_sys_close(pfd);
		rump_pub_etfs_remove(CHECKKEY);
	}
	return print_label(image, fd, disksize);
}

int
main(int argc, char **argv)
{
	uint64_t disksize;
	bool wflag = false;
	int ch, fd, rv;

	while ((ch = getopt(argc, argv, "hw")) != -1) {
		switch (ch) {
		case 'h':
			usage(0);
			break;
		case 'w':
			wflag = true;
			break;
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (!wflag && argc != 1) ||
	    (wflag && (argc < 2 || argc > DISKLABEL_MAXPARTS + 1)))
		usage(2);
	fd = disk_open(argv[0], wflag ? O_RDWR : O_RDONLY, &disksize);
	rv = wflag ? write_label(argv[0], fd, disksize, argc - 1, argv + 1) :
	    print_label(argv[0], fd, disksize);
	rump_sys_close(fd);
	return rv;
}
