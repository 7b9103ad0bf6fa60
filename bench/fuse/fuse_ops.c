/*
 * fuse_ops: the operations bench_fuse.sh times on each directory, the
 * same code for every file system: seconds on stdout.
 *
 *   fuse_ops write DIR MIB   MIB MiB in 1 MiB write() calls, then fsync
 *   fuse_ops read DIR MIB    read the file back, checking it
 *   fuse_ops meta DIR N      create (100 bytes), stat, unlink N files:
 *                            three times, one per phase
 */

#include <sys/stat.h>

#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/bench.h"

#define CHUNK	(1024 * 1024)

static double
secs(int64_t t0)
{

	return (bench_now() - t0) / 1e9;
}

int
main(int argc, char **argv)
{
	static char buf[CHUNK], name[4096];
	struct stat st;
	int64_t t0, i, n;
	int fd;

	if (argc != 4)
		errx(2, "usage: fuse_ops write|read|meta DIR N");
	n = strtoll(argv[3], NULL, 10);
	if (strcmp(argv[1], "write") == 0 || strcmp(argv[1], "read") == 0) {
		snprintf(name, sizeof(name), "%s/seq", argv[2]);
		t0 = bench_now();
		if (argv[1][0] == 'w') {
			if ((fd = open(name, O_CREAT | O_TRUNC | O_WRONLY,
			    0644)) == -1)
				err(1, "%s", name);
			for (i = 0; i < n; i++) {
				memset(buf, (int)(i & 0xff), 64);
				if (write(fd, buf, CHUNK) != CHUNK)
					err(1, "write");
			}
			if (fsync(fd) == -1)
				err(1, "fsync");
		} else {
			if ((fd = open(name, O_RDONLY)) == -1)
				err(1, "%s", name);
			for (i = 0; i < n; i++) {
				if (read(fd, buf, CHUNK) != CHUNK)
					err(1, "read");
				if (buf[0] != (char)(i & 0xff))
					errx(1, "block %lld is wrong", (long long)i);
			}
		}
		close(fd);
		printf("%.6f\n", secs(t0));
		return 0;
	}
	if (strcmp(argv[1], "meta") != 0)
		errx(2, "no operation %s", argv[1]);
	memset(buf, 'm', 100);
	t0 = bench_now();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/f%06lld", argv[2], (long long)i);
		if ((fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644)) == -1 ||
		    write(fd, buf, 100) != 100 || close(fd) == -1)
			err(1, "create %s", name);
	}
	printf("%.6f ", secs(t0));
	t0 = bench_now();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/f%06lld", argv[2], (long long)i);
		if (stat(name, &st) == -1)
			err(1, "stat %s", name);
	}
	printf("%.6f ", secs(t0));
	t0 = bench_now();
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/f%06lld", argv[2], (long long)i);
		if (unlink(name) == -1)
			err(1, "unlink %s", name);
	}
	printf("%.6f\n", secs(t0));
	return 0;
}
