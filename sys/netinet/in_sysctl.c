/*
 * IPv4's sysctl nodes (kernel): net.inet.ip.forwarding (route datagrams
 * not for this kernel between its interfaces: 0 or 1, settable) and
 * net.inet.pcblist (a struct kinfo_pcb per IPv4 socket: TCP, UDP and
 * raw).
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/errno.h>
#include <sys/kinfo.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/sysctl.h>
#include <sys/systm.h>

#include <net/if.h>
#include <net/netisr.h>
#include <netinet/in.h>
#include <netinet/in_pcb.h>
#include <netinet/in_var.h>

static int
sysctl_forwarding(const struct sysctl_node *sn, struct sysctl_req *req)
{
	int64_t v = ip_forwarding;
	int error;

	if ((error = sysctl_out(req, &v, sizeof(v))) != 0 ||
	    req->sr_new == NULL)
		return error;
	if ((error = sysctl_in(req, &v, sizeof(v))) != 0)
		return error;
	if (v != 0 && v != 1)
		return EINVAL;
	ip_forwarding = (int)v;
	return 0;
}

/* The pcbs of every table into kp (at most max); how many there are. */
static size_t
fill_pcbs(struct kinfo_pcb *kp, size_t max)
{
	struct inpcbtable *t;
	struct inpcb *inp;
	struct socket *so;
	size_t n = 0;

	LIST_FOREACH(t, &in_pcbtables, it_tables) {
		LIST_FOREACH(inp, &t->it_all, inp_list) {
			if (n++ >= max)
				continue;
			so = inp->inp_socket;
			kp->kp_family = AF_INET;
			kp->kp_type = so != NULL ? (uint32_t)so->so_proto->pr_type :
			    0;
			kp->kp_proto = so != NULL && so->so_proto->pr_protocol != 0 ?
			    (uint32_t)so->so_proto->pr_protocol :
			    (uint32_t)inp->inp_proto;
			kp->kp_state = t->it_state != NULL ?
			    (*t->it_state)(inp) : -1;
			memcpy(kp->kp_laddr, &inp->inp_laddr, 4);
			memcpy(kp->kp_faddr, &inp->inp_faddr, 4);
			kp->kp_lport = ntohs(inp->inp_lport);
			kp->kp_fport = ntohs(inp->inp_fport);
			if (so != NULL) {
				kp->kp_sndq = so->so_snd.sb_cc;
				kp->kp_rcvq = so->so_rcv.sb_cc;
			}
			kp++;
		}
	}
	return n;
}

static int
sysctl_pcblist(const struct sysctl_node *sn, struct sysctl_req *req)
{
	struct kinfo_pcb *kp;
	size_t max = 32, n;
	int error;

	for (;;) {
		kp = kmem_zalloc(max * sizeof(*kp), KM_SLEEP);
		mutex_enter(&softnet_lock);
		n = fill_pcbs(kp, max);
		mutex_exit(&softnet_lock);
		if (n <= max)
			break;
		kmem_free(kp, max * sizeof(*kp));
		max = n + 32;
	}
	error = sysctl_out(req, kp, n * sizeof(*kp));
	kmem_free(kp, max * sizeof(*kp));
	return error;
}

static struct sysctl_node in_nodes[] = {
	SYSCTL_NODE("net.inet.ip.forwarding", CTLTYPE_INT, CTLFLAG_RW,
	    sysctl_forwarding, NULL),
	SYSCTL_NODE("net.inet.pcblist", CTLTYPE_STRUCT, 0, sysctl_pcblist,
	    NULL),
};

void
in_sysctl_init(void)
{

	sysctl_add_all(in_nodes, __arraycount(in_nodes));
}

void
in_sysctl_fini(void)
{

	sysctl_remove_all(in_nodes, __arraycount(in_nodes));
}
