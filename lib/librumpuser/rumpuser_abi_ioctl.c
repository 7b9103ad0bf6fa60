/*
 * The boundary translation of ioctl() commands (part of the translation
 * module, see rumpuser_abi.h): the host's command numbers and argument
 * structures (struct ifreq, struct ifconf, struct rtentry, and those of
 * <rump/rump_net.h>) to the kernel's, and results back.
 */

#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_arp.h>
#include <net/route.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include <rump/rump_net.h>

#include "kabi.h"
#include "rumpuser_abi.h"

/* What a command's argument is, and which way it goes. */
enum ioctlarg {
	IA_NONE,		/* none */
	IA_INT_IN,		/* an int */
	IA_INT_OUT,
	IA_NAME,		/* an ifreq's name only */
	IA_FLAGS_IN,		/* an ifreq's name and flags */
	IA_FLAGS_OUT,
	IA_MTU_IN,
	IA_MTU_OUT,
	IA_INDEX_OUT,
	IA_ADDR_IN,		/* an ifreq's name and address */
	IA_MASK_IN,		/* ... a netmask (any family taken as IPv4) */
	IA_ADDR_OUT,
	IA_HWADDR_OUT,		/* ... a link address */
	IA_IFALIAS,		/* struct rump_ifaliasreq */
	IA_LINK,		/* struct rump_ifreq_link */
	IA_IFCONF,		/* struct ifconf */
	IA_RTENTRY,		/* struct rtentry */
};

static const struct ioctlcmd {
	unsigned long	host;
	unsigned long	kern;
	enum ioctlarg	arg;
} ioctltab[] = {
	{ FIOCLEX,		KABI_FIOCLEX,		IA_NONE },
	{ FIONCLEX,		KABI_FIONCLEX,		IA_NONE },
	{ FIONBIO,		KABI_FIONBIO,		IA_INT_IN },
	{ FIONREAD,		KABI_FIONREAD,		IA_INT_OUT },
	{ SIOCGIFFLAGS,		KABI_SIOCGIFFLAGS,	IA_FLAGS_OUT },
	{ SIOCSIFFLAGS,		KABI_SIOCSIFFLAGS,	IA_FLAGS_IN },
	{ SIOCGIFMTU,		KABI_SIOCGIFMTU,	IA_MTU_OUT },
	{ SIOCSIFMTU,		KABI_SIOCSIFMTU,	IA_MTU_IN },
	{ SIOCGIFINDEX,		KABI_SIOCGIFINDEX,	IA_INDEX_OUT },
	{ SIOCGIFADDR,		KABI_SIOCGIFADDR,	IA_ADDR_OUT },
	{ SIOCGIFNETMASK,	KABI_SIOCGIFNETMASK,	IA_ADDR_OUT },
	{ SIOCGIFBRDADDR,	KABI_SIOCGIFBRDADDR,	IA_ADDR_OUT },
	{ SIOCGIFHWADDR,	KABI_SIOCGIFHWADDR,	IA_HWADDR_OUT },
	{ SIOCSIFADDR,		KABI_SIOCSIFADDR,	IA_ADDR_IN },
	{ SIOCSIFNETMASK,	KABI_SIOCSIFNETMASK,	IA_MASK_IN },
	{ SIOCGIFCONF,		KABI_SIOCGIFCONF,	IA_IFCONF },
	{ SIOCADDRT,		KABI_SIOCADDRT,		IA_RTENTRY },
	{ SIOCDELRT,		KABI_SIOCDELRT,		IA_RTENTRY },
	{ RUMP_SIOCAIFADDR,	KABI_SIOCAIFADDR,	IA_IFALIAS },
	{ RUMP_SIOCDIFADDR,	KABI_SIOCDIFADDR,	IA_ADDR_IN },
	{ RUMP_SIOCIFCREATE,	KABI_SIOCIFCREATE,	IA_NAME },
	{ RUMP_SIOCIFDESTROY,	KABI_SIOCIFDESTROY,	IA_NAME },
	{ RUMP_SIOCIFCREATELINK, KABI_SIOCIFCREATELINK,	IA_LINK },
};

#define IFCONF_MAX	1024	/* records in one SIOCGIFCONF */

_Static_assert(sizeof(struct kabi_ifreq) <= sizeof(((struct
    rumpuser_abi_ioctl *)0)->kbuf), "kbuf holds an ifreq");
_Static_assert(sizeof(struct kabi_ifaliasreq) <= sizeof(((struct
    rumpuser_abi_ioctl *)0)->kbuf), "kbuf holds an ifaliasreq");
_Static_assert(sizeof(struct kabi_rtreq) <= sizeof(((struct
    rumpuser_abi_ioctl *)0)->kbuf), "kbuf holds an rtreq");
_Static_assert(sizeof(struct kabi_ifconf) <= sizeof(((struct
    rumpuser_abi_ioctl *)0)->kbuf), "kbuf holds an ifconf");
_Static_assert(sizeof(struct kabi_ifreq_link) <= sizeof(((struct
    rumpuser_abi_ioctl *)0)->kbuf), "kbuf holds an ifreq_link");
_Static_assert(sizeof(struct kabi_ifreq_link) ==
    sizeof(struct rump_ifreq_link), "ifreq_link is as long on both sides");
_Static_assert(sizeof(((struct kabi_ifreq *)0)->ifr_xname) == IFNAMSIZ,
    "interface names are as long on both sides");

static const struct ioctlcmd *
ioctl_lookup(unsigned long hcmd)
{
	size_t i;

	for (i = 0; i < sizeof(ioctltab) / sizeof(ioctltab[0]); i++)
		if (ioctltab[i].host == hcmd)
			return &ioctltab[i];
	return NULL;
}

/* An interface name (a string: rt_dev may be shorter than IFNAMSIZ). */
static int
name_tokern(const char *hname, char *kname)
{
	size_t n = strnlen(hname, IFNAMSIZ);

	if (n == IFNAMSIZ)
		return KABI_EINVAL;
	memset(kname, 0, IFNAMSIZ);
	memcpy(kname, hname, n);
	return 0;
}

/* A host address in a struct sockaddr; asinet: any family as IPv4. */
static int
sa_tokern(const struct sockaddr *hsa, struct kabi_sockaddr *ksa, int asinet)
{
	struct kabi_sockaddr_storage kss;
	struct sockaddr h;
	uint32_t klen;
	int error;

	h = *hsa;
	if (asinet)
		h.sa_family = AF_INET;
	if ((error = rumpuser_abi_sockaddr_tokern(&h, sizeof(h), &kss,
	    &klen)) != 0)
		return error;
	if (klen > sizeof(*ksa))
		return KABI_EAFNOSUPPORT;
	memcpy(ksa, &kss, klen);
	return 0;
}

/* A kernel address into a host struct sockaddr (none: AF_UNSPEC). */
static int
sa_tohost(const struct kabi_sockaddr *ksa, struct sockaddr *hsa)
{
	struct kabi_sockaddr_storage kss;
	socklen_t hlen = sizeof(*hsa);

	memset(hsa, 0, sizeof(*hsa));
	if (ksa->sa_len == 0)
		return 0;
	if (ksa->sa_len > sizeof(*ksa))
		return KABI_EIO;
	memset(&kss, 0, sizeof(kss));
	memcpy(&kss, ksa, ksa->sa_len);
	return rumpuser_abi_sockaddr_tohost(&kss, ksa->sa_len, hsa, &hlen);
}

static int
ifalias_tokern(const struct rump_ifaliasreq *h, struct kabi_ifaliasreq *k)
{
	int error;

	if ((error = name_tokern(h->ifra_name, k->ifra_name)) != 0 ||
	    (error = sa_tokern((const struct sockaddr *)&h->ifra_addr,
	    &k->ifra_addr, 0)) != 0)
		return error;
	/* An empty mask or broadcast: the kernel's default for it. */
	if (h->ifra_mask.sin_family != AF_UNSPEC &&
	    (error = sa_tokern((const struct sockaddr *)&h->ifra_mask,
	    &k->ifra_mask, 1)) != 0)
		return error;
	if (h->ifra_broadaddr.sin_family != AF_UNSPEC &&
	    (error = sa_tokern((const struct sockaddr *)&h->ifra_broadaddr,
	    &k->ifra_broadaddr, 0)) != 0)
		return error;
	return 0;
}

static int
rtentry_tokern(const struct rtentry *h, struct kabi_rtreq *k)
{
	struct sockaddr_in host;
	int error;

	if ((h->rt_flags & ~(RTF_UP | RTF_GATEWAY | RTF_HOST)) != 0)
		return KABI_EINVAL;
	if ((error = sa_tokern(&h->rt_dst, &k->rtr_dst, 0)) != 0)
		return error;
	if ((h->rt_flags & RTF_HOST) != 0) {
		memset(&host, 0, sizeof(host));
		host.sin_family = AF_INET;
		host.sin_addr.s_addr = INADDR_BROADCAST;	/* all ones */
		error = sa_tokern((const struct sockaddr *)&host,
		    &k->rtr_mask, 0);
	} else {
		error = sa_tokern(&h->rt_genmask, &k->rtr_mask, 1);
	}
	if (error != 0)
		return error;
	if ((h->rt_flags & RTF_GATEWAY) != 0 &&
	    (error = sa_tokern(&h->rt_gateway, &k->rtr_gateway, 0)) != 0)
		return error;
	if (h->rt_dev != NULL &&
	    (error = name_tokern(h->rt_dev, k->rtr_ifname)) != 0)
		return error;
	k->rtr_flags = ((h->rt_flags & RTF_UP) ? KABI_RTF_UP : 0) |
	    ((h->rt_flags & RTF_GATEWAY) ? KABI_RTF_GATEWAY : 0) |
	    ((h->rt_flags & RTF_HOST) ? KABI_RTF_HOST : 0);
	return 0;
}

static int
ifconf_tokern(const struct ifconf *h, struct rumpuser_abi_ioctl *io)
{
	struct kabi_ifconf *k = io->karg;
	size_t n;

	if (h->ifc_len < 0)
		return KABI_EINVAL;
	if (h->ifc_buf == NULL)
		return 0;	/* how much room it takes */
	n = (size_t)h->ifc_len / sizeof(struct ifreq);
	if (n > IFCONF_MAX)
		n = IFCONF_MAX;
	io->kheaplen = n * sizeof(struct kabi_ifreq);
	if (n > 0 && (io->kheap = calloc(n, sizeof(struct kabi_ifreq))) ==
	    NULL)
		return KABI_ENOMEM;
	/* Not NULL even for no room: NULL asks how much it takes. */
	k->ifc_ubuf = n > 0 ? io->kheap : (void *)io->kbuf;
	k->ifc_len = (int32_t)io->kheaplen;
	return 0;
}

static int
ifconf_tohost(const struct kabi_ifconf *k, struct rumpuser_abi_ioctl *io,
    struct ifconf *h)
{
	const struct kabi_ifreq *kr = io->kheap;
	struct ifreq hr;
	size_t n, i;

	if (k->ifc_len < 0 || (size_t)k->ifc_len % sizeof(*kr) != 0)
		return KABI_EIO;
	n = (size_t)k->ifc_len / sizeof(*kr);
	if (h->ifc_buf == NULL) {
		h->ifc_len = (int)(n * sizeof(struct ifreq));
		return 0;
	}
	if (n * sizeof(*kr) > io->kheaplen)
		return KABI_EIO;
	for (i = 0; i < n; i++) {
		memset(&hr, 0, sizeof(hr));
		if (strnlen(kr[i].ifr_xname, IFNAMSIZ) == IFNAMSIZ)
			return KABI_EIO;
		memcpy(hr.ifr_name, kr[i].ifr_xname, IFNAMSIZ);
		if (sa_tohost(&kr[i].ifr_sa, &hr.ifr_addr) != 0)
			memset(&hr.ifr_addr, 0, sizeof(hr.ifr_addr));
		memcpy(h->ifc_buf + i * sizeof(hr), &hr, sizeof(hr));
	}
	h->ifc_len = (int)(n * sizeof(struct ifreq));
	return 0;
}

int
rumpuser_abi_ioctl_tokern(unsigned long hcmd, void *harg,
    struct rumpuser_abi_ioctl *io)
{
	const struct ioctlcmd *ic;
	struct kabi_ifreq *kifr = (struct kabi_ifreq *)(void *)io->kbuf;
	struct ifreq *hifr = harg;
	int error;

	memset(io, 0, sizeof(*io));
	if ((ic = ioctl_lookup(hcmd)) == NULL)
		return KABI_ENOTTY;
	io->kcmd = ic->kern;
	io->karg = io->kbuf;
	if (ic->arg == IA_NONE) {
		io->karg = NULL;
		return 0;
	}
	if (harg == NULL)
		return KABI_EFAULT;
	switch (ic->arg) {
	case IA_INT_IN:
		memcpy(io->kbuf, harg, sizeof(int));
		return 0;
	case IA_INT_OUT:
		return 0;
	case IA_IFALIAS:
		return ifalias_tokern(harg, (struct kabi_ifaliasreq *)
		    (void *)io->kbuf);
	case IA_RTENTRY:
		return rtentry_tokern(harg, (struct kabi_rtreq *)
		    (void *)io->kbuf);
	case IA_IFCONF:
		return ifconf_tokern(harg, io);
	case IA_LINK: {
		const struct rump_ifreq_link *hl = harg;
		struct kabi_ifreq_link *kl = (void *)io->kbuf;

		if ((error = name_tokern(hl->ifrl_name, kl->ifrl_name)) != 0)
			return error;
		if (strnlen(hl->ifrl_link, sizeof(hl->ifrl_link)) ==
		    sizeof(hl->ifrl_link))
			return KABI_EINVAL;
		memcpy(kl->ifrl_link, hl->ifrl_link, sizeof(kl->ifrl_link));
		return 0;
	}
	default:
		break;
	}
	/* The rest are struct ifreq. */
	if ((error = name_tokern(hifr->ifr_name, kifr->ifr_xname)) != 0)
		return error;
	switch (ic->arg) {
	case IA_FLAGS_IN:
		kifr->ifr_ifflags = (int32_t)(uint16_t)hifr->ifr_flags;
		break;
	case IA_MTU_IN:
		kifr->ifr_ifmtu = hifr->ifr_mtu;
		break;
	case IA_ADDR_IN:
	case IA_MASK_IN:
		error = sa_tokern(&hifr->ifr_addr, &kifr->ifr_sa,
		    ic->arg == IA_MASK_IN);
		break;
	default:
		break;
	}
	return error;
}

int
rumpuser_abi_ioctl_tohost(unsigned long hcmd, int kerror,
    struct rumpuser_abi_ioctl *io, void *harg)
{
	const struct ioctlcmd *ic = ioctl_lookup(hcmd);
	const struct kabi_ifreq *kifr = (struct kabi_ifreq *)(void *)io->kbuf;
	struct ifreq *hifr = harg;
	int error = kerror;
	size_t alen;

	if (error != 0 || ic == NULL)
		goto out;
	switch (ic->arg) {
	case IA_INT_OUT:
		memcpy(harg, io->kbuf, sizeof(int));
		break;
	case IA_FLAGS_OUT:
		hifr->ifr_flags = (short)kifr->ifr_ifflags;
		break;
	case IA_MTU_OUT:
		hifr->ifr_mtu = kifr->ifr_ifmtu;
		break;
	case IA_INDEX_OUT:
		hifr->ifr_ifindex = kifr->ifr_index;
		break;
	case IA_ADDR_OUT:
		error = sa_tohost(&kifr->ifr_sa, &hifr->ifr_addr);
		break;
	case IA_HWADDR_OUT:
		/* AF_LINK and the address: the host's ARPHRD_* form. */
		alen = kifr->ifr_sa.sa_len < 2 ? 0 :
		    (size_t)kifr->ifr_sa.sa_len - 2;
		if (kifr->ifr_sa.sa_family != KABI_AF_LINK ||
		    alen > sizeof(hifr->ifr_hwaddr.sa_data)) {
			error = KABI_EIO;
			break;
		}
		memset(&hifr->ifr_hwaddr, 0, sizeof(hifr->ifr_hwaddr));
		hifr->ifr_hwaddr.sa_family = alen == 6 ? ARPHRD_ETHER :
		    ARPHRD_NONE;
		memcpy(hifr->ifr_hwaddr.sa_data, kifr->ifr_sa.sa_data, alen);
		break;
	case IA_IFCONF:
		error = ifconf_tohost((struct kabi_ifconf *)(void *)io->kbuf,
		    io, harg);
		break;
	default:
		break;
	}
out:
	free(io->kheap);
	io->kheap = NULL;
	return error;
}
