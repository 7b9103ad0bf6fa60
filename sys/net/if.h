/*
 * Network interfaces (sys/net/if.c): the interface object drivers
 * attach, its flags and counters, its protocol addresses, the bounded
 * input queue drained by the network input thread, and the interface
 * ioctls.  Flag values are Linux's, so the boundary passes them through.
 *
 * Input: a receive thread hands a frame to the protocols itself when
 * nothing waits for this interface; otherwise frames queue (in order)
 * for the network input thread.
 *
 * Locking: the interface list and each address list are changed under
 * softnet_lock (all protocol state is, see <net/netisr.h>).  Lookups
 * outside it take a reference (if_get*), released with if_put(); detach
 * waits for the last one.  Counters are updated atomically.
 */
#ifndef _NET_IF_H_
#define _NET_IF_H_

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#define IFNAMSIZ	16

/* if_flags */
#define IFF_UP		0x0001		/* administratively up */
#define IFF_BROADCAST	0x0002
#define IFF_DEBUG	0x0004
#define IFF_LOOPBACK	0x0008
#define IFF_POINTOPOINT	0x0010
#define IFF_RUNNING	0x0040		/* the driver's resources are ready */
#define IFF_NOARP	0x0080
#define IFF_PROMISC	0x0100
#define IFF_ALLMULTI	0x0200
#define IFF_MULTICAST	0x1000
/* What SIOCSIFFLAGS may change. */
#define IFF_CANCHANGE	(IFF_UP | IFF_DEBUG | IFF_NOARP | IFF_PROMISC | \
			    IFF_ALLMULTI)

/* if_type */
#define IFT_OTHER	0x01
#define IFT_ETHER	0x06
#define IFT_LOOP	0x18

/* Counters: also the SIOCGIFDATA answer. */
struct if_data {	/* kabi */
	uint64_t	ifi_ipackets;
	uint64_t	ifi_ierrors;	/* malformed or failed input */
	uint64_t	ifi_opackets;
	uint64_t	ifi_oerrors;
	uint64_t	ifi_ibytes;
	uint64_t	ifi_obytes;
	uint64_t	ifi_imcasts;
	uint64_t	ifi_omcasts;
	uint64_t	ifi_iqdrops;	/* input queue full */
	uint64_t	ifi_noproto;	/* for a protocol not here */
};

#define IFQ_MAXLEN	512		/* the default input queue bound */

struct mbuf;
struct ifnet;
struct lwp;

/* A packet queue. */
struct ifqueue {
	struct mbuf	*ifq_head;
	struct mbuf	*ifq_tail;
	u_int		ifq_len;
	u_int		ifq_maxlen;
};

/* A protocol address of an interface (embedded in the protocol's). */
struct ifaddr {
	TAILQ_ENTRY(ifaddr) ifa_list;
	struct ifnet	*ifa_ifp;
	struct sockaddr	*ifa_addr;
	struct sockaddr	*ifa_netmask;
	struct sockaddr	*ifa_broadaddr;
};

struct ifnet {
	TAILQ_ENTRY(ifnet) if_list;
	char		if_xname[IFNAMSIZ];
	u_int		if_index;	/* from 1, never reused while attached */
	int		if_type;	/* IFT_* */
	u_int		if_flags;	/* IFF_* */
	u_int		if_mtu;		/* the largest network-layer packet */
	u_int		if_hdrlen;	/* link header bytes */
	uint8_t		if_addrlen;	/* link address bytes */
	uint8_t		if_lladdr[8];	/* link address */
	void		*if_softc;	/* the driver's */
	void		*if_l2;		/* the link layer's (struct arpcom) */
	void		*if_afdata[AF_MAX];	/* per protocol */

	/*
	 * The driver's: send one link-layer frame (consumes m; an error is
	 * counted, the frame dropped), and optional driver ioctls
	 * (SIOCSIFFLAGS after the flags changed, SIOCSIFMTU before).
	 */
	int		(*if_transmit)(struct ifnet *, struct mbuf *);
	int		(*if_ioctl)(struct ifnet *, u_long, void *);
	/* The link layer's: output to a next hop, and frame input. */
	int		(*if_output)(struct ifnet *, struct mbuf *,
			    const struct sockaddr *);
	void		(*if_l2input)(struct ifnet *, struct mbuf *);

	TAILQ_HEAD(, ifaddr) if_addrlist;
	struct if_data	if_data;

	/* The input queue, under if_inq_lock (in if.c). */
	struct ifqueue	if_inq;
	bool		if_inq_pending;	/* on the input thread's list */
	bool		if_inq_busy;	/* its frames are being processed */
	TAILQ_ENTRY(ifnet) if_inq_entry;

	u_int		if_refcnt;	/* if_get*() references, +1 attached */
	bool		if_dying;	/* being detached */
	bool		if_destroying;	/* a cloner's destroy is under way */
};

/*
 * The SIOC*IF* argument: the name and what the command reads or fills
 * (the kernel's own layout, not a union; the boundary converts).  Field
 * names differ from those the host's <net/if.h> defines as macros, so
 * that the boundary's host code can see both layouts.
 */
struct ifreq {		/* kabi */
	char		ifr_xname[16];	/* IFNAMSIZ */
	struct sockaddr	ifr_sa;		/* or netmask, broadcast, link addr */
	int32_t		ifr_ifflags;
	int32_t		ifr_ifmtu;
	int32_t		ifr_index;
	int32_t		ifr_spare;
};

/* SIOCGIFDATA: the counters. */
struct ifdatareq {	/* kabi */
	char		ifdr_name[16];
	struct if_data	ifdr_data;
};

/* SIOCAIFADDR, SIOCDIFADDR: an address, its mask and broadcast. */
struct ifaliasreq {	/* kabi */
	char		ifra_name[16];
	struct sockaddr	ifra_addr;
	struct sockaddr	ifra_broadaddr;	/* 0 length: derived from the mask */
	struct sockaddr	ifra_mask;
};

/*
 * SIOCGIFCONF: ifc_len bytes of ifreqs at ifc_ubuf (the caller's);
 * filled, it says how many bytes.  A NULL ifc_ubuf: how many it needs.
 */
struct ifconf {		/* kabi */
	int32_t		ifc_len;
	void		*ifc_ubuf;
};

/* SIOCIFCREATE and SIOCIFDESTROY take an ifreq with the name. */

/*
 * SIOCIFCREATELINK: create the interface ifrl_name of a driver whose
 * wire is a host object, on the one ifrl_link names (a shmif bus file,
 * a tap device, slirp options).
 */
#define IFLINKSIZ	256
struct ifreq_link {	/* kabi */
	char		ifrl_name[16];
	char		ifrl_link[256];
};

extern TAILQ_HEAD(ifnethead, ifnet) ifnet_list;

/*
 * The driver's side.  if_alloc: a zeroed ifnet named name (the driver
 * fills it in, then calls if_attach; if_free if it never did).
 * if_detach: bring it down, take every protocol's state off it, wait for
 * the last reference; the driver frees its softc afterwards.
 */
struct ifnet *if_alloc(const char *name, int type);
void	if_free(struct ifnet *);
void	if_attach(struct ifnet *);
void	if_detach(struct ifnet *);

/*
 * A received frame from the driver (any thread): counted, tapped, and
 * given to the protocols at once if nothing else waits, else queued for
 * the network input thread; dropped (and counted) if the queue is full
 * or the interface is down.
 */
void	if_input(struct ifnet *, struct mbuf *);
/* A frame about to go to the driver: counted, tapped; then transmit. */
int	if_transmit(struct ifnet *, struct mbuf *);

/* Referenced lookups; NULL if there is none. */
struct ifnet *if_get_byname(const char *);
struct ifnet *if_get_byindex(u_int);
void	if_hold(struct ifnet *);
void	if_put(struct ifnet *);

/* Interface ioctls on any socket (softnet_lock not held). */
int	ifioctl(u_long cmd, void *data, struct lwp *);

/* Counters. */
#define if_statinc(ifp, field)	if_statadd(ifp, field, 1)
#define if_statadd(ifp, field, n) \
	__atomic_add_fetch(&(ifp)->if_data.field, (n), __ATOMIC_RELAXED)

/*
 * Protocols hook interface events: each is called under softnet_lock,
 * attach after an interface appeared, detach before it goes (purge
 * every reference to it), and an ioctl the interface layer does not
 * know, for addresses of the protocol's family (EOPNOTSUPP: not mine).
 */
struct if_protohooks {
	int	ph_family;
	void	(*ph_attach)(struct ifnet *);
	void	(*ph_detach)(struct ifnet *);
	int	(*ph_ioctl)(u_long, void *, struct ifnet *, struct lwp *);
	void	(*ph_updown)(struct ifnet *);	/* IFF_UP changed */
};
void	if_protohooks_register(const struct if_protohooks *);
void	if_protohooks_unregister(const struct if_protohooks *);

/*
 * Interface cloners: SIOCIFCREATE and rump_pub_netconfig_ifcreate("lo1")
 * find a cloner by the name's prefix; create attaches unit `unit'.
 */
struct if_clone {
	LIST_ENTRY(if_clone) ifc_list;
	const char	*ifc_name;
	int		(*ifc_create)(struct if_clone *, int unit);
	int		(*ifc_destroy)(struct ifnet *);
	/* Create on a host link (SIOCIFCREATELINK); NULL: EOPNOTSUPP. */
	int		(*ifc_create_link)(struct if_clone *, int unit,
			    const char *link);
};
void	if_clone_attach(struct if_clone *);
void	if_clone_detach(struct if_clone *);
int	if_clone_create(const char *name);
int	if_clone_create_link(const char *name, const char *link);
int	if_clone_destroy(const char *name);

/*
 * The packet tap: frames in and out as the link sees them, given to a
 * hook the host glue sets (RUMP_PCAP).  dir is IF_TAP_IN or IF_TAP_OUT.
 */
#define IF_TAP_IN	0
#define IF_TAP_OUT	1
extern void (*if_tap_hook)(struct ifnet *, struct mbuf *, int dir);
#define if_tap(ifp, m, dir) do {					\
	if (if_tap_hook != NULL)					\
		(*if_tap_hook)((ifp), (m), (dir));			\
} while (/* CONSTCOND */ 0)

/* Boot and shutdown of the interface layer (librumpnet_net). */
void	ifinit(void);
void	iffini(void);
/* net.interfaces, net.ifaddrs, net.route (net_sysctl.c). */
void	net_sysctl_init(void);
void	net_sysctl_fini(void);

#endif /* !_NET_IF_H_ */
