/*
 * The hypercall layer against the host: parameters, clocks and sleep,
 * host files, and many asynchronous block I/Os in flight at once, with
 * every byte checked against what the host's own read(2) sees.
 */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rumpuser.h>

#include "kabi.h"

static const struct rumpuser_hyperup hyp;

ATF_TC_WITHOUT_HEAD(version);
ATF_TC_BODY(version, tc)
{

	ATF_REQUIRE_EQ(rumpuser_init(RUMPUSER_VERSION + 1, &hyp),
	    RUMPUSER_EVERSION);
	ATF_REQUIRE_EQ(rumpuser_init(RUMPUSER_VERSION, &hyp), 0);
}

ATF_TC_WITHOUT_HEAD(params);
ATF_TC_BODY(params, tc)
{
	char buf[32];

	ATF_REQUIRE_EQ(rumpuser_init(RUMPUSER_VERSION, &hyp), 0);
	setenv("RUMP_TESTPARAM", "hello", 1);
	ATF_REQUIRE_EQ(rumpuser_getparam("RUMP_TESTPARAM", buf, sizeof(buf)),
	    0);
	ATF_REQUIRE_STREQ(buf, "hello");
	/* Errors come in the kernel's numbering. */
	ATF_REQUIRE_EQ(rumpuser_getparam("RUMP_TESTPARAM", buf, 5),
	    KABI_E2BIG);
	ATF_REQUIRE_EQ(rumpuser_getparam("RUMP_NO_SUCH_PARAM", buf,
	    sizeof(buf)), KABI_ENOENT);
	ATF_REQUIRE_EQ(rumpuser_getparam(RUMPUSER_PARAM_NCPU, buf,
	    sizeof(buf)), 0);
	ATF_REQUIRE_EQ(atol(buf), sysconf(_SC_NPROCESSORS_ONLN));
}

ATF_TC_WITHOUT_HEAD(clock_sleep);
ATF_TC_BODY(clock_sleep, tc)
{
	int64_t s0, s1;
	long n0, n1;

	ATF_REQUIRE_EQ(rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &s0,
	    &n0), 0);
	ATF_REQUIRE_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0,
	    20000000), 0);
	ATF_REQUIRE_EQ(rumpuser_clock_gettime(RUMPUSER_CLOCK_ABSMONO, &s1,
	    &n1), 0);
	ATF_REQUIRE((s1 - s0) * 1000000000 + (n1 - n0) >= 20000000);
	ATF_REQUIRE_EQ(rumpuser_clock_sleep(RUMPUSER_CLOCK_RELWALL, 0,
	    1000000000), KABI_EINVAL);
	ATF_REQUIRE_EQ(rumpuser_clock_gettime(77, &s0, &n0), KABI_EINVAL);
}

ATF_TC_WITHOUT_HEAD(files);
ATF_TC_BODY(files, tc)
{
	char path[] = "rumpuser.XXXXXX", buf[64];
	uint64_t size;
	size_t n;
	int hfd, fd, type;

	ATF_REQUIRE((hfd = mkstemp(path)) != -1);
	close(hfd);
	ATF_REQUIRE_EQ(rumpuser_open(path, RUMPUSER_OPEN_RDWR, &fd), 0);
	ATF_REQUIRE_EQ(rumpuser_pwrite(fd, "anykernel", 9, 4096, &n), 0);
	ATF_REQUIRE_EQ(n, 9);
	ATF_REQUIRE_EQ(rumpuser_getfileinfo(path, &size, &type), 0);
	ATF_REQUIRE_EQ(size, 4105);
	ATF_REQUIRE_EQ(type, RUMPUSER_FT_REG);
	ATF_REQUIRE_EQ(rumpuser_pread(fd, buf, sizeof(buf), 4096, &n), 0);
	ATF_REQUIRE_EQ(n, 9);	/* end of file */
	ATF_REQUIRE_EQ(memcmp(buf, "anykernel", 9), 0);
	ATF_REQUIRE_EQ(rumpuser_syncfd(fd, RUMPUSER_SYNC_ALL), 0);
	ATF_REQUIRE_EQ(rumpuser_close(fd), 0);
	ATF_REQUIRE_EQ(rumpuser_getfileinfo(".", &size, &type), 0);
	ATF_REQUIRE_EQ(type, RUMPUSER_FT_DIR);
	ATF_REQUIRE_EQ(rumpuser_getfileinfo("no/such/file", &size, &type),
	    KABI_ENOENT);
	ATF_REQUIRE_EQ(rumpuser_open(path, RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_CREATE | RUMPUSER_OPEN_EXCL, &fd), KABI_EEXIST);
	unlink(path);
}

#define NBIO	1000
#define BIOSZ	4096

struct biostate {
	pthread_mutex_t	mtx;
	pthread_cond_t	cv;
	int		done;
	int		errors;
	size_t		bytes;
};

static void
biodone(void *arg, size_t done, int error)
{
	struct biostate *bs = arg;

	pthread_mutex_lock(&bs->mtx);
	bs->done++;
	bs->bytes += done;
	if (error != 0)
		bs->errors++;
	pthread_cond_signal(&bs->cv);
	pthread_mutex_unlock(&bs->mtx);
}

static void
biowait(struct biostate *bs, int n)
{

	pthread_mutex_lock(&bs->mtx);
	while (bs->done < n)
		pthread_cond_wait(&bs->cv, &bs->mtx);
	pthread_mutex_unlock(&bs->mtx);
}

/* One piece of memory, as rumpuser_bio() takes it. */
static void
bio1(int fd, int op, void *data, size_t len, int64_t off,
    struct biostate *bs)
{
	struct rumpuser_iovec iov = { .iov_base = data, .iov_len = len };

	rumpuser_bio(fd, op, &iov, 1, off, biodone, bs);
}

/* 1000 writes in flight, then 1000 reads, checked against read(2). */
ATF_TC_WITHOUT_HEAD(bio_concurrent);
ATF_TC_BODY(bio_concurrent, tc)
{
	struct biostate bs = { PTHREAD_MUTEX_INITIALIZER,
	    PTHREAD_COND_INITIALIZER, 0, 0, 0 };
	char path[] = "bio.XXXXXX";
	unsigned char *wbuf, *rbuf, *hbuf;
	int hfd, fd, i;

	wbuf = malloc((size_t)NBIO * BIOSZ);
	rbuf = calloc(NBIO, BIOSZ);
	hbuf = malloc((size_t)NBIO * BIOSZ);
	ATF_REQUIRE(wbuf != NULL && rbuf != NULL && hbuf != NULL);
	srandom(1);
	for (i = 0; i < NBIO * BIOSZ; i++)
		wbuf[i] = (unsigned char)random();
	ATF_REQUIRE((hfd = mkstemp(path)) != -1);
	close(hfd);
	ATF_REQUIRE_EQ(rumpuser_open(path, RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_BIO, &fd), 0);

	for (i = 0; i < NBIO; i++)
		bio1(fd, RUMPUSER_BIO_WRITE | (i % 100 == 0 ?
		    RUMPUSER_BIO_SYNC : 0), wbuf + (size_t)i * BIOSZ, BIOSZ,
		    (int64_t)i * BIOSZ, &bs);
	biowait(&bs, NBIO);
	ATF_REQUIRE_EQ(bs.errors, 0);
	ATF_REQUIRE_EQ(bs.bytes, (size_t)NBIO * BIOSZ);

	/* The host sees exactly what was written. */
	ATF_REQUIRE((hfd = open(path, O_RDONLY)) != -1);
	ATF_REQUIRE_EQ(read(hfd, hbuf, (size_t)NBIO * BIOSZ),
	    (ssize_t)NBIO * BIOSZ);
	close(hfd);
	ATF_REQUIRE(memcmp(hbuf, wbuf, (size_t)NBIO * BIOSZ) == 0);

	bs.done = 0;
	bs.bytes = 0;
	for (i = NBIO - 1; i >= 0; i--)
		bio1(fd, RUMPUSER_BIO_READ, rbuf + (size_t)i * BIOSZ,
		    BIOSZ, (int64_t)i * BIOSZ, &bs);
	/* One read past the end: a short transfer, no error. */
	bio1(fd, RUMPUSER_BIO_READ, hbuf, BIOSZ, (int64_t)NBIO * BIOSZ, &bs);
	biowait(&bs, NBIO + 1);
	ATF_REQUIRE_EQ(bs.errors, 0);
	ATF_REQUIRE_EQ(bs.bytes, (size_t)NBIO * BIOSZ);
	ATF_REQUIRE(memcmp(rbuf, wbuf, (size_t)NBIO * BIOSZ) == 0);

	ATF_REQUIRE_EQ(rumpuser_close(fd), 0);
	unlink(path);
	free(wbuf);
	free(rbuf);
	free(hbuf);
}

/*
 * Vectored transfers: 2 MiB written from about 2000 pieces of random
 * sizes (empty ones among them, more than the host's IOV_MAX in one
 * request), the array scribbled over as soon as the call returns; read
 * back into pieces at mirrored places in memory, and a read that
 * reaches past the end of the file comes back short.
 */
#define VSIZE	(2 * 1024 * 1024)
#define VMAXN	8192

ATF_TC_WITHOUT_HEAD(bio_vectored);
ATF_TC_BODY(bio_vectored, tc)
{
	struct biostate bs = { PTHREAD_MUTEX_INITIALIZER,
	    PTHREAD_COND_INITIALIZER, 0, 0, 0 };
	static struct rumpuser_iovec iov[VMAXN];
	static size_t len[VMAXN];
	char path[] = "biov.XXXXXX";
	unsigned char *wbuf, *rbuf, *hbuf;
	size_t off;
	int hfd, fd, i, n;

	wbuf = malloc(VSIZE);
	rbuf = calloc(1, VSIZE);
	hbuf = malloc(VSIZE);
	ATF_REQUIRE(wbuf != NULL && rbuf != NULL && hbuf != NULL);
	srandom(2);
	for (i = 0; i < VSIZE; i++)
		wbuf[i] = (unsigned char)random();
	for (n = 0, off = 0; off < VSIZE; n++) {
		ATF_REQUIRE(n < VMAXN);
		len[n] = (size_t)random() % 2049;
		if (len[n] > VSIZE - off)
			len[n] = VSIZE - off;
		off += len[n];
	}
	ATF_REQUIRE(n > 1024);
	ATF_REQUIRE((hfd = mkstemp(path)) != -1);
	close(hfd);
	ATF_REQUIRE_EQ(rumpuser_open(path, RUMPUSER_OPEN_RDWR |
	    RUMPUSER_OPEN_BIO, &fd), 0);

	for (i = 0, off = 0; i < n; off += len[i], i++) {
		iov[i].iov_base = wbuf + off;
		iov[i].iov_len = len[i];
	}
	rumpuser_bio(fd, RUMPUSER_BIO_WRITE, iov, n, 0, biodone, &bs);
	memset(iov, 0xa5, sizeof(iov));
	biowait(&bs, 1);
	ATF_REQUIRE_EQ(bs.errors, 0);
	ATF_REQUIRE_EQ(bs.bytes, (size_t)VSIZE);
	ATF_REQUIRE((hfd = open(path, O_RDONLY)) != -1);
	ATF_REQUIRE_EQ(read(hfd, hbuf, VSIZE), (ssize_t)VSIZE);
	close(hfd);
	ATF_REQUIRE(memcmp(hbuf, wbuf, VSIZE) == 0);

	/* Piece i of the file lands where piece i ends from the top. */
	for (i = 0, off = 0; i < n; off += len[i], i++) {
		iov[i].iov_base = rbuf + VSIZE - off - len[i];
		iov[i].iov_len = len[i];
	}
	rumpuser_bio(fd, RUMPUSER_BIO_READ, iov, n, 0, biodone, &bs);
	memset(iov, 0xa5, sizeof(iov));
	biowait(&bs, 2);
	ATF_REQUIRE_EQ(bs.errors, 0);
	ATF_REQUIRE_EQ(bs.bytes, (size_t)2 * VSIZE);
	for (i = 0, off = 0; i < n; off += len[i], i++)
		ATF_REQUIRE_MSG(memcmp(rbuf + VSIZE - off - len[i], wbuf + off,
		    len[i]) == 0, "piece %d", i);

	/* 4 KiB before the end, asked for 8 KiB in two pieces: 4 KiB. */
	iov[0].iov_base = hbuf;
	iov[0].iov_len = 2048;
	iov[1].iov_base = hbuf + 4096;
	iov[1].iov_len = 6144;
	rumpuser_bio(fd, RUMPUSER_BIO_READ, iov, 2, VSIZE - 4096, biodone,
	    &bs);
	biowait(&bs, 3);
	ATF_REQUIRE_EQ(bs.errors, 0);
	ATF_REQUIRE_EQ(bs.bytes, (size_t)2 * VSIZE + 4096);
	ATF_REQUIRE(memcmp(hbuf, wbuf + VSIZE - 4096, 2048) == 0);
	ATF_REQUIRE(memcmp(hbuf + 4096, wbuf + VSIZE - 2048, 2048) == 0);

	ATF_REQUIRE_EQ(rumpuser_close(fd), 0);
	unlink(path);
	free(wbuf);
	free(rbuf);
	free(hbuf);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, version);
	ATF_TP_ADD_TC(tp, params);
	ATF_TP_ADD_TC(tp, clock_sleep);
	ATF_TP_ADD_TC(tp, files);
	ATF_TP_ADD_TC(tp, bio_concurrent);
	ATF_TP_ADD_TC(tp, bio_vectored);
	return atf_no_error();
}
