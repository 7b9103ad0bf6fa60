/*
 * etfs: host files inside the rump kernel (rump_pub_etfs_*()).  Each
 * case makes its host files in the ATF work directory and checks what
 * the kernel shows against what the host file holds, read back with
 * the host's own calls.
 */

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "kernspace.h"

#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))
#define RE(e, x) do {							\
	errno = 0;							\
	ATF_REQUIRE_MSG((x) == -1 && errno == (e),			\
	    "%s: expected %s, got errno %d", #x, strerror(e), errno);	\
} while (/* CONSTCOND */ 0)

/* A host file of len bytes: byte i is pattern(i). */
static unsigned char
pattern(off_t i)
{

	return (unsigned char)(i * 7 + (i >> 8));
}

static void
mkhost(const char *path, size_t len)
{
	unsigned char *buf;
	size_t i;
	int fd;

	buf = malloc(len + 1);
	ATF_REQUIRE(buf != NULL);
	for (i = 0; i < len; i++)
		buf[i] = pattern((off_t)i);
	RL(fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	ATF_REQUIRE_EQ(write(fd, buf, len), (ssize_t)len);
	close(fd);
	free(buf);
}

/* Do the host file's bytes [off, off+len) follow the pattern? */
static bool
hostpattern(const char *path, off_t off, size_t len)
{
	unsigned char buf[4096];
	size_t i, n;
	int fd;

	RL(fd = open(path, O_RDONLY));
	while (len > 0) {
		n = len < sizeof(buf) ? len : sizeof(buf);
		if (pread(fd, buf, n, off) != (ssize_t)n) {
			close(fd);
			return false;
		}
		for (i = 0; i < n; i++)
			if (buf[i] != pattern(off + (off_t)i)) {
				close(fd);
				return false;
			}
		off += (off_t)n;
		len -= n;
	}
	close(fd);
	return true;
}

static void
hostread(const char *path, off_t off, char *buf, size_t len)
{
	int fd;

	RL(fd = open(path, O_RDONLY));
	ATF_REQUIRE_EQ(pread(fd, buf, len, off), (ssize_t)len);
	close(fd);
}

static off_t
hostsize(const char *path)
{
	struct stat sb;

	RL(stat(path, &sb));
	return sb.st_size;
}

ATF_TC_WITHOUT_HEAD(reg);
ATF_TC_BODY(reg, tc)
{
	char buf[64];
	struct stat sb;
	int fd;

	mkhost("host.img", 1000);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/etfs/sub/file", "host.img",
	    RUMP_ETFS_REG), 0);

	/* The directories above were made; the file is the host's. */
	RL(rump_sys_stat("/etfs/sub", &sb));
	ATF_REQUIRE(S_ISDIR(sb.st_mode));
	ATF_REQUIRE_EQ(sb.st_mode & 07777, 0755);
	RL(rump_sys_stat("/etfs/sub/file", &sb));
	ATF_REQUIRE(S_ISREG(sb.st_mode));
	ATF_REQUIRE_EQ(sb.st_size, 1000);
	ATF_REQUIRE_EQ(sb.st_mode & 07777, 0644);
	ATF_REQUIRE_EQ(sb.st_uid, 0);

	RL(fd = rump_sys_open("/etfs/sub/file", O_RDWR));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 10, 500), 10);
	ATF_REQUIRE(buf[0] == (char)pattern(500) &&
	    buf[9] == (char)pattern(509));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 990), 10);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 1000), 0);

	/* Writes reach the host file; a whole file grows. */
	ATF_REQUIRE_EQ(rump_sys_pwrite(fd, "kernel", 6, 100), 6);
	hostread("host.img", 100, buf, 6);
	ATF_REQUIRE(memcmp(buf, "kernel", 6) == 0);
	ATF_REQUIRE(hostpattern("host.img", 0, 100));
	ATF_REQUIRE(hostpattern("host.img", 106, 894));
	ATF_REQUIRE_EQ(rump_sys_pwrite(fd, "tail", 4, 2000), 4);
	ATF_REQUIRE_EQ(hostsize("host.img"), 2004);
	RL(rump_sys_fstat(fd, &sb));
	ATF_REQUIRE_EQ(sb.st_size, 2004);
	RL(rump_sys_fsync(fd));
	RL(rump_sys_close(fd));

	RL(fd = rump_sys_open("/etfs/sub/file", O_WRONLY | O_APPEND));
	ATF_REQUIRE_EQ(rump_sys_write(fd, "++", 2), 2);
	RL(rump_sys_close(fd));
	ATF_REQUIRE_EQ(hostsize("host.img"), 2006);
	hostread("host.img", 2000, buf, 6);
	ATF_REQUIRE(memcmp(buf, "tail++", 6) == 0);

	/* The size is the host's to set. */
	RE(EOPNOTSUPP, rump_sys_truncate("/etfs/sub/file", 10));
	RL(rump_sys_truncate("/etfs/sub/file", 2006));
	RE(EOPNOTSUPP, rump_sys_open("/etfs/sub/file", O_WRONLY | O_TRUNC));
	/* Attributes are the kernel's own. */
	RL(rump_sys_chmod("/etfs/sub/file", 0600));
	RL(rump_sys_stat("/etfs/sub/file", &sb));
	ATF_REQUIRE_EQ(sb.st_mode & 07777, 0600);
	ATF_REQUIRE_EQ(sb.st_size, 2006);

	/* Removed: the name goes, the host file stays. */
	ATF_REQUIRE_EQ(rump_pub_etfs_remove("/etfs/sub/file"), 0);
	RE(ENOENT, rump_sys_stat("/etfs/sub/file", &sb));
	ATF_REQUIRE_EQ(rump_pub_etfs_remove("/etfs/sub/file"), ENOENT);
	ATF_REQUIRE_EQ(hostsize("host.img"), 2006);
}

ATF_TC_WITHOUT_HEAD(reg_window);
ATF_TC_BODY(reg_window, tc)
{
	char buf[16384];
	struct stat sb;
	int fd;

	mkhost("host.img", 16384);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register_withsize("/win", "host.img",
	    RUMP_ETFS_REG, 4096, 8192), 0);
	RL(rump_sys_stat("/win", &sb));
	ATF_REQUIRE_EQ(sb.st_size, 8192);

	RL(fd = rump_sys_open("/win", O_RDWR));
	ATF_REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 8192);
	ATF_REQUIRE(buf[0] == (char)pattern(4096));
	ATF_REQUIRE(buf[8191] == (char)pattern(12287));
	ATF_REQUIRE_EQ(rump_sys_read(fd, buf, sizeof(buf)), 0);
	/* A window does not grow: a write stops at its end. */
	ATF_REQUIRE_EQ(rump_sys_pwrite(fd, "abcd", 4, 8190), 2);
	RE(ENOSPC, rump_sys_pwrite(fd, "abcd", 4, 8192));
	RL(rump_sys_close(fd));
	hostread("host.img", 4096 + 8190, buf, 2);
	ATF_REQUIRE(memcmp(buf, "ab", 2) == 0);
	/* Nothing outside the window changed. */
	ATF_REQUIRE(hostpattern("host.img", 0, 4096 + 8190));
	ATF_REQUIRE(hostpattern("host.img", 12288, 4096));
	ATF_REQUIRE_EQ(hostsize("host.img"), 16384);

	/* Windows that do not fit. */
	ATF_REQUIRE_EQ(rump_pub_etfs_register_withsize("/w2", "host.img",
	    RUMP_ETFS_REG, 16000, 1000), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_etfs_register_withsize("/w2", "host.img",
	    RUMP_ETFS_REG, 20000, RUMP_ETFS_SIZE_ENDOFF), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_etfs_register_withsize("/w2", "host.img",
	    RUMP_ETFS_REG, 16384, RUMP_ETFS_SIZE_ENDOFF), 0);
	RL(rump_sys_stat("/w2", &sb));
	ATF_REQUIRE_EQ(sb.st_size, 0);
}

/* A device node: its number, reads, writes, the end, fsync. */
static void
check_device(const char *key, enum rump_etfs_type type, mode_t fmt)
{
	char buf[8192];
	struct stat sb;
	int fd;

	mkhost("disk.img", 65536);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register_withsize(key, "disk.img",
	    type, 8192, 32768), 0);
	RL(rump_sys_stat(key, &sb));
	ATF_REQUIRE_EQ(sb.st_mode & S_IFMT, fmt);
	ATF_REQUIRE_EQ(sb.st_mode & 07777, 0600);

	RL(fd = rump_sys_open(key, O_RDWR));
	ATF_REQUIRE_EQ(rump_sys_lseek(fd, 0, SEEK_END), 32768);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 512, 0), 512);
	ATF_REQUIRE(buf[0] == (char)pattern(8192));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 32768 - 100),
	    100);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, sizeof(buf), 32768), 0);
	memset(buf, 'x', sizeof(buf));
	ATF_REQUIRE_EQ(rump_sys_pwrite(fd, buf, 512, 1024), 512);
	RE(ENOSPC, rump_sys_pwrite(fd, buf, 512, 32768));
	ATF_REQUIRE_EQ(rump_sys_pwrite(fd, buf, 512, 32768 - 256), 256);
	RL(rump_sys_fsync(fd));
	RE(EINVAL, rump_sys_ftruncate(fd, 0));

	hostread("disk.img", 8192 + 1024, buf, 512);
	ATF_REQUIRE(buf[0] == 'x' && buf[511] == 'x');
	ATF_REQUIRE(hostpattern("disk.img", 0, 8192 + 1024));
	ATF_REQUIRE(hostpattern("disk.img", 8192 + 1536,
	    32768 - 1536 - 256));
	ATF_REQUIRE(hostpattern("disk.img", 8192 + 32768, 65536 - 40960));

	/* Another node with the same number is the same device. */
	RL(rump_sys_mknod("/other", fmt | 0600, sb.st_rdev));
	/* Removed: open files go on, new opens are ENXIO. */
	ATF_REQUIRE_EQ(rump_pub_etfs_remove(key), 0);
	RE(ENOENT, rump_sys_stat(key, &sb));
	ATF_REQUIRE_EQ(rump_sys_pread(fd, buf, 512, 0), 512);
	RE(ENXIO, rump_sys_open("/other", O_RDONLY));
	RL(rump_sys_close(fd));
	RE(ENXIO, rump_sys_open("/other", O_RDONLY));
}

ATF_TC_WITHOUT_HEAD(blk);
ATF_TC_BODY(blk, tc)
{

	check_device("/dev/disk0", RUMP_ETFS_BLK, S_IFBLK);
}

ATF_TC_WITHOUT_HEAD(chr);
ATF_TC_BODY(chr, tc)
{

	check_device("/dev/rdisk0", RUMP_ETFS_CHR, S_IFCHR);
}

/*
 * The block device's strategy, from kernel code (kernspace/ks_bio.c):
 * reads with many in flight, EIO outside the window, a synchronous
 * write; the host file changes inside the window only.
 */
ATF_TC_WITHOUT_HEAD(strategy);
ATF_TC_BODY(strategy, tc)
{
	const off_t begin = 65536, size = 256 * 1024, total = 1024 * 1024;
	char buf[4096];
	struct stat sb;
	const char *err;
	int fd;

	RL(fd = open("disk.img", O_RDWR | O_CREAT | O_TRUNC, 0644));
	memset(buf, 'o', sizeof(buf));
	for (off_t o = 0; o < total; o += sizeof(buf))
		ATF_REQUIRE_EQ(pwrite(fd, buf, sizeof(buf), o), sizeof(buf));
	memset(buf, 'i', sizeof(buf));
	for (off_t o = begin; o < begin + size; o += sizeof(buf))
		ATF_REQUIRE_EQ(pwrite(fd, buf, sizeof(buf), o), sizeof(buf));
	close(fd);

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register_withsize("/dev/wd0",
	    "disk.img", RUMP_ETFS_BLK, begin, size), 0);
	RL(rump_sys_stat("/dev/wd0", &sb));
	err = KCALL(rumpns_ks_bio_device(major(sb.st_rdev),
	    minor(sb.st_rdev), size, 'i'));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);

	/* Block 1 of the window is 'W'; nothing outside it changed. */
	RL(fd = open("disk.img", O_RDONLY));
	for (off_t o = 0; o < total; o += sizeof(buf)) {
		char want = o < begin || o >= begin + size ? 'o' :
		    o == begin + 4096 ? 'W' : 'i';

		ATF_REQUIRE_EQ(pread(fd, buf, sizeof(buf), o), sizeof(buf));
		for (size_t j = 0; j < sizeof(buf); j++)
			ATF_REQUIRE_MSG(buf[j] == want, "byte %lld is %c, not "
			    "%c", (long long)(o + (off_t)j), buf[j], want);
	}
	close(fd);
}

/*
 * The buffer cache on the etfs block device, from kernel code
 * (kernspace/ks_bufcache.c): clustered delayed writes, read-ahead,
 * a block at a new size, binval(), a failed write reported; the host
 * file then holds exactly what the cache was told to write, in the
 * window only.
 */
ATF_TC_WITHOUT_HEAD(bufcache);
ATF_TC_BODY(bufcache, tc)
{
	const off_t begin = 65536, size = 256 * 1024, total = 1024 * 1024;
	char buf[4096];
	struct stat sb;
	const char *err;
	int fd;

	RL(fd = open("disk.img", O_RDWR | O_CREAT | O_TRUNC, 0644));
	memset(buf, 'o', sizeof(buf));
	for (off_t o = 0; o < total; o += sizeof(buf))
		ATF_REQUIRE_EQ(pwrite(fd, buf, sizeof(buf), o), sizeof(buf));
	close(fd);

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register_withsize("/dev/wd0",
	    "disk.img", RUMP_ETFS_BLK, begin, size), 0);
	RL(rump_sys_stat("/dev/wd0", &sb));
	err = KCALL(rumpns_ks_bufcache(major(sb.st_rdev), minor(sb.st_rdev),
	    size, (int)(size / 4096)));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);

	RL(fd = open("disk.img", O_RDONLY));
	for (off_t o = 0; o < total; o += sizeof(buf)) {
		off_t blk = (o - begin) / 4096;
		char want = o < begin || o >= begin + size ? 'o' :
		    blk == 0 ? 'Y' : (char)('a' + blk % 26);

		ATF_REQUIRE_EQ(pread(fd, buf, sizeof(buf), o), sizeof(buf));
		for (size_t j = 0; j < sizeof(buf); j++)
			ATF_REQUIRE_MSG(buf[j] == want, "byte %lld is %c, not "
			    "%c", (long long)(o + (off_t)j), buf[j], want);
	}
	close(fd);
}

/*
 * With RUMP_MEMLIMIT=32m the cache's budget is 8 MiB: writing three
 * times that keeps it within the budget, and every block arrives.
 */
ATF_TC_WITHOUT_HEAD(bufcache_budget);
ATF_TC_BODY(bufcache_budget, tc)
{
	const int nblocks = 6144;
	char buf[4096];
	struct stat sb;
	const char *err;
	int fd;

	RL(fd = open("disk.img", O_RDWR | O_CREAT | O_TRUNC, 0644));
	RL(ftruncate(fd, (off_t)nblocks * 4096));
	close(fd);
	RL(setenv("RUMP_MEMLIMIT", "33554432", 1));
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/dev/wd0", "disk.img",
	    RUMP_ETFS_BLK), 0);
	RL(rump_sys_stat("/dev/wd0", &sb));
	err = KCALL(rumpns_ks_bufcache_budget(major(sb.st_rdev),
	    minor(sb.st_rdev), nblocks));
	ATF_REQUIRE_MSG(err == NULL, "%s", err);

	RL(fd = open("disk.img", O_RDONLY));
	for (int b = 0; b < nblocks; b++) {
		ATF_REQUIRE_EQ(pread(fd, buf, sizeof(buf), (off_t)b * 4096),
		    sizeof(buf));
		for (size_t j = 0; j < sizeof(buf); j++)
			ATF_REQUIRE_MSG(buf[j] == (char)('a' + b % 26),
			    "block %d byte %zu is %c", b, j, buf[j]);
	}
	close(fd);
}

ATF_TC_WITHOUT_HEAD(kinds);
ATF_TC_BODY(kinds, tc)
{
	struct stat b, c;

	mkhost("disk.img", 4096);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/b", "disk.img",
	    RUMP_ETFS_BLK), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/c", "disk.img",
	    RUMP_ETFS_CHR), 0);
	RL(rump_sys_stat("/b", &b));
	RL(rump_sys_stat("/c", &c));
	ATF_REQUIRE(b.st_rdev != c.st_rdev);
	/* A block device's number is not a character device. */
	RL(rump_sys_mknod("/cb", S_IFCHR | 0600, b.st_rdev));
	RE(ENXIO, rump_sys_open("/cb", O_RDONLY));
	RL(rump_sys_mknod("/bc", S_IFBLK | 0600, c.st_rdev));
	RE(ENXIO, rump_sys_open("/bc", O_RDONLY));
}

ATF_TC_WITHOUT_HEAD(errors);
ATF_TC_BODY(errors, tc)
{

	mkhost("f", 100);
	RL(mkdir("d", 0755));
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "nonexistent",
	    RUMP_ETFS_REG), ENOENT);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "d", RUMP_ETFS_REG),
	    EISDIR);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("x", "f", RUMP_ETFS_REG),
	    EINVAL);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "f",
	    (enum rump_etfs_type)7), EINVAL);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "f", RUMP_ETFS_REG), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "f", RUMP_ETFS_REG),
	    EEXIST);
	RL(rump_sys_mkdir("/y", 0755));
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/y", "f", RUMP_ETFS_BLK),
	    EEXIST);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x/z", "f", RUMP_ETFS_REG),
	    ENOTDIR);
	ATF_REQUIRE_EQ(rump_pub_etfs_remove("/nothing"), ENOENT);
	/* A file the user unlinked: remove only unregisters. */
	RL(rump_sys_unlink("/x"));
	ATF_REQUIRE_EQ(rump_pub_etfs_remove("/x"), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/x", "f", RUMP_ETFS_CHR), 0);
}

/*
 * Registrations still there when the kernel halts are dropped with it,
 * written data synced (valgrind sees any memory left behind).
 */
ATF_TC_WITHOUT_HEAD(halt);
ATF_TC_BODY(halt, tc)
{
	char buf[4];
	int fd;

	mkhost("f", 100);
	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/r", "f", RUMP_ETFS_REG), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/b", "f", RUMP_ETFS_BLK), 0);
	RL(fd = rump_sys_open("/b", O_RDWR));
	ATF_REQUIRE_EQ(rump_sys_write(fd, "halt", 4), 4);
	RL(rump_sys_open("/r", O_RDONLY));
	RL(rump_sys_reboot(RUMP_RB_HALT, NULL));
	hostread("f", 0, buf, 4);
	ATF_REQUIRE(memcmp(buf, "halt", 4) == 0);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, reg);
	ATF_TP_ADD_TC(tp, reg_window);
	ATF_TP_ADD_TC(tp, blk);
	ATF_TP_ADD_TC(tp, chr);
	ATF_TP_ADD_TC(tp, strategy);
	ATF_TP_ADD_TC(tp, bufcache);
	ATF_TP_ADD_TC(tp, bufcache_budget);
	ATF_TP_ADD_TC(tp, kinds);
	ATF_TP_ADD_TC(tp, errors);
	ATF_TP_ADD_TC(tp, halt);
	return atf_no_error();
}
