/*
 * Remote system calls (tests): this program is a librumpclient client
 * of a rump_server it starts.  File work on tmpfs and on an FFS image
 * made by makefs, a clean halt (fsck_ffs after), fork and exec of
 * clients, 50 clients at once, a client killed in the middle of a call,
 * a server killed under a client, reconnecting, TCP, and garbage on the
 * server's socket.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>
#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>
#include <rump/rumpclient.h>

#include "../../lib/librumpuser/sp_wire.h"
#include "remote_util.h"

#define URL	"unix://sock"
#define RL(x)	ATF_REQUIRE_MSG((x) != -1, "%s: %s", #x, strerror(errno))

static void
client_init(const char *url)
{

	setenv("RUMP_SERVER", url, 1);
	ATF_REQUIRE_EQ_MSG(rump_init(), 0, "rump_init: %s", strerror(errno));
}

static void
mount_tmpfs(const char *dir)
{
	struct tmpfs_args ta;

	memset(&ta, 0, sizeof(ta));
	ta.ta_version = RUMP_TMPFS_ARGS_VERSION;
	ta.ta_root_mode = 0777;
	RL(rump_sys_mkdir(dir, 0777));
	RL(rump_sys_mount("tmpfs", dir, 0, &ta, sizeof(ta)));
}

/* Write len bytes of a pattern seeded by seed to path, read them back. */
static void
file_roundtrip(const char *path, size_t len, unsigned seed)
{
	char *buf = malloc(len), *back = malloc(len);
	struct stat st;
	size_t i;
	int fd;

	ATF_REQUIRE(buf != NULL && back != NULL);
	for (i = 0; i < len; i++)
		buf[i] = (char)(seed * 31 + i * 7 + (i >> 9));
	RL(fd = rump_sys_open(path, O_CREAT | O_RDWR | O_TRUNC, 0644));
	ATF_REQUIRE_EQ(rump_sys_write(fd, buf, len), (ssize_t)len);
	RL(rump_sys_fstat(fd, &st));
	ATF_REQUIRE_EQ(st.st_size, (off_t)len);
	ATF_REQUIRE_EQ(rump_sys_pread(fd, back, len, 0), (ssize_t)len);
	ATF_REQUIRE(memcmp(buf, back, len) == 0);
	RL(rump_sys_close(fd));
	free(buf);
	free(back);
}

ATF_TC(files);
ATF_TC_HEAD(files, tc)
{
	atf_tc_set_md_var(tc, "descr", "File work through a remote kernel");
}
ATF_TC_BODY(files, tc)
{
	char buf[4096], cwd[256];
	struct iovec iov[2];
	struct pollfd pfd;
	int fd, p[2], n, found;
	pid_t server;

	server = server_start(URL, "-l", "rumpfs_tmpfs", NULL);
	client_init(URL);
	ATF_REQUIRE(rump_sys_getpid() > 1);
	ATF_REQUIRE_EQ(rumpclient_pid(), rump_sys_getpid());
	mount_tmpfs("/t");

	file_roundtrip("/t/small", 100, 1);
	/* More than one copy message each way. */
	file_roundtrip("/t/big", 3 * SP_MAXCOPY + 123, 2);

	/* Errors come back as the host's errno. */
	ATF_REQUIRE_EQ(rump_sys_open("/t/none", O_RDONLY), -1);
	ATF_REQUIRE_EQ(errno, ENOENT);
	ATF_REQUIRE_EQ(rump_sys_mkdir("/t/small", 0755), -1);
	ATF_REQUIRE_EQ(errno, EEXIST);
	/* A bad address in the client is EFAULT, not a crash. */
	ATF_REQUIRE_EQ(rump_sys_open((const char *)8, O_RDONLY), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);
	RL(fd = rump_sys_open("/t/small", O_RDONLY));
	ATF_REQUIRE_EQ(rump_sys_read(fd, (void *)8, 10), -1);
	ATF_REQUIRE_EQ(errno, EFAULT);

	/* Directories, names, the working directory. */
	RL(rump_sys_mkdir("/t/d", 0755));
	RL(rump_sys_rename("/t/small", "/t/d/moved"));
	RL(rump_sys_chdir("/t/d"));
	RL(rump_sys_getcwd(cwd, sizeof(cwd)));
	ATF_REQUIRE_STREQ(cwd, "/t/d");
	RL(fd = rump_sys_open(".", O_RDONLY | O_DIRECTORY));
	found = 0;
	while ((n = rump_sys_getdents(fd, buf, sizeof(buf))) > 0) {
		for (int off = 0; off < n;) {
			struct dirent *de = (struct dirent *)(buf + off);

			found += strcmp(de->d_name, "moved") == 0;
			off += de->d_reclen;
		}
	}
	RL(n);
	ATF_REQUIRE_EQ(found, 1);
	RL(rump_sys_close(fd));
	RL(rump_sys_unlink("moved"));

	/* Vectors, pipes and poll inside the remote kernel. */
	RL(rump_sys_pipe(p));
	iov[0].iov_base = (void *)"ab";
	iov[0].iov_len = 2;
	iov[1].iov_base = (void *)"cde";
	iov[1].iov_len = 3;
	ATF_REQUIRE_EQ(rump_sys_writev(p[1], iov, 2), 5);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	ATF_REQUIRE_EQ(rump_sys_poll(&pfd, 1, 1000), 1);
	ATF_REQUIRE(pfd.revents & POLLIN);
	ATF_REQUIRE_EQ(rump_sys_read(p[0], buf, sizeof(buf)), 5);
	ATF_REQUIRE(memcmp(buf, "abcde", 5) == 0);

	server_stop(server);
	/* The server is gone: no hang, an error. */
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
}

ATF_TC(threads);
ATF_TC_HEAD(threads, tc)
{
	atf_tc_set_md_var(tc, "descr", "Threads of one client, one of "
	    "them blocked in the kernel");
}

static int tpipe[2];

static void *
reader_thread(void *arg)
{
	char c;

	(void)arg;
	return (void *)(intptr_t)rump_sys_read(tpipe[0], &c, 1);
}

static void *
worker_thread(void *arg)
{
	char path[64];

	snprintf(path, sizeof(path), "/t/w%d", (int)(intptr_t)arg);
	for (int i = 0; i < 20; i++)
		file_roundtrip(path, 5000 + i * 100, (unsigned)i);
	return NULL;
}

ATF_TC_BODY(threads, tc)
{
	pthread_t r, w[4];
	void *rv;
	pid_t server;

	server = server_start(URL, "-l", "rumpfs_tmpfs", NULL);
	client_init(URL);
	mount_tmpfs("/t");
	RL(rump_sys_pipe(tpipe));
	/* One thread sleeps in the kernel; the others keep working. */
	ATF_REQUIRE_EQ(pthread_create(&r, NULL, reader_thread, NULL), 0);
	usleep(100000);
	for (int i = 0; i < 4; i++)
		ATF_REQUIRE_EQ(pthread_create(&w[i], NULL, worker_thread,
		    (void *)(intptr_t)i), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(w[i], NULL);
	ATF_REQUIRE_EQ(rump_sys_write(tpipe[1], "x", 1), 1);
	pthread_join(r, &rv);
	ATF_REQUIRE_EQ((intptr_t)rv, 1);
	server_stop(server);
}

ATF_TC(toomany);
ATF_TC_HEAD(toomany, tc)
{
	atf_tc_set_md_var(tc, "descr", "More blocked calls than the server "
	    "runs at once: the rest get EAGAIN, the connection lives");
}

#define NBLOCK	80

static void *
block_thread(void *arg)
{
	char c;

	(void)arg;
	if (rump_sys_read(tpipe[0], &c, 1) == 1)
		return (void *)1;
	return (void *)(intptr_t)(errno == EAGAIN ? 2 : 3);
}

ATF_TC_BODY(toomany, tc)
{
	pthread_t t[NBLOCK];
	int i, status, got[4] = { 0, 0, 0, 0 };
	pid_t server, child;
	void *rv;

	server = server_start(URL, NULL);
	client_init(URL);
	RL(rump_sys_pipe(tpipe));
	for (i = 0; i < NBLOCK; i++)
		ATF_REQUIRE_EQ(pthread_create(&t[i], NULL, block_thread, NULL),
		    0);
	usleep(500000);
	/* At the cap a call is refused, not queued for ever. */
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, EAGAIN);
	/* A client with a copy of this process wakes the readers. */
	RL(child = rumpclient_fork());
	if (child == 0) {
		for (i = 0; i < NBLOCK; i++)
			if (rump_sys_write(tpipe[1], "x", 1) != 1)
				_exit(1);
		_exit(0);
	}
	ATF_REQUIRE_EQ(waitpid(child, &status, 0), child);
	ATF_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	for (i = 0; i < NBLOCK; i++) {
		pthread_join(t[i], &rv);
		got[(intptr_t)rv & 3]++;
	}
	ATF_REQUIRE_MSG(got[3] == 0, "%d failed otherwise", got[3]);
	ATF_REQUIRE_MSG(got[2] > 0 && got[1] > 0, "%d read, %d refused",
	    got[1], got[2]);
	/* Room again. */
	ATF_REQUIRE(rump_sys_getpid() > 1);
	server_stop(server);
}

ATF_TC(fork);
ATF_TC_HEAD(fork, tc)
{
	atf_tc_set_md_var(tc, "descr", "rumpclient_fork(): the child has "
	    "a copy of the parent's kernel process");
}
ATF_TC_BODY(fork, tc)
{
	pid_t server, child, kpid;
	int fd, status;
	char c;

	server = server_start(URL, "-l", "rumpfs_tmpfs", NULL);
	client_init(URL);
	mount_tmpfs("/t");
	RL(fd = rump_sys_open("/t/f", O_CREAT | O_RDWR, 0644));
	ATF_REQUIRE_EQ(rump_sys_write(fd, "0123456789", 10), 10);
	RL(rump_sys_lseek(fd, 0, SEEK_SET));
	kpid = rump_sys_getpid();

	RL(child = rumpclient_fork());
	if (child == 0) {
		/* The same open file, offset and all. */
		if (rump_sys_getpid() == kpid || rump_sys_getppid() != kpid ||
		    rump_sys_read(fd, &c, 1) != 1 || c != '0')
			_exit(1);
		_exit(0);
	}
	ATF_REQUIRE_EQ(waitpid(child, &status, 0), child);
	ATF_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* The child moved the shared offset. */
	ATF_REQUIRE_EQ(rump_sys_read(fd, &c, 1), 1);
	ATF_REQUIRE_EQ(c, '1');

	/* After a plain fork() the child has no connection. */
	RL(child = fork());
	if (child == 0)
		_exit(rump_sys_getpid() == -1 && errno == ENOTCONN ? 0 : 1);
	ATF_REQUIRE_EQ(waitpid(child, &status, 0), child);
	ATF_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	server_stop(server);
}

ATF_TC(exec);
ATF_TC_HEAD(exec, tc)
{
	atf_tc_set_md_var(tc, "descr", "rumpclient_exec(): the process and "
	    "its descriptors survive, close-on-exec ones do not");
}
ATF_TC_BODY(exec, tc)
{
	char pid[16], keep[16], gone[16], helper[1024];
	char *argv[] = { "h_remote", "exec", pid, keep, gone, NULL };
	pid_t server, child;
	int status, fd1, fd2;

	snprintf(helper, sizeof(helper), "%s/h_remote",
	    atf_tc_get_config_var_wd(tc, "srcdir", "."));
	server = server_start(URL, "-l", "rumpfs_tmpfs", NULL);
	client_init(URL);
	mount_tmpfs("/t");
	RL(fd1 = rump_sys_open("/t/keep", O_CREAT | O_RDWR, 0644));
	ATF_REQUIRE_EQ(rump_sys_write(fd1, "kept", 4), 4);
	RL(fd2 = rump_sys_open("/t/gone", O_CREAT | O_RDWR | O_CLOEXEC,
	    0644));
	snprintf(keep, sizeof(keep), "%d", fd1);
	snprintf(gone, sizeof(gone), "%d", fd2);
	/* A client child with a copy of our process runs the helper. */
	RL(child = rumpclient_fork());
	if (child == 0) {
		extern char **environ;

		snprintf(pid, sizeof(pid), "%d", (int)rump_sys_getpid());
		rumpclient_exec(helper, argv, environ);
		_exit(127);
	}
	ATF_REQUIRE_EQ(waitpid(child, &status, 0), child);
	ATF_REQUIRE_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "helper status %#x", status);
	server_stop(server);
}

ATF_TC(clients50);
ATF_TC_HEAD(clients50, tc)
{
	atf_tc_set_md_var(tc, "descr", "50 client processes doing file work "
	    "at once");
}
ATF_TC_BODY(clients50, tc)
{
	pid_t server, kids[50];
	char dir[64], path[80];
	int i, status, bad = 0;

	server = server_start(URL, "-l", "rumpfs_tmpfs", NULL);
	client_init(URL);
	mount_tmpfs("/t");
	for (i = 0; i < 50; i++) {
		RL(kids[i] = fork());
		if (kids[i] != 0)
			continue;
		/* A plain fork: connect as a process of its own. */
		if (rumpclient_init() != 0)
			_exit(2);
		snprintf(dir, sizeof(dir), "/t/c%d", i);
		if (rump_sys_mkdir(dir, 0755) != 0 || rump_sys_chdir(dir) != 0)
			_exit(3);
		for (int j = 0; j < 10; j++) {
			snprintf(path, sizeof(path), "f%d", j);
			file_roundtrip(path, 1000 + 997 * j, (unsigned)(i + j));
		}
		_exit(0);
	}
	for (i = 0; i < 50; i++) {
		ATF_REQUIRE_EQ(waitpid(kids[i], &status, 0), kids[i]);
		bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	}
	ATF_REQUIRE_EQ_MSG(bad, 0, "%d clients failed", bad);
	ATF_REQUIRE_EQ(rump_sys_rmdir("/t/c7"), -1);
	ATF_REQUIRE_EQ(errno, ENOTEMPTY);
	server_stop(server);
}

ATF_TC(client_killed);
ATF_TC_HEAD(client_killed, tc)
{
	atf_tc_set_md_var(tc, "descr", "A client killed in the middle of a "
	    "call: its descriptors close, its locks go, the server lives");
}
ATF_TC_BODY(client_killed, tc)
{
	struct flock fl;
	pid_t server, child;
	int fifo, lockfd, status, i;
	char c;

	server = server_start(URL, "-l", "rumpfs_tmpfs", NULL);
	client_init(URL);
	mount_tmpfs("/t");
	RL(rump_sys_mkfifo("/t/fifo", 0644));
	RL(lockfd = rump_sys_open("/t/lock", O_CREAT | O_RDWR, 0644));

	RL(child = fork());
	if (child == 0) {
		int w, p[2];

		if (rumpclient_init() != 0)
			_exit(2);
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if ((w = rump_sys_open("/t/fifo", O_WRONLY)) == -1 ||
		    (i = rump_sys_open("/t/lock", O_RDWR)) == -1 ||
		    rump_sys_fcntl(i, F_SETLKW, &fl) == -1 ||
		    rump_sys_pipe(p) == -1)
			_exit(3);
		/* Sleep in the kernel for ever. */
		rump_sys_read(p[0], &c, 1);
		_exit(4);
	}
	/* The child's open for writing completes ours for reading. */
	RL(fifo = rump_sys_open("/t/fifo", O_RDONLY));
	/* Wait for its lock, then kill it in its read(). */
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	for (i = 0; i < 500 && rump_sys_fcntl(lockfd, F_SETLK, &fl) == 0;
	    i++) {
		fl.l_type = F_UNLCK;
		RL(rump_sys_fcntl(lockfd, F_SETLK, &fl));
		fl.l_type = F_WRLCK;
		usleep(10000);
	}
	ATF_REQUIRE_EQ_MSG(errno, EAGAIN, "after %d tries: %s", i,
	    strerror(errno));
	usleep(100000);
	RL(kill(child, SIGKILL));
	ATF_REQUIRE_EQ(waitpid(child, &status, 0), child);
	ATF_REQUIRE(WIFSIGNALED(status));

	/* Its end of the FIFO closes: end of file here, soon. */
	ATF_REQUIRE_EQ(rump_sys_read(fifo, &c, 1), 0);
	/* Its lock is gone. */
	RL(rump_sys_fcntl(lockfd, F_SETLK, &fl));
	/* The server serves on. */
	file_roundtrip("/t/after", 10000, 3);
	server_stop(server);
}

ATF_TC(server_killed);
ATF_TC_HEAD(server_killed, tc)
{
	atf_tc_set_md_var(tc, "descr", "A server killed under a client "
	    "blocked in a call: an error within a second");
}

static pid_t victim;

static void *
killer(void *arg)
{

	(void)arg;
	usleep(300000);
	kill(victim, SIGKILL);
	return NULL;
}

ATF_TC_BODY(server_killed, tc)
{
	struct timespec t0, t1;
	pthread_t t;
	int p[2];
	char c;

	victim = server_start(URL, NULL);
	client_init(URL);
	RL(rump_sys_pipe(p));
	ATF_REQUIRE_EQ(pthread_create(&t, NULL, killer, NULL), 0);
	ATF_REQUIRE_EQ(rump_sys_read(p[0], &c, 1), -1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	pthread_join(t, NULL);
	ATF_REQUIRE_EQ(server_wait(victim), 128 + SIGKILL);
	/* Later calls fail at once. */
	ATF_REQUIRE_EQ(rump_sys_getpid(), -1);
	ATF_REQUIRE_EQ(errno, ENOTCONN);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ATF_REQUIRE(t1.tv_sec - t0.tv_sec < 2);
}

ATF_TC(reconnect);
ATF_TC_HEAD(reconnect, tc)
{
	atf_tc_set_md_var(tc, "descr", "rumpclient_setconnretry(): a new "
	    "server takes over");
}
ATF_TC_BODY(reconnect, tc)
{
	pid_t server, kpid;

	server = server_start(URL, NULL);
	client_init(URL);
	RL(rumpclient_setconnretry(30));
	kpid = rump_sys_getpid();
	ATF_REQUIRE(kpid > 1);
	server_stop(server);
	server = server_start(URL, NULL);
	/* A new connection: a new process in a new kernel. */
	ATF_REQUIRE(rump_sys_getpid() > 1);
	ATF_REQUIRE(rumpclient_pid() > 1);
	server_stop(server);
}

ATF_TC(tcp);
ATF_TC_HEAD(tcp, tc)
{
	atf_tc_set_md_var(tc, "descr", "A server on TCP loopback");
}
ATF_TC_BODY(tcp, tc)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char url[64];
	pid_t server;
	int s;

	/* A port free a moment ago. */
	RL(s = socket(AF_INET, SOCK_STREAM, 0));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	RL(bind(s, (struct sockaddr *)&sin, sizeof(sin)));
	RL(getsockname(s, (struct sockaddr *)&sin, &len));
	close(s);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%d", ntohs(sin.sin_port));

	server = server_start(url, "-l", "rumpfs_tmpfs", NULL);
	client_init(url);
	mount_tmpfs("/t");
	file_roundtrip("/t/f", 100000, 5);
	server_stop(server);
}

/*
 * Garbage on the socket.
 */

/* Send raw bytes on a new connection, then close it. */
static void
send_raw(const void *buf, size_t len, bool wait)
{
	char junk[256];
	int fd;

	ATF_REQUIRE((fd = server_connect(URL)) != -1);
	(void)!send(fd, buf, len, MSG_NOSIGNAL);
	if (wait) {
		/* The server hangs up on us. */
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		ATF_REQUIRE_EQ(poll(&pfd, 1, 30000), 1);
		while (read(fd, junk, sizeof(junk)) > 0)
			continue;
	}
	close(fd);
}

static size_t
msg(void *buf, int type, uint64_t tag, const void *body, size_t len)
{
	struct sp_hdr h;

	memset(&h, 0, sizeof(h));
	h.sh_len = (uint32_t)(sizeof(h) + len);
	h.sh_type = (uint16_t)type;
	h.sh_tag = tag;
	memcpy(buf, &h, sizeof(h));
	memcpy((char *)buf + sizeof(h), body, len);
	return sizeof(h) + len;
}

static size_t
hello(void *buf)
{
	struct sp_handshake hs;

	memset(&hs, 0, sizeof(hs));
	hs.hs_magic = SP_MAGIC;
	hs.hs_version = SP_VERSION;
	hs.hs_abi = SP_ABI;
	hs.hs_kind = SP_HS_NEW;
	strcpy(hs.hs_comm, "fuzz");
	return msg(buf, SP_HANDSHAKE, 1, &hs, sizeof(hs));
}

ATF_TC(garbage);
ATF_TC_HEAD(garbage, tc)
{
	atf_tc_set_md_var(tc, "descr", "Garbage, truncated and oversized "
	    "messages are refused; the server serves on");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(garbage, tc)
{
	static char buf[SP_MAXMSG + 1024];
	struct sp_syscall sc;
	struct sp_hdr h;
	unsigned seed = 20261124;
	pid_t server;
	size_t n, i, k;

	server = server_start(URL, "-l", "rumpfs_tmpfs", NULL);
	client_init(URL);
	mount_tmpfs("/t");

	/* Random bytes. */
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (char)rand_r(&seed);
	send_raw(buf, 4096, true);
	/* A header claiming a huge message. */
	memset(&h, 0, sizeof(h));
	h.sh_len = 0xfffffff0;
	h.sh_type = SP_HANDSHAKE;
	send_raw(&h, sizeof(h), true);
	/* An oversized message, really sent. */
	memset(buf, 0, sizeof(buf));
	memset(&h, 0, sizeof(h));
	h.sh_len = SP_MAXMSG + 1;
	h.sh_type = SP_SYSCALL;
	memcpy(buf, &h, sizeof(h));
	send_raw(buf, SP_MAXMSG + 1, true);
	/* Truncated: half a handshake, then the end. */
	n = hello(buf);
	send_raw(buf, n / 2, true);
	/* A handshake of the wrong size and a wrong magic. */
	n = msg(buf, SP_HANDSHAKE, 1, "xx", 2);
	send_raw(buf, n, true);
	n = hello(buf);
	buf[sizeof(h)] ^= 1;
	send_raw(buf, n, true);
	/* After a good handshake: too many arguments, a reply to nothing. */
	n = hello(buf);
	memset(&sc, 0, sizeof(sc));
	sc.sc_num = 2;
	sc.sc_nargs = 200;
	n += msg(buf + n, SP_SYSCALL, 2, &sc, sizeof(sc));
	send_raw(buf, n, true);
	n = hello(buf);
	n += msg(buf + n, SP_COPYIN_REPLY, 77, buf + 4000, 40);
	send_raw(buf, n, true);

	/*
	 * Seeded messages with good headers and random bodies and lengths,
	 * a few per connection, some of them calls with random numbers
	 * and arguments (not reboot, which would be obeyed).
	 */
	for (k = 0; k < 300; k++) {
		n = hello(buf);
		for (i = 0; i < 4; i++) {
			char body[512];
			size_t blen = (size_t)rand_r(&seed) % sizeof(body);
			int type = 1 + rand_r(&seed) % (SP_NTYPES - 1);

			for (size_t j = 0; j < blen; j++)
				body[j] = (char)rand_r(&seed);
			if (type == SP_SYSCALL && blen >= sizeof(sc)) {
				memcpy(&sc, body, sizeof(sc));
				sc.sc_num = 2 + rand_r(&seed) % 120;
				sc.sc_nargs %= SP_MAXARGS + 1;
				sc.sc_natt %= 3;
				memcpy(body, &sc, sizeof(sc));
			}
			if (type == SP_PREFORK)
				blen = 0;
			n += msg(buf + n, type, (uint64_t)rand_r(&seed), body,
			    blen);
		}
		send_raw(buf, n, false);
	}
	/* Still here, and still right. */
	file_roundtrip("/t/after", 300000, 9);
	server_stop(server);
}

ATF_TP_ADD_TCS(tp)
{

	ATF_TP_ADD_TC(tp, files);
	ATF_TP_ADD_TC(tp, threads);
	ATF_TP_ADD_TC(tp, toomany);
	ATF_TP_ADD_TC(tp, fork);
	ATF_TP_ADD_TC(tp, exec);
	ATF_TP_ADD_TC(tp, clients50);
	ATF_TP_ADD_TC(tp, client_killed);
	ATF_TP_ADD_TC(tp, server_killed);
	ATF_TP_ADD_TC(tp, reconnect);
	ATF_TP_ADD_TC(tp, tcp);
	ATF_TP_ADD_TC(tp, garbage);
	return atf_no_error();
}
