/*
 * Partition tables (kernel): the NetBSD disklabel, the MBR with its
 * chain of extended boot records, and the GPT, read from an image
 * through a callback and checked field by field (sys/diskpart.h).
 * On-disk layouts are little-endian:
 *
 *  disklabel	sector 1, as sys/disklabel.h says: magic twice,
 *		checksum, partition count, sixteen-byte partitions:
 *		size, offset (in sectors of the label's sector size).
 *  MBR		signature 0x55 0xaa at 510; four sixteen-byte entries
 *		from 446: type at 4, first sector at 8, sector count at 12.
 *		Types 0x05, 0x0f and 0x85 hold a chain of extended boot
 *		records: entry 1 is a logical partition (relative to its
 *		record), entry 2 the next record (relative to the first).
 *  GPT		header at LBA 1: "EFI PART", header size at 12, header
 *		CRC at 16, entry array LBA at 72, entry count at 80, entry
 *		size at 84, array CRC at 88; entries: type GUID at 0 (zero:
 *		unused), first and last LBA at 32 and 40, UTF-16LE name at 56.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/diskpart.h>
#include <sys/disklabel.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/systm.h>


#define MBR_NPRIMARY	4
#define MBR_ENTOFF	446
#define MBR_MAXLOGICAL	128

#define GPT_MINHDR	92
#define GPT_MAXENTS	(1024 * 1024)	/* bytes of entry array read */

/* A reason, for the caller's message. */
#define WHY(...)	snprintf(why, whylen, __VA_ARGS__)

int
diskpart_parse(const char *path, size_t *hostlenp, struct diskpart_sel *sel,
    char *why, size_t whylen)
{
	size_t len = strlen(path), start, n;
	const char *s, *arg;
	unsigned long v;

	memset(sel, 0, sizeof(*sel));
	*hostlenp = len;
	if (len < 2 || path[len - 1] != '%')
		return 0;
	for (start = len - 1; start > 0 && path[start - 1] != '%'; start--)
		continue;
	if (start == 0)
		return 0;
	s = path + start;
	n = len - 1 - start;
	if (n > 10 && strncmp(s, "DISKLABEL:", 10) == 0)
		sel->dp_scheme = DISKPART_DISKLABEL;
	else if (n > 4 && strncmp(s, "MBR:", 4) == 0)
		sel->dp_scheme = DISKPART_MBR;
	else if (n > 4 && strncmp(s, "GPT:", 4) == 0)
		sel->dp_scheme = DISKPART_GPT;
	else
		return 0;	/* a host name with '%' in it */
	arg = strchr(s, ':') + 1;
	n = (size_t)(path + len - 1 - arg);
	*hostlenp = start - 1;
	if (*hostlenp == 0) {
		WHY("no image path before the partition");
		return EINVAL;
	}
	if (sel->dp_scheme == DISKPART_DISKLABEL) {
		if (n != 1 || arg[0] < 'a' || arg[0] >= 'a' + DISKLABEL_MAXPARTS) {
			WHY("disklabel partitions are a to %c",
			    'a' + DISKLABEL_MAXPARTS - 1);
			return EINVAL;
		}
		sel->dp_index = (u_int)(arg[0] - 'a');
		return 0;
	}
	if (sel->dp_scheme == DISKPART_GPT && n > 5 &&
	    strncmp(arg, "name=", 5) == 0) {
		if (n - 5 > DISKPART_NAMEMAX) {
			WHY("GPT names have at most %d characters",
			    DISKPART_NAMEMAX);
			return EINVAL;
		}
		memcpy(sel->dp_name, arg + 5, n - 5);
		sel->dp_name[n - 5] = '\0';
		return 0;
	}
	for (v = 0; n > 0; arg++, n--) {
		if (*arg < '0' || *arg > '9' || v > 100000) {
			WHY("a partition number is a positive decimal number");
			return EINVAL;
		}
		v = v * 10 + (unsigned long)(*arg - '0');
	}
	if (v == 0) {
		WHY("partitions are numbered from 1");
		return EINVAL;
	}
	sel->dp_index = (u_int)v;
	return 0;
}

/* The window [off, off + size) must be a nonempty part of the image. */
static int
diskpart_window(uint64_t off, uint64_t size, uint64_t imgsize,
    uint64_t *offp, uint64_t *sizep, const char *what, char *why,
    size_t whylen)
{

	if (size == 0) {
		WHY("%s is empty", what);
		return ENXIO;
	}
	if (off > imgsize || size > imgsize - off) {
		WHY("%s (bytes %llu to %llu) reaches past the end of the "
		    "image (%llu bytes)", what, (unsigned long long)off,
		    (unsigned long long)(off + size),
		    (unsigned long long)imgsize);
		return EINVAL;
	}
	*offp = off;
	*sizep = size;
	return 0;
}

static int
diskpart_disklabel(const struct diskpart_sel *sel, uint64_t imgsize,
    diskpart_read_fn read, void *arg, uint64_t *offp, uint64_t *sizep,
    char *why, size_t whylen)
{
	uint8_t lab[512];
	const uint8_t *p;
	uint32_t secsize;
	uint16_t npart;
	char what[32];
	int error;

	if (imgsize < DISKLABEL_OFFSET + sizeof(lab) ||
	    (error = read(arg, DISKLABEL_OFFSET, lab, sizeof(lab))) != 0) {
		WHY("no disklabel: the image has no sector 1");
		return EINVAL;
	}
	if (le32dec(lab + DL_MAGIC) != DISKLABEL_MAGIC ||
	    le32dec(lab + DL_MAGIC2) != DISKLABEL_MAGIC) {
		WHY("no disklabel: no magic number in sector 1");
		return EINVAL;
	}
	npart = le16dec(lab + DL_NPARTITIONS);
	secsize = le32dec(lab + DL_SECSIZE);
	if (npart > DISKLABEL_MAXPARTS) {
		WHY("damaged disklabel: %u partitions (at most %d)", npart,
		    DISKLABEL_MAXPARTS);
		return EINVAL;
	}
	if (disklabel_sum(lab, npart) != 0) {
		WHY("damaged disklabel: bad checksum");
		return EINVAL;
	}
	if (secsize < 512 || secsize > 65536 || !powerof2(secsize)) {
		WHY("damaged disklabel: sector size %u", secsize);
		return EINVAL;
	}
	if (sel->dp_index >= npart) {
		WHY("the disklabel has no partition %c (it has %u)",
		    'a' + sel->dp_index, npart);
		return ENXIO;
	}
	p = lab + DL_PARTITIONS + sel->dp_index * 16;
	snprintf(what, sizeof(what), "disklabel partition %c",
	    'a' + sel->dp_index);
	return diskpart_window((uint64_t)le32dec(p + DLP_OFFSET) * secsize,
	    (uint64_t)le32dec(p + DLP_SIZE) * secsize, imgsize, offp, sizep, what, why,
	    whylen);
}

static bool
mbr_extended(uint8_t type)
{

	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* Read an MBR or extended boot record at byte off; check its signature. */
static int
mbr_read(diskpart_read_fn read, void *arg, uint64_t off, uint64_t imgsize,
    uint8_t *sec, char *why, size_t whylen)
{

	if (off > imgsize || imgsize - off < 512 ||
	    read(arg, off, sec, 512) != 0) {
		WHY("damaged MBR: a boot record at byte %llu is outside the "
		    "image", (unsigned long long)off);
		return EINVAL;
	}
	if (sec[510] != 0x55 || sec[511] != 0xaa) {
		WHY(off == 0 ? "no MBR: no boot signature in sector 0" :
		    "damaged MBR: no signature in the extended boot record at "
		    "byte %llu", (unsigned long long)off);
		return EINVAL;
	}
	return 0;
}

static int
diskpart_mbr(const struct diskpart_sel *sel, uint64_t imgsize,
    diskpart_read_fn read, void *arg, uint64_t *offp, uint64_t *sizep,
    char *why, size_t whylen)
{
	uint8_t sec[512];
	const uint8_t *e;
	uint64_t ext = 0, ebr;
	char what[32];
	u_int i, n;
	int error;

	if ((error = mbr_read(read, arg, 0, imgsize, sec, why, whylen)) != 0)
		return error;
	snprintf(what, sizeof(what), "MBR partition %u", sel->dp_index);
	for (i = 0; i < MBR_NPRIMARY; i++) {
		e = sec + MBR_ENTOFF + i * 16;
		if (e[4] == 0xee && i == 0 && sel->dp_index > MBR_NPRIMARY) {
			WHY("no MBR: a GPT's protective MBR has no logical "
			    "partitions");
			return ENXIO;
		}
		if (i + 1 == sel->dp_index) {
			if (e[4] == 0 || mbr_extended(e[4])) {
				WHY("%s is %s", what, e[4] == 0 ? "unused" :
				    "the extended partition");
				return ENXIO;
			}
			return diskpart_window((uint64_t)le32dec(e + 8) * 512,
			    (uint64_t)le32dec(e + 12) * 512, imgsize, offp,
			    sizep, what, why, whylen);
		}
		if (mbr_extended(e[4]) && ext == 0)
			ext = (uint64_t)le32dec(e + 8) * 512;
	}
	if (ext == 0) {
		WHY("the MBR has no %s", sel->dp_index > MBR_NPRIMARY ?
		    "extended partition, so no logical ones" :
		    "such partition");
		return ENXIO;
	}
	/* Logical partitions: 5, 6, ... along the chain. */
	for (ebr = ext, n = MBR_NPRIMARY + 1; n <= MBR_NPRIMARY +
	    MBR_MAXLOGICAL; n++) {
		if ((error = mbr_read(read, arg, ebr, imgsize, sec, why,
		    whylen)) != 0)
			return error;
		e = sec + MBR_ENTOFF;
		if (n == sel->dp_index) {
			if (e[4] == 0) {
				WHY("%s is unused", what);
				return ENXIO;
			}
			return diskpart_window(ebr +
			    (uint64_t)le32dec(e + 8) * 512,
			    (uint64_t)le32dec(e + 12) * 512, imgsize, offp,
			    sizep, what, why, whylen);
		}
		e += 16;
		if (!mbr_extended(e[4]) || le32dec(e + 8) == 0) {
			WHY("the MBR has no partition %u (the last logical "
			    "one is %u)", sel->dp_index, n);
			return ENXIO;
		}
		ebr = ext + (uint64_t)le32dec(e + 8) * 512;
	}
	WHY("damaged MBR: more than %d logical partitions", MBR_MAXLOGICAL);
	return EINVAL;
}

/* Does the UTF-16LE GPT name (72 bytes) equal the ASCII name? */
static bool
gpt_name_is(const uint8_t *u, const char *name)
{
	size_t i;

	for (i = 0; i < DISKPART_NAMEMAX; i++) {
		uint16_t c = le16dec(u + 2 * i);

		if (c != (uint8_t)name[i])
			return false;
		if (c == 0)
			return true;
	}
	return name[i] == '\0';
}

static int
diskpart_gpt(const struct diskpart_sel *sel, uint64_t imgsize,
    diskpart_read_fn read, void *arg, uint64_t *offp, uint64_t *sizep,
    char *why, size_t whylen)
{
	static const uint8_t zero[16];
	uint8_t hdr[512], *ents = NULL;
	const uint8_t *e;
	uint32_t hsize, nent, entsize, crc, secsize;
	uint64_t entlba, first, last;
	size_t arrsize, i;
	char what[64];
	int error = EINVAL;

	/* 512-byte sectors, or 4096-byte ones. */
	for (secsize = 512; secsize <= 4096; secsize *= 8) {
		if (imgsize >= 2 * (uint64_t)secsize &&
		    read(arg, secsize, hdr, sizeof(hdr)) == 0 &&
		    memcmp(hdr, "EFI PART", 8) == 0)
			break;
	}
	if (secsize > 4096) {
		WHY("no GPT: no \"EFI PART\" header in sector 1");
		return EINVAL;
	}
	hsize = le32dec(hdr + 12);
	if (hsize < GPT_MINHDR || hsize > sizeof(hdr)) {
		WHY("damaged GPT: header size %u", hsize);
		return EINVAL;
	}
	crc = le32dec(hdr + 16);
	memset(hdr + 16, 0, 4);
	if (crc32(0, hdr, hsize) != crc) {
		WHY("damaged GPT: bad header CRC");
		return EINVAL;
	}
	entlba = le64dec(hdr + 72);
	nent = le32dec(hdr + 80);
	entsize = le32dec(hdr + 84);
	if (entsize < 128 || entsize > 4096 || entsize % 8 != 0 ||
	    nent == 0 || (uint64_t)nent * entsize > GPT_MAXENTS) {
		WHY("damaged GPT: %u entries of %u bytes", nent, entsize);
		return EINVAL;
	}
	arrsize = (size_t)nent * entsize;
	if (entlba > imgsize / secsize ||
	    imgsize - entlba * secsize < arrsize) {
		WHY("damaged GPT: the entry array is outside the image");
		return EINVAL;
	}
	ents = kmem_alloc(arrsize, KM_SLEEP);
	if (read(arg, entlba * secsize, ents, arrsize) != 0) {
		WHY("no GPT: the entry array cannot be read");
		goto out;
	}
	if (crc32(0, ents, arrsize) != le32dec(hdr + 88)) {
		WHY("damaged GPT: bad entry array CRC");
		goto out;
	}
	for (i = 0; i < nent; i++) {
		e = ents + i * entsize;
		if (sel->dp_name[0] != '\0' ? (memcmp(e, zero, 16) != 0 &&
		    gpt_name_is(e + 56, sel->dp_name)) : i + 1 == sel->dp_index)
			break;
	}
	if (sel->dp_name[0] != '\0')
		snprintf(what, sizeof(what), "GPT partition \"%s\"",
		    sel->dp_name);
	else
		snprintf(what, sizeof(what), "GPT partition %u",
		    sel->dp_index);
	if (i == nent || memcmp(e, zero, 16) == 0) {
		WHY("the GPT has no %s", what + 4);
		error = ENXIO;
		goto out;
	}
	first = le64dec(e + 32);
	last = le64dec(e + 40);
	if (last < first || last >= UINT64_MAX / secsize) {
		WHY("damaged GPT: %s ends (LBA %llu) before it starts (LBA "
		    "%llu)", what, (unsigned long long)last,
		    (unsigned long long)first);
		goto out;
	}
	error = diskpart_window(first * secsize, (last - first + 1) * secsize,
	    imgsize, offp, sizep, what, why, whylen);
out:
	kmem_free(ents, arrsize);
	return error;
}

int
diskpart_find(const struct diskpart_sel *sel, uint64_t imgsize,
    diskpart_read_fn read, void *arg, uint64_t *offp, uint64_t *sizep,
    char *why, size_t whylen)
{

	switch (sel->dp_scheme) {
	case DISKPART_DISKLABEL:
		return diskpart_disklabel(sel, imgsize, read, arg, offp, sizep,
		    why, whylen);
	case DISKPART_MBR:
		return diskpart_mbr(sel, imgsize, read, arg, offp, sizep, why,
		    whylen);
	case DISKPART_GPT:
		return diskpart_gpt(sel, imgsize, read, arg, offp, sizep, why,
		    whylen);
	default:
		WHY("no partition selected");
		return EINVAL;
	}
}
