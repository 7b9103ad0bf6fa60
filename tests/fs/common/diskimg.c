/*
 * Partitioned disk images for tests (host side); see diskimg.h.
 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "diskimg.h"

#define SFDISK		"/usr/sbin/sfdisk"
#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

static void
diskimg_create(const char *img, uint64_t size)
{
	int fd;

	RL(fd = open(img, O_RDWR | O_CREAT | O_TRUNC, 0644));
	RL(ftruncate(fd, (off_t)size));
	close(fd);
}

void
diskimg_sfdisk(const char *img, uint64_t size, const char *script)
{
	char cmd[512];
	FILE *f;
	int status;

	if (access(SFDISK, X_OK) != 0)
		atf_tc_skip(SFDISK " is missing (Debian package fdisk; "
		    "./buildrump.sh deps installs it)");
	diskimg_create(img, size);
	snprintf(cmd, sizeof(cmd), SFDISK " --quiet --no-reread %s "
	    ">sfdisk.out 2>&1", img);
	ATF_REQUIRE((f = popen(cmd, "w")) != NULL);
	fputs(script, f);
	status = pclose(f);
	if (status != 0)
		system("cat sfdisk.out >&2");
	ATF_REQUIRE_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "sfdisk failed");
}

static void
put_le(unsigned char *p, uint64_t v, int n)
{

	while (n-- > 0) {
		*p++ = (unsigned char)v;
		v >>= 8;
	}
}

void
diskimg_disklabel(const char *img, uint64_t size,
    const struct diskimg_part *p, size_t n, uint16_t npart)
{
	unsigned char lab[DISKIMG_SEC];
	uint16_t sum = 0;
	size_t i;
	int fd;

	memset(lab, 0, sizeof(lab));
	put_le(lab + 0, 0x82564557, 4);		/* d_magic */
	put_le(lab + 40, DISKIMG_SEC, 4);	/* d_secsize */
	put_le(lab + 60, size / DISKIMG_SEC, 4); /* d_secperunit */
	put_le(lab + 132, 0x82564557, 4);	/* d_magic2 */
	put_le(lab + 138, npart, 2);		/* d_npartitions */
	for (i = 0; i < n; i++) {
		unsigned char *pp = lab + 148 + 16 * (p[i].letter - 'a');

		put_le(pp, p[i].size, 4);	/* p_size */
		put_le(pp + 4, p[i].start, 4);	/* p_offset */
		pp[12] = 7;			/* p_fstype: 4.2BSD */
	}
	for (i = 0; i < 148 + 16 * (size_t)npart; i += 2)
		sum ^= (uint16_t)(lab[i] | lab[i + 1] << 8);
	put_le(lab + 136, sum, 2);		/* d_checksum */
	diskimg_create(img, size);
	RL(fd = open(img, O_RDWR));
	ATF_REQUIRE_EQ(pwrite(fd, lab, DISKIMG_SEC, DISKIMG_SEC),
	    DISKIMG_SEC);
	close(fd);
}

void
diskimg_copyin(const char *img, uint64_t off, const char *src)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	RL(in = open(src, O_RDONLY));
	RL(out = open(img, O_WRONLY));
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		ATF_REQUIRE_EQ(pwrite(out, buf, (size_t)n, (off_t)off), n);
		off += (uint64_t)n;
	}
	RL(n);
	close(in);
	close(out);
}

int
diskimg_run(char *const argv[])
{
	pid_t pid;
	int status, fd;

	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int
diskimg_makefs(const char *img, int version, uint64_t size, uint64_t inodes)
{
	char dir[1024], opt[32], sz[32], nodes[32];
	char *argv[] = { "/usr/sbin/makefs", "-t", "ffs", "-o", opt, "-s",
	    sz, (char *)img, dir, NULL, NULL, NULL };

	snprintf(dir, sizeof(dir), "%s.d", img);
	snprintf(opt, sizeof(opt), "version=%d", version);
	snprintf(sz, sizeof(sz), "%llu", (unsigned long long)size);
	snprintf(nodes, sizeof(nodes), "%llu", (unsigned long long)inodes);
	if (inodes != 0) {
		/* -f N before the operands. */
		argv[9] = argv[7];
		argv[10] = argv[8];
		argv[7] = "-f";
		argv[8] = nodes;
	}
	if (mkdir(dir, 0755) == -1 && errno != EEXIST)
		return -1;
	return diskimg_run(argv);
}
