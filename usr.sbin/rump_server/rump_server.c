/*
 * rump_server: a rump kernel as a service.  Boots a kernel with the
 * components named by -l (loaded from the library directory), registers
 * the host files of -d as block devices, and serves system calls at a
 * URL to clients (librumpclient programs, librumphijack).  Detaches
 * once the socket listens, unless -s; SIGTERM, SIGINT, SIGHUP or a
 * client's reboot (rump.halt) halt the kernel cleanly.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>

#define MAXCOMP		32
#define MAXDISK		16

struct disk {
	char		*key;
	char		*hostpath;
	uint64_t	size;		/* RUMP_ETFS_SIZE_ENDOFF: size=host */
};

/* The write end of the pipe the parent waits on (-1 with -s). */
static int readyfd = -1;

static void
usage(FILE *f)
{

	fprintf(f, "usage: rump_server [-hsv] [-l component] ... "
	    "[-d key=/dev/X,hostpath=FILE[%%PART%%],size=host|BYTES] ...\n"
	    "           [-m memlimit] [-n ncpu] URL\n"
	    "URL: unix://PATH or tcp://ADDR:PORT\n");
}

/* Fail before the kernel is up: tell the waiting parent, or stderr. */
static void __attribute__((__noreturn__, __format__(__printf__, 1, 2)))
die(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	msg[n++] = '\n';
	if (readyfd != -1)
		(void)!write(readyfd, msg, (size_t)n);
	else
		fprintf(stderr, "rump_server: %.*s", n, msg);
	exit(1);
}

/* A size: a number with an optional k, m, g suffix. */
static bool
parse_size(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *ep;

	errno = 0;
	n = strtoull(s, &ep, 0);
	if (ep == s || errno != 0)
		return false;
	switch (*ep) {
	case 'k': case 'K': n <<= 10; ep++; break;
	case 'm': case 'M': n <<= 20; ep++; break;
	case 'g': case 'G': n <<= 30; ep++; break;
	}
	*v = n;
	return *ep == '\0';
}

/* -d key=/dev/X,hostpath=FILE,size=host|BYTES */
static void
parse_disk(char *arg, struct disk *d)
{
	char *opt, *val;
	bool sized = false;

	memset(d, 0, sizeof(*d));
	while ((opt = strsep(&arg, ",")) != NULL) {
		if ((val = strchr(opt, '=')) == NULL)
			die("-d: expected key=value, not \"%s\"", opt);
		*val++ = '\0';
		if (strcmp(opt, "key") == 0)
			d->key = val;
		else if (strcmp(opt, "hostpath") == 0)
			d->hostpath = val;
		else if (strcmp(opt, "size") == 0) {
			sized = true;
			if (strcmp(val, "host") == 0)
				d->size = RUMP_ETFS_SIZE_ENDOFF;
			else if (!parse_size(val, &d->size) || d->size == 0)
				die("-d: bad size \"%s\"", val);
		} else
			die("-d: unknown option \"%s\"", opt);
	}
	if (d->key == NULL || d->key[0] != '/' || d->hostpath == NULL ||
	    !sized)
		die("-d needs key=/dev/NAME, hostpath=FILE and size=host|BYTES");
}

/*
 * Load component `name' ("rumpfs_ffs", "librumpfs_ffs" or a path): its
 * constructor registers it with the kernel, which boots it in
 * rump_init().  The libraries it needs come along (they sit next to it).
 */
static void
load_component(const char *libdir, const char *name)
{
	char path[PATH_MAX];
	int n;

	if (strchr(name, '/') != NULL)
		n = snprintf(path, sizeof(path), "%s", name);
	else
		n = snprintf(path, sizeof(path), "%s/%s%s.so.0", libdir,
		    strncmp(name, "lib", 3) == 0 ? "" : "lib", name);
	if (n < 0 || (size_t)n >= sizeof(path))
		die("-l %s: name too long", name);
	if (dlopen(path, RTLD_NOW | RTLD_GLOBAL) == NULL)
		die("-l %s: %s", name, dlerror());
}

static void
register_disk(const struct disk *d)
{
	int (*reg)(const char *, const char *, enum rump_etfs_type, uint64_t,
	    uint64_t, char *, size_t);
	char why[256];
	int error;

	*(void **)&reg = dlsym(RTLD_DEFAULT, "rump_pub_etfs_register_why");
	if (reg == NULL)
		die("-d needs a file system component (-l rumpvfs at least)");
	why[0] = '\0';
	error = reg(d->key, d->hostpath, RUMP_ETFS_BLK, 0, d->size, why,
	    sizeof(why));
	if (error != 0)
		die("-d %s: %s", d->key, why[0] != '\0' ? why : strerror(error));
}

/*
 * Without -s: the parent waits until the child (the server) says it
 * listens, or why it cannot, and exits with that.
 */
static void
detach(void)
{
	char msg[512];
	ssize_t n;
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) == -1) {
		perror("rump_server: pipe");
		exit(1);
	}
	if ((pid = fork()) == -1) {
		perror("rump_server: fork");
		exit(1);
	}
	if (pid != 0) {
		close(p[1]);
		while ((n = read(p[0], msg, sizeof(msg) - 1)) == -1 &&
		    errno == EINTR)
			continue;
		if (n == 0) {
			fprintf(stderr, "rump_server: the server died "
			    "while starting\n");
			exit(1);
		}
		if (n > 0 && msg[0] == '\0')
			exit(0);
		msg[n > 0 ? n : 0] = '\0';
		fprintf(stderr, "rump_server: %s", msg);
		exit(1);
	}
	close(p[0]);
	readyfd = p[1];
	(void)setsid();
}

int
main(int argc, char **argv)
{
	const char *comps[MAXCOMP];
	struct disk disks[MAXDISK];
	char libdir[PATH_MAX], path[PATH_MAX], *url;
	int ncomp = 0, ndisk = 0, ch, sig, fd, error;
	bool foreground = false;
	sigset_t sigs;
	Dl_info dli;

	while ((ch = getopt(argc, argv, "d:hl:m:n:sv")) != -1) {
		switch (ch) {
		case 'd':
			if (ndisk == MAXDISK)
				die("at most %d -d options", MAXDISK);
			parse_disk(optarg, &disks[ndisk++]);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'l':
			if (ncomp == MAXCOMP)
				die("at most %d -l options", MAXCOMP);
			comps[ncomp++] = optarg;
			break;
		case 'm':
			setenv("RUMP_MEMLIMIT", optarg, 1);
			break;
		case 'n':
			setenv("RUMP_NCPU", optarg, 1);
			break;
		case 's':
			foreground = true;
			break;
		case 'v':
			setenv("RUMP_VERBOSE", "1", 1);
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 1;
	}
	url = argv[optind];

	/* The components live where librump does. */
	if (dladdr((void *)rump_init, &dli) == 0 || dli.dli_fname == NULL)
		die("cannot find the library directory");
	snprintf(path, sizeof(path), "%s", dli.dli_fname);
	snprintf(libdir, sizeof(libdir), "%s", dirname(path));

	if (!foreground)
		detach();
	/* Every thread the kernel makes inherits these blocked. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	for (int i = 0; i < ncomp; i++)
		load_component(libdir, comps[i]);
	if ((error = rump_init()) != 0)
		die("rump_init: %s", strerror(error));
	for (int i = 0; i < ndisk; i++)
		register_disk(&disks[i]);
	if ((error = rump_init_server(url)) != 0)
		die("cannot serve at %s: %s", url, strerror(error));

	if (readyfd != -1) {
		/* Up: let the parent go, and leave its terminal alone. */
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		(void)!write(readyfd, "", 1);
		close(readyfd);
		readyfd = -1;
	}

	while (sigwait(&sigs, &sig) != 0 || (sig != SIGTERM &&
	    sig != SIGINT && sig != SIGHUP))
		continue;
	/* A clean halt: file systems synced and unmounted, then exit. */
	rump_sys_reboot(0, NULL);
	fprintf(stderr, "rump_server: halt failed: %s\n", strerror(errno));
	return 1;
}
