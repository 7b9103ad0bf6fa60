/*
 * rump.mount: mount a file system in a rump kernel served by
 * rump_server (a librumpclient program).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rump/rump.h>
#include <rump/rump_mount.h>
#include <rump/rump_syscalls.h>

#include "rumptool.h"

static void
usage(FILE *f)
{

	fprintf(f, "usage: rump.mount [-h] -t ffs|tmpfs [-o option,...] "
	    "special dir\n"
	    "options: ro, rw, sync, noexec, nosuid, nodev, noatime, update, "
	    "force;\n"
	    "tmpfs: size=BYTES[kmg], nodes=N, mode=OCTAL, uid=N, gid=N\n");
}

static uint64_t
number(const char *opt, const char *s, int base)
{
	unsigned long long v;
	char *ep;

	errno = 0;
	v = strtoull(s, &ep, base);
	if (ep == s || errno != 0)
		goto bad;
	switch (*ep) {
	case 'k': case 'K': v <<= 10; ep++; break;
	case 'm': case 'M': v <<= 20; ep++; break;
	case 'g': case 'G': v <<= 30; ep++; break;
	}
	if (*ep == '\0')
		return v;
bad:
	fprintf(stderr, "rump.mount: bad %s \"%s\"\n", opt, s);
	exit(1);
}

int
main(int argc, char **argv)
{
	static const struct { const char *name; int flag; } flags[] = {
		{ "ro", RUMP_MNT_RDONLY }, { "sync", RUMP_MNT_SYNCHRONOUS },
		{ "noexec", RUMP_MNT_NOEXEC }, { "nosuid", RUMP_MNT_NOSUID },
		{ "nodev", RUMP_MNT_NODEV }, { "noatime", RUMP_MNT_NOATIME },
		{ "update", RUMP_MNT_UPDATE }, { "force", RUMP_MNT_FORCE },
	};
	struct tmpfs_args ta;
	struct ufs_args ua;
	char *type = NULL, *opts = NULL, *o, *val;
	void *data;
	size_t datalen;
	int ch, mflags = 0;
	size_t i;

	memset(&ta, 0, sizeof(ta));
	ta.ta_version = RUMP_TMPFS_ARGS_VERSION;
	ta.ta_root_mode = 01777;
	while ((ch = getopt(argc, argv, "ho:t:")) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return 0;
		case 'o':
			opts = optarg;
			break;
		case 't':
			type = optarg;
			break;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (type == NULL || argc - optind != 2) {
		usage(stderr);
		return 1;
	}
	while (opts != NULL && (o = strsep(&opts, ",")) != NULL) {
		if ((val = strchr(o, '=')) != NULL)
			*val++ = '\0';
		for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
			if (val == NULL && strcmp(o, flags[i].name) == 0)
				break;
		if (i < sizeof(flags) / sizeof(flags[0]))
			mflags |= flags[i].flag;
		else if (val == NULL && strcmp(o, "rw") == 0)
			mflags &= ~RUMP_MNT_RDONLY;
		else if (val != NULL && strcmp(type, "tmpfs") == 0 &&
		    strcmp(o, "size") == 0)
			ta.ta_size_max = number(o, val, 0);
		else if (val != NULL && strcmp(type, "tmpfs") == 0 &&
		    strcmp(o, "nodes") == 0)
			ta.ta_nodes_max = number(o, val, 0);
		else if (val != NULL && strcmp(type, "tmpfs") == 0 &&
		    strcmp(o, "mode") == 0)
			ta.ta_root_mode = (uint32_t)number(o, val, 8);
		else if (val != NULL && strcmp(type, "tmpfs") == 0 &&
		    strcmp(o, "uid") == 0)
			ta.ta_root_uid = (uint32_t)number(o, val, 0);
		else if (val != NULL && strcmp(type, "tmpfs") == 0 &&
		    strcmp(o, "gid") == 0)
			ta.ta_root_gid = (uint32_t)number(o, val, 0);
		else {
			fprintf(stderr, "rump.mount: unknown option \"%s\"\n",
			    o);
			return 1;
		}
	}
	if (strcmp(type, "ffs") == 0) {
		ua.fspec = argv[optind];
		data = &ua;
		datalen = sizeof(ua);
	} else if (strcmp(type, "tmpfs") == 0) {
		data = &ta;
		datalen = sizeof(ta);
	} else {
		fprintf(stderr, "rump.mount: unknown type %s\n", type);
		return 1;
	}
	rumptool_connect("rump.mount");
	if (rump_sys_mount(type, argv[optind + 1], mflags, data,
	    datalen) == -1) {
		fprintf(stderr, "rump.mount: %s on %s: %s\n", argv[optind],
		    argv[optind + 1], strerror(errno));
		return 1;
	}
	return 0;
}
