/*
 * etfs without the disk component: a program linked with librumpvfs
 * alone registers regular files of plain host paths; devices and
 * partition paths are ENODEV (never a file literally named
 * "disk.img%MBR:1%"), and nothing is left at the key.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

ATF_TC_WITHOUT_HEAD(nodisk);
ATF_TC_BODY(nodisk, tc)
{
	struct stat sb;
	char buf[6];
	int fd;

	RL(fd = open("disk.img", O_RDWR | O_CREAT | O_TRUNC, 0644));
	RL(ftruncate(fd, 1024 * 1024));
	RL(pwrite(fd, "hello", 5, 0));
	close(fd);
	/* A host file whose name merely looks like a magic path. */
	RL(fd = open("disk.img%MBR:1%", O_RDWR | O_CREAT | O_TRUNC, 0644));
	close(fd);

	ATF_REQUIRE_EQ(rump_init(), 0);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/dev/wd0", "disk.img",
	    RUMP_ETFS_BLK), ENODEV);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/dev/rwd0", "disk.img",
	    RUMP_ETFS_CHR), ENODEV);
	ATF_REQUIRE_EQ(rump_pub_etfs_register("/part", "disk.img%MBR:1%",
	    RUMP_ETFS_REG), ENODEV);
	ATF_REQUIRE_EQ(rump_sys_stat("/dev/wd0", &sb), -1);
	ATF_REQUIRE_EQ(rump_sys_stat("/part", &sb), -1);

	ATF_REQUIRE_EQ(rump_pub_etfs_register("/img", "disk.img",
	    RUMP_ETFS_REG), 0);
	RL(fd = rump_sys_open("/img", O_RDONLY));
	ATF_REQUIRE_EQ(rump_sys_read(fd, buf, 5), 5);
	ATF_REQUIRE_EQ(memcmp(buf, "hello", 5), 0);
	RL(rump_sys_close(fd));
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, nodisk);
	return atf_no_error();
}
