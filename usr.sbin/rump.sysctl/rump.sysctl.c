/*
 * rump.sysctl: show and set what a rump kernel served by rump_server
 * exposes through sysctl (a librumpclient program): its version, its
 * memory, its processes, mounted file systems, interfaces, routes and
 * sockets.
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_syscalls.h>
#include <rump/rump_sysctl.h>

#include "rumptool.h"

static bool valueonly;

static void
usage(FILE *f)
{

	fprintf(f, "usage: rump.sysctl [-hn] [-a | name[=value] ...]\n");
}

static const char *
addr(uint32_t family, const uint8_t *a, char *buf, size_t len)
{

	if (family != AF_INET)
		return "-";
	return inet_ntop(AF_INET, a, buf, (socklen_t)len);
}

/* A record node's records, one per line. */
static void
print_records(const char *name, const void *buf, size_t len)
{
	char a1[64], a2[64];
	size_t i;

#define EACH(type, r)							\
	for (i = 0; i < len / sizeof(type); i++)			\
		for (const type *r = (const type *)buf + i; r != NULL; r = NULL)
	if (strcmp(name, "kern.proc") == 0) {
		EACH(struct kinfo_proc, p)
			printf("%s: pid %d ppid %d lwps %u uid %u %s%s\n", name,
			    p->kp_pid, p->kp_ppid, p->kp_nlwps, p->kp_uid,
			    p->kp_comm, p->kp_remote ? " (remote)" : "");
	} else if (strcmp(name, "vfs.mounts") == 0) {
		EACH(struct kinfo_mount, m)
			printf("%s: %s on %s type %s, %" PRIu64 " of %" PRIu64
			    " blocks of %" PRIu64 " free, %" PRIu64 " of %"
			    PRIu64 " files free\n", name, m->km_from, m->km_on,
			    m->km_fstype, m->km_bfree, m->km_blocks,
			    m->km_bsize, m->km_ffree, m->km_files);
	} else if (strcmp(name, "net.interfaces") == 0) {
		EACH(struct kinfo_if, f)
			printf("%s: %s index %u flags %#x mtu %u in %" PRIu64
			    " packets %" PRIu64 " bytes, out %" PRIu64
			    " packets %" PRIu64 " bytes\n", name, f->ki_name,
			    f->ki_index, f->ki_flags, f->ki_mtu, f->ki_ipackets,
			    f->ki_ibytes, f->ki_opackets, f->ki_obytes);
	} else if (strcmp(name, "net.ifaddrs") == 0) {
		EACH(struct kinfo_ifaddr, a)
			printf("%s: %s %s/%u\n", name, a->ka_name,
			    addr(a->ka_family, a->ka_addr, a1, sizeof(a1)),
			    a->ka_plen);
	} else if (strcmp(name, "net.route") == 0) {
		EACH(struct kinfo_route, r)
			printf("%s: %s/%u via %s dev %s flags %#x\n", name,
			    addr(r->kr_family, r->kr_dst, a1, sizeof(a1)),
			    r->kr_plen, addr(r->kr_family, r->kr_gateway, a2,
			    sizeof(a2)), r->kr_ifname, r->kr_flags);
	} else if (strcmp(name, "net.inet.pcblist") == 0) {
		EACH(struct kinfo_pcb, p)
			printf("%s: proto %u %s:%u %s:%u state %d\n", name,
			    p->kp_proto,
			    addr(p->kp_family, p->kp_laddr, a1, sizeof(a1)),
			    p->kp_lport,
			    addr(p->kp_family, p->kp_faddr, a2, sizeof(a2)),
			    p->kp_fport, p->kp_state);
	} else
		printf("%s: %zu bytes of records\n", name, len);
#undef EACH
}

/* Show node name of type t. */
static int
show(int t, const char *name)
{
	size_t len;
	void *buf;
	int64_t v;

	if ((buf = rumptool_sysctl(name, &len)) == NULL) {
		fprintf(stderr, "rump.sysctl: %s: %s\n", name, strerror(errno));
		return 1;
	}
	switch (t) {
	case 'i':
		memcpy(&v, buf, len >= sizeof(v) ? sizeof(v) : 0);
		if (valueonly)
			printf("%" PRId64 "\n", v);
		else
			printf("%s = %" PRId64 "\n", name, v);
		break;
	case 's':
		((char *)buf)[len > 0 ? len - 1 : 0] = '\0';
		if (valueonly)
			printf("%s\n", len > 0 ? (char *)buf : "");
		else
			printf("%s = %s\n", name, len > 0 ? (char *)buf : "");
		break;
	default:
		print_records(name, buf, len);
	}
	free(buf);
	return 0;
}

/* Every node whose name starts with prefix; 1 if there is none. */
static int
show_prefix(const char *prefix, bool exact)
{
	char *list, *p;
	size_t len;
	int rv = 0, n = 0;

	if ((list = malloc(65536)) == NULL)
		return 1;
	len = 65536;
	if (rump_sys_sysctl_list(prefix, list, &len) == -1) {
		fprintf(stderr, "rump.sysctl: %s\n", strerror(errno));
		free(list);
		return 1;
	}
	for (p = list; p < list + len; p += strlen(p) + 1) {
		/* "kern" names kern.* but not kernel.*. */
		if (!exact && *prefix != '\0' && p[1 + strlen(prefix)] != '.' &&
		    p[1 + strlen(prefix)] != '\0')
			continue;
		if (exact && strcmp(p + 1, prefix) != 0)
			continue;
		rv |= show(p[0], p + 1);
		n++;
	}
	free(list);
	if (n == 0 && *prefix != '\0') {
		fprintf(stderr, "rump.sysctl: %s: no such node\n", prefix);
		return 1;
	}
	return rv;
}

static int
set(char *arg)
{
	char *val = strchr(arg, '='), *ep, list[256];
	size_t len = sizeof(list);
	int64_t v;

	*val++ = '\0';
	if (rump_sys_sysctl_list(arg, list, &len) == -1 || len == 0 ||
	    strcmp(list + 1, arg) != 0) {
		fprintf(stderr, "rump.sysctl: %s: no such node\n", arg);
		return 1;
	}
	if (list[0] == 'i') {
		errno = 0;
		v = strtoll(val, &ep, 0);
		if (*val == '\0' || *ep != '\0' || errno != 0) {
			fprintf(stderr, "rump.sysctl: %s: not a number: %s\n",
			    arg, val);
			return 1;
		}
		if (rump_sys_sysctl(arg, NULL, NULL, &v, sizeof(v)) == -1)
			goto fail;
	} else if (list[0] == 's') {
		if (rump_sys_sysctl(arg, NULL, NULL, val, strlen(val) + 1) == -1)
			goto fail;
	} else {
		fprintf(stderr, "rump.sysctl: %s: cannot be set\n", arg);
		return 1;
	}
	return show(list[0], arg);
fail:
	fprintf(stderr, "rump.sysctl: %s: %s\n", arg, strerror(errno));
	return 1;
}

int
main(int argc, char **argv)
{
	int ch, rv = 0;
	bool all = false;

	while ((ch = getopt(argc, argv, "ahn")) != -1) {
		switch (ch) {
		case 'a':
			all = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'n':
			valueonly = true;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	rumptool_connect("rump.sysctl");
	if (all || optind == argc)
		return show_prefix("", false);
	for (; optind < argc; optind++) {
		if (strchr(argv[optind], '=') != NULL)
			rv |= set(argv[optind]);
		else
			rv |= show_prefix(argv[optind], false);
	}
	return rv;
}
