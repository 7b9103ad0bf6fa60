/*
 * Partitions by magic path: etfs registrations of disk.img%MBR:n%,
 * %GPT:n%, %GPT:name=...% and %DISKLABEL:x% on images partitioned by
 * util-linux's sfdisk (MBR with logical partitions, GPT with names) and
 * on a NetBSD disklabel this test writes from the documented layout.
 * Each partition is found where the table says, writing to one leaves
 * every other byte of the image alone, and damaged tables (seeded
 * corruption, hundreds of variants) end in an error or in a window
 * inside the image, never in a crash.
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "diskimg.h"

#define IMGSIZE		(32 << 20)	/* sparse */
#define SEC		512

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

struct part {
	const char	*magic;		/* the suffix */
	uint64_t	start, size;	/* sectors, as written in the table */
};

static void
mkimage_sfdisk(const char *img, const char *script)
{

	diskimg_sfdisk(img, IMGSIZE, script);
}

/* Fill sectors [start, start + n) of the image with the byte c. */
static void
hostfill(const char *img, uint64_t start, uint64_t n, int c)
{
	char buf[SEC];
	int fd;

	memset(buf, c, sizeof(buf));
	RL(fd = open(img, O_WRONLY));
	for (; n > 0; n--, start++)
		ATF_REQUIRE_EQ(pwrite(fd, buf, SEC, (off_t)(start * SEC)), SEC);
	close(fd);
}

static char *
slurp(const char *img)
{
	char *buf;
	int fd;

	ATF_REQUIRE((buf = malloc(IMGSIZE)) != NULL);
	RL(fd = open(img, O_RDONLY));
	ATF_REQUIRE_EQ(pread(fd, buf, IMGSIZE, 0), IMGSIZE);
	close(fd);
	return buf;
}

/*
 * Every partition: fill it with its own byte (one per start sector: two
 * names of one partition see the same) on the host, register it
 * as a block device, check the device's size and contents, write its
 * first and last sectors through the kernel, and require the image to
 * have changed there and nowhere else.
 */
#define FILLBYTE(p)	((char)('A' + (p)->start % 23))

static void
check_parts(const char *img, const struct part *p, size_t n)
{
	char path[128], key[32], buf[SEC], *before, *after;
	size_t i, j;
	uint64_t off, len;
	int fd;

	for (i = 0; i < n; i++)
		hostfill(img, p[i].start, p[i].size, FILLBYTE(&p[i]));
	ATF_REQUIRE_EQ(rump_init(), 0);
	for (i = 0; i < n; i++) {
		/* Again: an earlier name of this partition wrote into it. */
		hostfill(img, p[i].start, p[i].size, FILLBYTE(&p[i]));
		snprintf(path, sizeof(path), "%s%s", img, p[i].magic);
		snprintf(key, sizeof(key), "/dev/p%zu", i);
		ATF_REQUIRE_EQ_MSG(rump_pub_etfs_register(key, path,
		    RUMP_ETFS_BLK), 0, "%s", path);
		RL(fd = rump_sys_open(key, O_RDWR));
		ATF_REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_END),
		    (off_t)(p[i].size * SEC));
		ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, SEC, 0), SEC);
		ATF_REQUIRE_MSG(buf[0] == FILLBYTE(&p[i]) && buf[SEC - 1] ==
		    FILLBYTE(&p[i]), "%s: not the partition's data", path);

		before = slurp(img);
		memset(buf, 'z', sizeof(buf));
		ATF_REQUIRE_EQ(rump_sys_pwrite(fd, buf, SEC, 0), SEC);
		ATF_REQUIRE_EQ(rump_sys_pwrite(fd, buf, SEC,
		    (off_t)((p[i].size - 1) * SEC)), SEC);
		ATF_REQUIRE_EQ(rump_sys_pwrite(fd, buf, SEC,
		    (off_t)(p[i].size * SEC)), -1);
		RL(rump_sys_fsync(fd));
		RL(rump_sys_close(fd));
		after = slurp(img);
		for (j = 0; j < IMGSIZE; j++) {
			off = p[i].start * SEC;
			len = p[i].size * SEC;
			if (j == off || j == off + len - SEC) {
				j += SEC - 1;
				continue;
			}
			if (before[j] != after[j])
				atf_tc_fail("%s: byte %zu of the image changed",
				    path, j);
		}
		ATF_REQUIRE(after[p[i].start * SEC] == 'z');
		ATF_REQUIRE(after[(p[i].start + p[i].size) * SEC - 1] == 'z');
		free(before);
		free(after);
	}
}

ATF_TC_WITHOUT_HEAD(mbr);
ATF_TC_BODY(mbr, tc)
{
	static const struct part parts[] = {
		{ "%MBR:1%", 2048, 4096 },
		{ "%MBR:2%", 8192, 6144 },
		{ "%MBR:5%", 16384 + 2048, 4096 },
		{ "%MBR:6%", 16384 + 2048 + 4096 + 2048, 8192 },
	};

	mkimage_sfdisk("disk.img", "label: dos\n"
	    "start=2048, size=4096, type=83\n"
	    "start=8192, size=6144, type=83\n"
	    "start=16384, size=32768, type=5\n"
	    "start=18432, size=4096, type=83\n"
	    "start=24576, size=8192, type=83\n");
	check_parts("disk.img", parts, NELEM(parts));
	/* No such partitions. */
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%MBR:3%",
	    RUMP_ETFS_BLK), ENXIO);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%MBR:7%",
	    RUMP_ETFS_BLK), ENXIO);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%GPT:1%",
	    RUMP_ETFS_BLK), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%DISKLABEL:a%",
	    RUMP_ETFS_BLK), EINVAL);
}

ATF_TC_WITHOUT_HEAD(gpt);
ATF_TC_BODY(gpt, tc)
{
	static const struct part parts[] = {
		{ "%GPT:1%", 2048, 4096 },
		{ "%GPT:2%", 8192, 8192 },
		{ "%GPT:name=root%", 8192, 8192 },
		{ "%GPT:3%", 20480, 2048 },
		{ "%GPT:name=swap space%", 20480, 2048 },
	};

	mkimage_sfdisk("disk.img", "label: gpt\n"
	    "start=2048, size=4096, name=boot\n"
	    "start=8192, size=8192, name=root\n"
	    "start=20480, size=2048, name=\"swap space\"\n");
	check_parts("disk.img", parts, NELEM(parts));
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%GPT:4%",
	    RUMP_ETFS_BLK), ENXIO);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%GPT:name=var%",
	    RUMP_ETFS_BLK), ENXIO);
	/* The protective MBR is an MBR, with one partition. */
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%MBR:5%",
	    RUMP_ETFS_BLK), ENXIO);
}

/* A NetBSD disklabel in sector 1 with the parts' %DISKLABEL:x% letters. */
static void
mkimage_disklabel(const char *img, const struct part *p, size_t n,
    uint16_t npart)
{
	struct diskimg_part dp[16];
	size_t i;

	ATF_REQUIRE(n <= NELEM(dp));
	for (i = 0; i < n; i++) {
		dp[i].letter = p[i].magic[11];
		dp[i].start = p[i].start;
		dp[i].size = p[i].size;
	}
	diskimg_disklabel(img, IMGSIZE, dp, n, npart);
}

ATF_TC_WITHOUT_HEAD(disklabel);
ATF_TC_BODY(disklabel, tc)
{
	static const struct part parts[] = {
		{ "%DISKLABEL:a%", 64, 8192 },
		{ "%DISKLABEL:b%", 8256, 4096 },
		{ "%DISKLABEL:e%", 16384, 16384 },
	};

	mkimage_disklabel("disk.img", parts, NELEM(parts), 16);
	check_parts("disk.img", parts, NELEM(parts));
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%DISKLABEL:c%",
	    RUMP_ETFS_BLK), ENXIO);		/* empty */
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%DISKLABEL:q%",
	    RUMP_ETFS_BLK), EINVAL);		/* no such letter */
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "disk.img%MBR:1%",
	    RUMP_ETFS_BLK), EINVAL);		/* no MBR */
}

/* Windows inside partitions, and partitions past the image. */
ATF_TC_WITHOUT_HEAD(windows);
ATF_TC_BODY(windows, tc)
{
	static const struct part inside[] = {
		{ "%DISKLABEL:a%", 64, 1024 },
		{ "%DISKLABEL:b%", IMGSIZE / SEC - 100, 200 },	/* too far */
	};
	struct stat sb;

	mkimage_disklabel("disk.img", inside, NELEM(inside), 2);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register_withsize("/w",
	    "disk.img%DISKLABEL:a%", RUMP_ETFS_REG, 1024, 4096), 0);
	RL(rump_sys_stat("/w", &sb));
	ATF_REQUIRE_EQ(sb.st_size, 4096);
	ATF_REQUIRE_EQ(rump_pub_etfs_register_withsize("/w2",
	    "disk.img%DISKLABEL:a%", RUMP_ETFS_REG, 1024, 1024 * SEC), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/w3",
	    "disk.img%DISKLABEL:b%", RUMP_ETFS_BLK), EINVAL);
	/* Magic suffixes that are not well formed. */
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/w4", "disk.img%MBR:0%",
	    RUMP_ETFS_BLK), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/w4", "disk.img%MBR:x%",
	    RUMP_ETFS_BLK), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/w4", "%GPT:1%",
	    RUMP_ETFS_BLK), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/w4", "nothere.img%GPT:1%",
	    RUMP_ETFS_BLK), ENOENT);
	/* Not a suffix of ours: the whole name is the host file's. */
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/w5", "disk.img%FOO:1%",
	    RUMP_ETFS_BLK), ENOENT);
}

/*
 * Damaged tables: seeded random bytes over the first 64 KiB of valid
 * MBR, GPT and disklabel images.  Registration must fail with EINVAL
 * or ENXIO, or give a device that lies inside the image.
 */
ATF_TC_WITHOUT_HEAD(corrupt);
ATF_TC_BODY(corrupt, tc)
{
	static const char *const magic[] = {
		"%MBR:1%", "%MBR:5%", "%GPT:2%", "%GPT:name=root%",
		"%DISKLABEL:a%", "%DISKLABEL:e%",
	};
	static const struct part lab[] = {
		{ "%DISKLABEL:a%", 64, 8192 },
		{ "%DISKLABEL:e%", 16384, 16384 },
	};
	unsigned char *good[3], buf[65536];
	char path[64], key[32];
	uint32_t seed = 0x5eed, x;
	int i, k, n, fd, error, ok = 0, bad = 0, t;
	off_t end;

	mkimage_sfdisk("mbr.img", "label: dos\n"
	    "start=2048, size=4096, type=83\n"
	    "start=16384, size=32768, type=5\n"
	    "start=18432, size=4096, type=83\n");
	mkimage_sfdisk("gpt.img", "label: gpt\n"
	    "start=2048, size=4096, name=boot\n"
	    "start=8192, size=8192, name=root\n");
	mkimage_disklabel("lab.img", lab, NELEM(lab), 16);
	for (t = 0; t < 3; t++) {
		ATF_REQUIRE((good[t] = malloc(sizeof(buf))) != NULL);
		RL(fd = open(t == 0 ? "mbr.img" : t == 1 ? "gpt.img" :
		    "lab.img", O_RDONLY));
		ATF_REQUIRE_EQ(pread(fd, good[t], sizeof(buf), 0),
		    (ssize_t)sizeof(buf));
		close(fd);
	}
	/* The MBR's logical partitions live past 64 KiB: copy them too. */
	printf("seed %#x\n", seed);
	ATF_REQUIRE_EQ(rump_init(), 0);
	for (i = 0; i < 600; i++) {
		t = i % 3;
		memcpy(buf, good[t], sizeof(buf));
		x = seed ^ (uint32_t)i * 2654435761u;
		/* A few bytes in the table's sectors, or many anywhere. */
		n = 1 + (int)(x % 8);
		for (k = 0; k < n; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[t == 1 ? x % 17408 : t == 0 ? x % 1024 : 512 +
			    x % 512] = (unsigned char)(x >> 16);
		}
		RL(fd = open("bad.img", O_RDWR | O_CREAT | O_TRUNC, 0644));
		RL(ftruncate(fd, IMGSIZE));
		ATF_REQUIRE_EQ(pwrite(fd, buf, sizeof(buf), 0),
		    (ssize_t)sizeof(buf));
		if (t == 0) {
			/* The chain's record at sector 16384. */
			int mfd;
			unsigned char ebr[SEC];

			RL(mfd = open("mbr.img", O_RDONLY));
			ATF_REQUIRE_EQ(pread(mfd, ebr, SEC, 16384 * SEC), SEC);
			close(mfd);
			ATF_REQUIRE_EQ(pwrite(fd, ebr, SEC, 16384 * SEC), SEC);
		}
		close(fd);
		snprintf(path, sizeof(path), "bad.img%s",
		    magic[t * 2 + (i / 3) % 2]);
		snprintf(key, sizeof(key), "/bad%d", i);
		error = rump_pub_etfs_register(key, path, RUMP_ETFS_BLK);
		if (error != 0) {
			ATF_REQUIRE_MSG(error == EINVAL || error == ENXIO,
			    "variant %d: %s: %s", i, path, strerror(error));
			bad++;
			continue;
		}
		ok++;
		RL(fd = rump_sys_open(key, O_RDONLY));
		RL(end = rump_sys_lseek(fd, 0, SEEK_END));
		ATF_REQUIRE(end > 0 && end <= IMGSIZE);
		RL(rump_sys_pread(fd, buf, SEC, end - SEC));
		RL(rump_sys_close(fd));
		ATF_REQUIRE_EQ(rump_pub_etfs_remove(key), 0);
	}
	printf("%d variants refused, %d gave a partition\n", bad, ok);
	ATF_REQUIRE(bad > 0);
	for (t = 0; t < 3; t++)
		free(good[t]);
}

/*
 * rump_pub_etfs_register_why() tells the caller what is wrong, in
 * words that name the problem.
 */
static void
check_why(const char *key, const char *path, enum rump_etfs_type type,
    uint64_t begin, uint64_t size, int want, const char *words)
{
	char why[256];

	memset(why, 'x', sizeof(why));
	ATF_REQUIRE_EQ(rump_pub_etfs_register_why(key, path, type, begin,
	    size, why, sizeof(why)), want);
	if (want == 0)
		return;		/* why is left alone */
	ATF_REQUIRE_MSG(memchr(why, '\0', sizeof(why)) != NULL,
	    "why is not terminated");
	ATF_REQUIRE_MSG(strstr(why, words) != NULL, "%s: \"%s\" has no "
	    "\"%s\"", path, why, words);
}

ATF_TC_WITHOUT_HEAD(why);
ATF_TC_BODY(why, tc)
{
	static const struct part parts[] = {
		{ "%DISKLABEL:a%", 64, 1024 },
	};
	char why[8];

	mkimage_disklabel("disk.img", parts, NELEM(parts), 1);
	ATF_REQUIRE_EQ(rump_init(), 0);
	check_why("/a", "none.img", RUMP_ETFS_BLK, 0, RUMP_ETFS_SIZE_ENDOFF,
	    ENOENT, "none.img: no such file");
	check_why("/a", "disk.img%DISKLABEL:c%", RUMP_ETFS_BLK, 0,
	    RUMP_ETFS_SIZE_ENDOFF, ENXIO, "no partition c");
	check_why("/a", "disk.img%MBR:1%", RUMP_ETFS_BLK, 0,
	    RUMP_ETFS_SIZE_ENDOFF, EINVAL, "no MBR");
	check_why("/a", "disk.img%DISKLABEL:a%", RUMP_ETFS_BLK, 0,
	    1025 * SEC, EINVAL, "past the end of the partition");
	check_why("a", "disk.img", RUMP_ETFS_BLK, 0, RUMP_ETFS_SIZE_ENDOFF,
	    EINVAL, "absolute");
	check_why("/a", "disk.img%DISKLABEL:a%", RUMP_ETFS_BLK, 0,
	    RUMP_ETFS_SIZE_ENDOFF, 0, NULL);
	check_why("/a", "disk.img", RUMP_ETFS_BLK, 0, RUMP_ETFS_SIZE_ENDOFF,
	    EEXIST, "registered already");
	/* A short buffer gets the start of the line, terminated. */
	ATF_REQUIRE_EQ(rump_pub_etfs_register_why("/b", "none.img",
	    RUMP_ETFS_BLK, 0, RUMP_ETFS_SIZE_ENDOFF, why, sizeof(why)),
	    ENOENT);
	ATF_REQUIRE_STREQ(why, "none.im");
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, mbr);
	ATF_TP_ADD_TC(tp, gpt);
	ATF_TP_ADD_TC(tp, disklabel);
	ATF_TP_ADD_TC(tp, windows);
	ATF_TP_ADD_TC(tp, corrupt);
	ATF_TP_ADD_TC(tp, why);
	return atf_no_error();
}
