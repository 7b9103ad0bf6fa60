/*
 * The random exerciser (../common/exerciser.c) run through the rump
 * kernel's system calls against every file system of the table in
 * ../common/fstest.c (tests, host side).
 */

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#include "exerciser.h"
#include "fstest.h"

static ssize_t
ex_getdents(int fd, void *buf, size_t len)
{

	return rump_sys_getdents(fd, buf, len);
}

static void __attribute__((__noreturn__))
ex_fail(unsigned seed, int op, const char *what, const char *msg)
{

	atf_tc_fail("seed %u, operation %d (%s): %s", seed, op, what, msg);
}

static const struct ex_sys rump_ex_sys = {
	.open = rump_sys_open, .close = rump_sys_close,
	.read = rump_sys_read, .write = rump_sys_write,
	.pread = rump_sys_pread, .pwrite = rump_sys_pwrite,
	.readv = rump_sys_readv, .writev = rump_sys_writev,
	.lseek = rump_sys_lseek, .stat = rump_sys_stat,
	.fstat = rump_sys_fstat, .truncate = rump_sys_truncate,
	.ftruncate = rump_sys_ftruncate, .unlink = rump_sys_unlink,
	.rename = rump_sys_rename, .link = rump_sys_link,
	.fsync = rump_sys_fsync, .fdatasync = rump_sys_fdatasync,
	.mkdir = rump_sys_mkdir, .rmdir = rump_sys_rmdir,
	.chdir = rump_sys_chdir, .statvfs = rump_sys_statvfs,
	.getdents = ex_getdents, .fail = ex_fail,
};

FSTEST(exerciser, "random operations on a few files, checked against a model",
    .ft_timeout = 600)
{
	int flags = EX_DIRECT;

	if (fs->fs_flags & FS_HAS_BIGFILES)
		flags |= EX_BIGFILES;
	if (fs->fs_flags & FS_HAS_HARDLINKS)
		flags |= EX_HARDLINKS;
	if (fs->fs_flags & FS_HAS_STATVFS_EXACT)
		flags |= EX_FREE_EXACT;
	ex_run(&rump_ex_sys, mnt, flags);
	ATF_REQUIRE(rump_sys_chdir("/") == 0);
}

ATF_TP_ADD_TCS(tp)
{

	FSTEST_ADD(tp, exerciser);
	return atf_no_error();
}
