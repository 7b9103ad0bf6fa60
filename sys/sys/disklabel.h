/*
 * The NetBSD disklabel as it lies on disk, little-endian, in sector 1
 * (bytes 512-1023) of the disk: the byte offsets of its fields and the
 * checksum.  Shared by the kernel's partition code (subr_diskpart.c)
 * and the disklabel tool, so it needs only fixed-width integer types:
 * include <sys/types.h> (kernel) or <stdint.h> (host) before it.
 */
#ifndef _SYS_DISKLABEL_H_
#define _SYS_DISKLABEL_H_

#define DISKLABEL_OFFSET	512		/* sector 1 */
#define DISKLABEL_MAGIC		0x82564557U
#define DISKLABEL_MAXPARTS	16		/* a to p */

/* The label's fields (u32 unless said otherwise). */
#define DL_MAGIC		0		/* DISKLABEL_MAGIC */
#define DL_TYPE			4		/* u16: drive type */
#define DL_TYPENAME		8		/* char[16] */
#define DL_PACKNAME		24		/* char[16] */
#define DL_SECSIZE		40		/* bytes per sector */
#define DL_NSECTORS		44		/* sectors per track */
#define DL_NTRACKS		48		/* tracks per cylinder */
#define DL_NCYLINDERS		52
#define DL_SECPERCYL		56
#define DL_SECPERUNIT		60		/* sectors of the disk */
#define DL_RPM			72		/* u16 */
#define DL_INTERLEAVE		74		/* u16 */
#define DL_MAGIC2		132		/* DISKLABEL_MAGIC again */
#define DL_CHECKSUM		136		/* u16 */
#define DL_NPARTITIONS		138		/* u16 */
#define DL_BBSIZE		140		/* boot area bytes */
#define DL_SBSIZE		144		/* superblock bytes, most */
#define DL_PARTITIONS		148		/* the partition table */
#define DL_SIZE(npart)		(DL_PARTITIONS + 16 * (npart))

/* A partition's fields, from DL_PARTITIONS + 16 * index. */
#define DLP_SIZE		0		/* sectors */
#define DLP_OFFSET		4		/* first sector */
#define DLP_FSIZE		8		/* fragment size */
#define DLP_FSTYPE		12		/* u8: DLFS_* */
#define DLP_FRAG		13		/* u8: fragments per block */
#define DLP_CPG			14		/* u16 */

#define DLFS_UNUSED		0
#define DLFS_SWAP		1
#define DLFS_BSDFFS		7		/* "4.2BSD" */
#define DLFS_MSDOS		8
#define DLFS_EX2FS		17

/*
 * The checksum: the XOR of the label's 16-bit words up to the end of
 * its npart partitions.  A label is intact when it is 0 over a label
 * that holds its own checksum.
 */
static inline uint16_t
disklabel_sum(const unsigned char *lab, unsigned int npart)
{
	uint16_t sum = 0;
	unsigned int i;

	for (i = 0; i < DL_SIZE(npart); i += 2)
		sum ^= (uint16_t)(lab[i] | lab[i + 1] << 8);
	return sum;
}

#endif /* !_SYS_DISKLABEL_H_ */
