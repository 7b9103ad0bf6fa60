/*
 * The records sysctl nodes of type CTLTYPE_STRUCT hand out, an array of
 * one of these each.  Kernel ABI: exported to programs by mkkabi.lua in
 * <rump/rump_sysctl.h> (the rump.* tools read them).  Addresses are raw
 * bytes in network order (an IPv4 address in the first four), ports
 * and counters are numbers.
 */
#ifndef _SYS_KINFO_H_
#define _SYS_KINFO_H_

#include <sys/types.h>

#define KI_NAMELEN	16	/* the [16] below */
#define KI_PATHLEN	128	/* the [128] below */

/* kern.proc */
struct kinfo_proc {	/* kabi */
	int32_t		kp_pid;
	int32_t		kp_ppid;
	uint32_t	kp_nlwps;
	uint32_t	kp_uid;		/* effective */
	uint32_t	kp_remote;	/* 1: a remote client's */
	char		kp_comm[16];
};

/* vfs.mounts */
struct kinfo_mount {	/* kabi */
	char		km_fstype[16];
	char		km_on[128];
	char		km_from[128];
	uint64_t	km_flags;	/* MNT_* */
	uint64_t	km_bsize;
	uint64_t	km_blocks;
	uint64_t	km_bfree;
	uint64_t	km_files;
	uint64_t	km_ffree;
};

/* net.interfaces */
struct kinfo_if {	/* kabi */
	char		ki_name[16];
	uint32_t	ki_index;
	uint32_t	ki_flags;	/* IFF_* */
	uint32_t	ki_mtu;
	uint32_t	ki_hwlen;	/* bytes of ki_hw */
	uint8_t		ki_hw[8];	/* the link address */
	uint64_t	ki_ipackets;
	uint64_t	ki_ierrors;
	uint64_t	ki_opackets;
	uint64_t	ki_oerrors;
	uint64_t	ki_ibytes;
	uint64_t	ki_obytes;
	uint64_t	ki_iqdrops;
	uint64_t	ki_collisions;
};

/* net.ifaddrs */
struct kinfo_ifaddr {	/* kabi */
	char		ka_name[16];
	uint32_t	ka_family;	/* AF_* */
	uint32_t	ka_plen;	/* prefix length */
	uint8_t		ka_addr[16];
	uint8_t		ka_broad[16];
};

/* net.route */
struct kinfo_route {	/* kabi */
	char		kr_ifname[16];
	uint32_t	kr_family;
	uint32_t	kr_plen;
	uint32_t	kr_flags;	/* RTF_* */
	uint32_t	kr_spare;
	uint8_t		kr_dst[16];
	uint8_t		kr_gateway[16];
	uint64_t	kr_use;
};

/* net.inet.pcblist */
struct kinfo_pcb {	/* kabi */
	uint32_t	kp_family;
	uint32_t	kp_type;	/* SOCK_* */
	uint32_t	kp_proto;	/* IPPROTO_* */
	int32_t		kp_state;	/* TCP: TCPS_*; else -1 */
	uint8_t		kp_laddr[16];
	uint8_t		kp_faddr[16];
	uint32_t	kp_lport;
	uint32_t	kp_fport;
	uint32_t	kp_sndq;	/* bytes queued */
	uint32_t	kp_rcvq;
};

#endif /* !_SYS_KINFO_H_ */
