/*
 * Internal interfaces of the network components' rump glue.
 */
#ifndef _RUMP_SYS_NET_H_
#define _RUMP_SYS_NET_H_

#include <sys/types.h>
#include <sys/mutex.h>

#include <net/if.h>

/* The packet tap (libnet/net_pcap.c), from RUMP_PCAP. */
void	rump_pcap_init(void);
void	rump_pcap_fini(void);

/* Socket ioctls for interfaces and routes (libnet/netconfig.c). */
struct lwp;
int	rump_net_ifioctl(u_long, void *, struct lwp *);

/* The kernel halves of rump_pub_netconfig_*() (libnet/netconfig.c). */
int	rump_netconfig_ifcreate(const char *);
int	rump_netconfig_ifdestroy(const char *);
int	rump_netconfig_ifup(const char *);
int	rump_netconfig_ifdown(const char *);
int	rump_netconfig_ipv4_ifaddr(const char *, const char *, const char *);
int	rump_netconfig_ipv4_gw(const char *);

/*
 * Ethernet interfaces on a host object (libnet/net_hostether.c).  A
 * backend (shmif, virtif, slirpif) gives its hypercalls: open makes a
 * handle from the argument of rump_pub_<driver>_create(); send puts one
 * frame (in pieces) on the wire; recv waits (the caller holds no
 * virtual CPU) for the next frame into buf, counting frames the wire
 * lost in *lostp, and returns EINTR after interrupt; close ends the
 * handle.  Errors are kernel errno values.
 */
struct rumpuser_iovec;
struct rumpuser_hostether;	/* each backend's own */
struct rump_hostether_ops {
	int	(*hop_open)(const char *, struct rumpuser_hostether **);
	int	(*hop_send)(struct rumpuser_hostether *,
		    const struct rumpuser_iovec *, int);
	int	(*hop_recv)(struct rumpuser_hostether *, void *, size_t,
		    size_t *, unsigned long long *);
	void	(*hop_interrupt)(struct rumpuser_hostether *);
	void	(*hop_close)(struct rumpuser_hostether *);
};

/*
 * A driver: its units "<name>0", "<name>1", ... and the cloner that
 * destroys them.  The driver's component calls init and fini.
 */
#define HOSTETHER_MAXUNITS	64
struct rump_hostether_driver {
	const char		*hd_name;
	const struct rump_hostether_ops *hd_ops;

	/* Private. */
	kmutex_t		hd_lock;
	struct ifnet		*hd_units[HOSTETHER_MAXUNITS];
	struct if_clone		hd_cloner;
};
void	rump_hostether_init(struct rump_hostether_driver *);
void	rump_hostether_fini(struct rump_hostether_driver *);
int	rump_hostether_create(struct rump_hostether_driver *, const char *arg,
	    int *unitp);
int	rump_hostether_impair(struct rump_hostether_driver *, int unit,
	    u_int drop, u_int dup, u_int reorder, uint64_t seed);
/* permille of the frames sent go ms late (the same random sequence). */
#define HOSTETHER_MAXDELAY	10000
int	rump_hostether_delay(struct rump_hostether_driver *, int unit,
	    u_int permille, u_int ms);

/*
 * A driver NAME whose hypercalls are rumpuser_NAME_{open,send,recv,
 * interrupt,close}: its ops, NAME_driver, rump_NAME_create(arg, &unit)
 * (the kernel half of rump_pub_NAME_create()) and its component.
 */
#define RUMP_HOSTETHER_DRIVER(NAME)					\
static const struct rump_hostether_ops NAME##_ops = {			\
	.hop_open = rumpuser_##NAME##_open,				\
	.hop_send = rumpuser_##NAME##_send,				\
	.hop_recv = rumpuser_##NAME##_recv,				\
	.hop_interrupt = rumpuser_##NAME##_interrupt,			\
	.hop_close = rumpuser_##NAME##_close,				\
};									\
static struct rump_hostether_driver NAME##_driver = {			\
	.hd_name = #NAME,						\
	.hd_ops = &NAME##_ops,						\
};									\
int	rump_##NAME##_create(const char *, int *);			\
int									\
rump_##NAME##_create(const char *arg, int *unitp)			\
{									\
	return rump_hostether_create(&NAME##_driver, arg, unitp);	\
}									\
static void								\
NAME##_init(void)							\
{									\
	rump_hostether_init(&NAME##_driver);				\
}									\
static void								\
NAME##_fini(void)							\
{									\
	rump_hostether_fini(&NAME##_driver);				\
}									\
static const struct rump_component NAME##_component = {		\
	.rc_type = RUMP_COMPONENT_NET,					\
	.rc_name = #NAME,						\
	.rc_init = NAME##_init,						\
	.rc_fini = NAME##_fini,						\
};									\
static void __constructor						\
NAME##_ctor(void)							\
{									\
	rump_component_register(&NAME##_component);			\
}

#endif /* !_RUMP_SYS_NET_H_ */
