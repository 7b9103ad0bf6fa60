/*
 * The on-disk format of the Berkeley Fast File System, UFS1 and UFS2,
 * little-endian: superblock, cylinder group, inode and directory entry,
 * and the arithmetic between their units.  Shared by the kernel's ffs
 * and the host tools (newfs, fsck_ffs), so it needs only fixed-width
 * integer types: include <sys/types.h> (kernel) or <stdint.h> (host)
 * before it.
 *
 * Units.  A block (fs_bsize, 4 KiB to 64 KiB) is fs_frag fragments
 * (fs_fsize, fs_bsize / 1..8); disk addresses in inodes, indirect blocks
 * and the superblock count fragments from the start of the file system.
 * The file system is cut into fs_ncg cylinder groups of fs_fpg fragments;
 * each starts with a backup superblock (at fragment fs_sblkno of the
 * group), its cylinder group block (fs_cblkno), its inodes (fs_iblkno,
 * fs_ipg of them) and then data (fs_dblkno).  Group 0 also holds, at
 * fs_csaddr, the array of every group's summary counts (struct csum).
 */
#ifndef _FS_FFS_FFS_FORMAT_H_
#define _FS_FFS_FFS_FORMAT_H_

/* Where a superblock may be, in bytes from the start of the device. */
#define FFS_SBLOCK_UFS1		8192
#define FFS_SBLOCK_UFS2		65536
#define FFS_SBLOCK_PIGGY	262144
#define FFS_SBLOCKSIZE		8192	/* room reserved for it */
#define FFS_SBSIZE		2048	/* bytes of it that are written */

#define FFS_UFS1_MAGIC		0x011954
#define FFS_UFS2_MAGIC		0x19540119
#define FFS_CG_MAGIC		0x090255

#define FFS_MINBSIZE		4096
#define FFS_MAXBSIZE		65536
#define FFS_MAXFRAG		8
#define FFS_MAXMNTLEN		468
#define FFS_MAXVOLLEN		32
#define FFS_MAXSNAP		20
#define FFS_NDADDR		12	/* direct block pointers */
#define FFS_NIADDR		3	/* single, double, triple indirect */
#define FFS_NXADDR		2	/* extended attribute blocks (UFS2) */
#define FFS_ROOTINO		2	/* inode of the root directory */
#define FFS_WINO		1	/* whiteout inode, never used */
#define FFS_DIRBLKSIZ		512	/* an entry never crosses one */
#define FFS_MAXNAMLEN		255
#define FFS_LINK_MAX		32767
#define FFS_CSUMSIZE		16	/* sizeof(struct ffs_csum) */

/* fs_old_flags and fs_flags. */
#define FFS_OLDFLAG_UPDATED	0x80	/* the 64-bit fields are valid */
#define FFS_FLAG_UPDATED	0x80
/* fs_clean. */
#define FFS_ISCLEAN		0x01
/* fs_old_inodefmt. */
#define FFS_44INODEFMT		2

/* Summary counts of a cylinder group, or of all of them (UFS1 names). */
struct ffs_csum {
	int32_t		cs_ndir;	/* directories */
	int32_t		cs_nbfree;	/* free blocks */
	int32_t		cs_nifree;	/* free inodes */
	int32_t		cs_nffree;	/* free fragments outside free blocks */
};

struct ffs_csum_total {
	int64_t		cs_ndir;
	int64_t		cs_nbfree;
	int64_t		cs_nifree;
	int64_t		cs_nffree;
	int64_t		cs_numclusters;
	int64_t		cs_spare[3];
};

/*
 * The superblock.  Fields named old_ are UFS1's (and the 32-bit copies
 * UFS1 keeps of the 64-bit counts); the comments give byte offsets.
 */
struct ffs_super {
	int32_t		fs_firstfield;		/*    0 */
	int32_t		fs_unused_1;		/*    4 */
	int32_t		fs_sblkno;		/*    8 backup sb in a group */
	int32_t		fs_cblkno;		/*   12 cg block in a group */
	int32_t		fs_iblkno;		/*   16 inodes in a group */
	int32_t		fs_dblkno;		/*   20 data in a group */
	int32_t		fs_old_cgoffset;	/*   24 */
	int32_t		fs_old_cgmask;		/*   28 */
	int32_t		fs_old_time;		/*   32 */
	int32_t		fs_old_size;		/*   36 */
	int32_t		fs_old_dsize;		/*   40 */
	int32_t		fs_ncg;			/*   44 cylinder groups */
	int32_t		fs_bsize;		/*   48 */
	int32_t		fs_fsize;		/*   52 */
	int32_t		fs_frag;		/*   56 fragments per block */
	int32_t		fs_minfree;		/*   60 reserved percent */
	int32_t		fs_old_rotdelay;	/*   64 */
	int32_t		fs_old_rps;		/*   68 */
	int32_t		fs_bmask;		/*   72 ~(bsize - 1) */
	int32_t		fs_fmask;		/*   76 ~(fsize - 1) */
	int32_t		fs_bshift;		/*   80 log2(bsize) */
	int32_t		fs_fshift;		/*   84 log2(fsize) */
	int32_t		fs_maxcontig;		/*   88 */
	int32_t		fs_maxbpg;		/*   92 */
	int32_t		fs_fragshift;		/*   96 log2(frag) */
	int32_t		fs_fsbtodb;		/*  100 log2(fsize / 512) */
	int32_t		fs_sbsize;		/*  104 */
	int32_t		fs_spare1[2];		/*  108 */
	int32_t		fs_nindir;		/*  116 pointers per block */
	int32_t		fs_inopb;		/*  120 inodes per block */
	int32_t		fs_old_nspf;		/*  124 */
	int32_t		fs_optim;		/*  128 */
	int32_t		fs_old_npsect;		/*  132 */
	int32_t		fs_old_interleave;	/*  136 */
	int32_t		fs_old_trackskew;	/*  140 */
	int32_t		fs_id[2];		/*  144 */
	int32_t		fs_old_csaddr;		/*  152 */
	int32_t		fs_cssize;		/*  156 bytes of the csum array */
	int32_t		fs_cgsize;		/*  160 bytes of a cg block */
	int32_t		fs_spare2;		/*  164 */
	int32_t		fs_old_nsect;		/*  168 */
	int32_t		fs_old_spc;		/*  172 */
	int32_t		fs_old_ncyl;		/*  176 */
	int32_t		fs_old_cpg;		/*  180 */
	int32_t		fs_ipg;			/*  184 inodes per group */
	int32_t		fs_fpg;			/*  188 fragments per group */
	struct ffs_csum	fs_old_cstotal;		/*  192 */
	int8_t		fs_fmod;		/*  208 */
	int8_t		fs_clean;		/*  209 FFS_ISCLEAN */
	int8_t		fs_ronly;		/*  210 */
	uint8_t		fs_old_flags;		/*  211 */
	uint8_t		fs_fsmnt[FFS_MAXMNTLEN];	/*  212 */
	uint8_t		fs_volname[FFS_MAXVOLLEN];	/*  680 */
	uint64_t	fs_swuid;		/*  712 */
	int32_t		fs_pad;			/*  720 */
	int32_t		fs_cgrotor;		/*  724 */
	uint8_t		fs_incore[128];		/*  728 in-core pointers once */
	int32_t		fs_old_cpc;		/*  856 */
	int32_t		fs_maxbsize;		/*  860 */
	int64_t		fs_sparecon64[17];	/*  864 */
	int64_t		fs_sblockloc;		/* 1000 byte offset of this sb */
	struct ffs_csum_total fs_cstotal;	/* 1008 */
	int64_t		fs_time;		/* 1072 last written */
	int64_t		fs_size;		/* 1080 fragments */
	int64_t		fs_dsize;		/* 1088 data fragments */
	int64_t		fs_csaddr;		/* 1096 fragment of the csums */
	int64_t		fs_pendingblocks;	/* 1104 */
	int32_t		fs_pendinginodes;	/* 1112 */
	int32_t		fs_snapinum[FFS_MAXSNAP];	/* 1116 */
	int32_t		fs_avgfilesize;		/* 1196 */
	int32_t		fs_avgfpdir;		/* 1200 */
	int32_t		fs_save_cgsize;		/* 1204 */
	int32_t		fs_sparecon32[26];	/* 1208 */
	uint32_t	fs_flags;		/* 1312 */
	int32_t		fs_contigsumsize;	/* 1316 cluster summary size */
	int32_t		fs_maxsymlinklen;	/* 1320 */
	int32_t		fs_old_inodefmt;	/* 1324 */
	uint64_t	fs_maxfilesize;		/* 1328 */
	int64_t		fs_qbmask;		/* 1336 bsize - 1 */
	int64_t		fs_qfmask;		/* 1344 fsize - 1 */
	int32_t		fs_state;		/* 1352 */
	int32_t		fs_old_postblformat;	/* 1356 */
	int32_t		fs_old_nrpos;		/* 1360 */
	int32_t		fs_spare5[2];		/* 1364 */
	int32_t		fs_magic;		/* 1372 */
};

/*
 * A cylinder group block.  The maps follow the header, at the byte
 * offsets it gives: inodes in use (bit set: used), free fragments (bit
 * set: free), free-cluster counts by length (int32 each, lengths 1 to
 * fs_contigsumsize) and free blocks for clustering (bit set: free).
 */
struct ffs_cg {
	int32_t		cg_firstfield;		/*   0 */
	int32_t		cg_magic;		/*   4 FFS_CG_MAGIC */
	int32_t		cg_old_time;		/*   8 */
	int32_t		cg_cgx;			/*  12 this group's number */
	int16_t		cg_old_ncyl;		/*  16 */
	int16_t		cg_old_niblk;		/*  18 */
	int32_t		cg_ndblk;		/*  20 fragments in this group */
	struct ffs_csum	cg_cs;			/*  24 */
	int32_t		cg_rotor;		/*  40 last block allocated */
	int32_t		cg_frotor;		/*  44 last fragment allocated */
	int32_t		cg_irotor;		/*  48 last inode allocated */
	int32_t		cg_frsum[FFS_MAXFRAG];	/*  52 free runs by length */
	int32_t		cg_old_btotoff;		/*  84 */
	int32_t		cg_old_boff;		/*  88 */
	int32_t		cg_iusedoff;		/*  92 */
	int32_t		cg_freeoff;		/*  96 */
	int32_t		cg_nextfreeoff;		/* 100 end of the maps */
	int32_t		cg_clustersumoff;	/* 104 */
	int32_t		cg_clusteroff;		/* 108 */
	int32_t		cg_nclusterblks;	/* 112 blocks in this group */
	int32_t		cg_niblk;		/* 116 inodes in this group */
	int32_t		cg_initediblk;		/* 120 inodes initialised (UFS2) */
	int32_t		cg_sparecon32[3];	/* 124 */
	int64_t		cg_time;		/* 136 */
	int64_t		cg_sparecon64[3];	/* 144 */
	/* 168: the maps */
};
#define FFS_CG_HDRSIZE		168

/* An inode of UFS1: 128 bytes. */
struct ffs_dinode1 {
	uint16_t	di_mode;		/*   0 */
	int16_t		di_nlink;		/*   2 */
	uint32_t	di_oldids;		/*   4 */
	uint64_t	di_size;		/*   8 */
	int32_t		di_atime;		/*  16 */
	int32_t		di_atimensec;		/*  20 */
	int32_t		di_mtime;		/*  24 */
	int32_t		di_mtimensec;		/*  28 */
	int32_t		di_ctime;		/*  32 */
	int32_t		di_ctimensec;		/*  36 */
	int32_t		di_db[FFS_NDADDR];	/*  40 */
	int32_t		di_ib[FFS_NIADDR];	/*  88 */
	uint32_t	di_flags;		/* 100 */
	uint32_t	di_blocks;		/* 104 512-byte units held */
	int32_t		di_gen;			/* 108 */
	uint32_t	di_uid;			/* 112 */
	uint32_t	di_gid;			/* 116 */
	uint64_t	di_modrev;		/* 120 */
};

/* An inode of UFS2: 256 bytes. */
struct ffs_dinode2 {
	uint16_t	di_mode;		/*   0 */
	int16_t		di_nlink;		/*   2 */
	uint32_t	di_uid;			/*   4 */
	uint32_t	di_gid;			/*   8 */
	uint32_t	di_blksize;		/*  12 */
	uint64_t	di_size;		/*  16 */
	uint64_t	di_blocks;		/*  24 512-byte units held */
	int64_t		di_atime;		/*  32 */
	int64_t		di_mtime;		/*  40 */
	int64_t		di_ctime;		/*  48 */
	int64_t		di_birthtime;		/*  56 */
	int32_t		di_mtimensec;		/*  64 */
	int32_t		di_atimensec;		/*  68 */
	int32_t		di_ctimensec;		/*  72 */
	int32_t		di_birthnsec;		/*  76 */
	int32_t		di_gen;			/*  80 */
	uint32_t	di_kernflags;		/*  84 */
	uint32_t	di_flags;		/*  88 */
	int32_t		di_extsize;		/*  92 */
	int64_t		di_extb[FFS_NXADDR];	/*  96 */
	int64_t		di_db[FFS_NDADDR];	/* 112 */
	int64_t		di_ib[FFS_NIADDR];	/* 208 */
	uint64_t	di_modrev;		/* 232 */
	uint32_t	di_freelink;		/* 240 */
	uint32_t	di_spare[3];		/* 244 */
};

/* File types in di_mode. */
#define FFS_IFMT	0170000
#define FFS_IFIFO	0010000
#define FFS_IFCHR	0020000
#define FFS_IFDIR	0040000
#define FFS_IFBLK	0060000
#define FFS_IFREG	0100000
#define FFS_IFLNK	0120000
#define FFS_IFSOCK	0140000

/*
 * A directory entry.  Entries are 4-byte aligned and never cross a
 * FFS_DIRBLKSIZ boundary; d_reclen takes the entry to the next one, so
 * the last entry of a block absorbs its free space.  d_ino 0: unused.
 */
struct ffs_direct {
	uint32_t	d_ino;
	uint16_t	d_reclen;
	uint8_t		d_type;		/* DT_* */
	uint8_t		d_namlen;
	char		d_name[FFS_MAXNAMLEN + 1];	/* NUL-terminated */
};
#define FFS_DIRHDRSIZE	8
/* The smallest record for a name of namlen bytes. */
#define FFS_DIRSIZ(namlen)	((FFS_DIRHDRSIZE + (namlen) + 1 + 3) & ~3)

/* Directory entry types. */
#define FFS_DT_UNKNOWN	0
#define FFS_DT_FIFO	1
#define FFS_DT_CHR	2
#define FFS_DT_DIR	4
#define FFS_DT_BLK	6
#define FFS_DT_REG	8
#define FFS_DT_LNK	10
#define FFS_DT_SOCK	12

/*
 * Geometry, from a superblock fs.  Fragment addresses ("fsb") and
 * logical block numbers of a file ("lbn") are int64_t.
 */
#define ffs_cgbase(fs, c)	((int64_t)(fs)->fs_fpg * (c))
/* UFS1 staggered groups once; fs_old_cgmask is -1 when it does not. */
#define ffs_cgstart(fs, c)						\
	((fs)->fs_magic == FFS_UFS2_MAGIC ? ffs_cgbase(fs, c) :		\
	    ffs_cgbase(fs, c) + (int64_t)(fs)->fs_old_cgoffset *		\
	    ((c) & ~(fs)->fs_old_cgmask))
#define ffs_cgsblock(fs, c)	(ffs_cgstart(fs, c) + (fs)->fs_sblkno)
#define ffs_cgtod(fs, c)	(ffs_cgstart(fs, c) + (fs)->fs_cblkno)
#define ffs_cgimin(fs, c)	(ffs_cgstart(fs, c) + (fs)->fs_iblkno)
#define ffs_cgdmin(fs, c)	(ffs_cgstart(fs, c) + (fs)->fs_dblkno)
#define ffs_dtog(fs, fsb)	((int)((fsb) / (fs)->fs_fpg))
#define ffs_dtogd(fs, fsb)	((int)((fsb) % (fs)->fs_fpg))
#define ffs_ino_to_cg(fs, ino)	((int)((ino) / (uint32_t)(fs)->fs_ipg))
/* The fragment address of the block holding inode ino, and its index. */
#define ffs_ino_to_fsba(fs, ino)					\
	(ffs_cgimin(fs, ffs_ino_to_cg(fs, ino)) +			\
	    (int64_t)(((ino) % (uint32_t)(fs)->fs_ipg) /		\
	    (uint32_t)(fs)->fs_inopb) * (fs)->fs_frag)
#define ffs_ino_to_fsbo(fs, ino)	((int)((ino) % (uint32_t)(fs)->fs_inopb))
#define ffs_fsbtodb(fs, fsb)	((int64_t)(fsb) << (fs)->fs_fsbtodb)
#define ffs_dbtofsb(fs, db)	((int64_t)(db) >> (fs)->fs_fsbtodb)
#define ffs_lblkno(fs, off)	((int64_t)(off) >> (fs)->fs_bshift)
#define ffs_lblktosize(fs, lbn)	((int64_t)(lbn) << (fs)->fs_bshift)
#define ffs_blkoff(fs, off)	((int64_t)(off) & (fs)->fs_qbmask)
#define ffs_fragoff(fs, off)	((int64_t)(off) & (fs)->fs_qfmask)
#define ffs_numfrags(fs, n)	((int64_t)(n) >> (fs)->fs_fshift)
#define ffs_fragroundup(fs, n)						\
	(((int64_t)(n) + (fs)->fs_qfmask) & ~(int64_t)(fs)->fs_qfmask)
#define ffs_blkroundup(fs, n)						\
	(((int64_t)(n) + (fs)->fs_qbmask) & ~(int64_t)(fs)->fs_qbmask)
#define ffs_fragstoblks(fs, f)	((int64_t)(f) >> (fs)->fs_fragshift)
#define ffs_blkstofrags(fs, b)	((int64_t)(b) << (fs)->fs_fragshift)
#define ffs_fragnum(fs, fsb)	((int)((fsb) & ((fs)->fs_frag - 1)))
#define ffs_blknum(fs, fsb)	((int64_t)(fsb) & ~(int64_t)((fs)->fs_frag - 1))
/* The size of logical block lbn of a file of size bytes. */
#define ffs_blksize(fs, size, lbn)					\
	((lbn) >= FFS_NDADDR || (size) >= ((lbn) + 1) << (fs)->fs_bshift \
	    ? (int64_t)(fs)->fs_bsize					\
	    : ffs_fragroundup(fs, ffs_blkoff(fs, size)))

/* log2 of x, a power of two; -1 for anything else. */
static inline int
ffs_ilog2(int64_t x)
{
	int n = 0;

	if (x <= 0 || (x & (x - 1)) != 0)
		return -1;
	while (x > 1) {
		x >>= 1;
		n++;
	}
	return n;
}

/*
 * The usual places of a cylinder group's maps, after its header: for
 * UFS1 the old rotational tables (fs_old_cpg cylinders, fs_old_nrpos
 * positions each; skipped if those are out of range), then the inode
 * map, the fragment map, and with fs_contigsumsize > 0 the cluster
 * summary (its unused slot 0 may overlap the end of the fragment map)
 * and the cluster map.  Sets the cg_*off fields of cg and returns where
 * the last map ends, which must not pass fs_cgsize.
 */
static inline int64_t
ffs_cg_layout(const struct ffs_super *fs, struct ffs_cg *cg)
{
	int64_t off = FFS_CG_HDRSIZE;

	if (fs->fs_magic == FFS_UFS1_MAGIC && fs->fs_old_cpg > 0 &&
	    fs->fs_old_nrpos > 0 && fs->fs_old_cpg <= fs->fs_cgsize &&
	    fs->fs_old_nrpos <= 256) {
		cg->cg_old_btotoff = (int32_t)off;
		off += 4 * (int64_t)fs->fs_old_cpg;
		cg->cg_old_boff = (int32_t)off;
		off += 2 * (int64_t)fs->fs_old_cpg * fs->fs_old_nrpos;
	}
	cg->cg_iusedoff = (int32_t)off;
	off += ((int64_t)fs->fs_ipg + 7) / 8;
	cg->cg_freeoff = (int32_t)off;
	off += ((int64_t)fs->fs_fpg + 7) / 8;
	if (fs->fs_contigsumsize > 0) {
		off = ((off + 3) & ~(int64_t)3) - 4;
		cg->cg_clustersumoff = (int32_t)off;
		off += 4 * ((int64_t)fs->fs_contigsumsize + 1);
		cg->cg_clusteroff = (int32_t)off;
		off += ((int64_t)fs->fs_fpg / fs->fs_frag + 7) / 8;
	}
	cg->cg_nextfreeoff = (int32_t)off;
	return off;
}

#endif /* !_FS_FFS_FFS_FORMAT_H_ */
