/*
 * Domains (kernel): the registry of address families and their
 * protocols, which socket() searches.  Domains register from their
 * component's init; a domain's sockets all use its lock.
 */

#include <sys/types.h>
#include <sys/errno.h>
#include <sys/mutex.h>
#include <sys/protosw.h>
#include <sys/socket.h>
#include <sys/systm.h>

static const struct domain *domains[AF_MAX];

void
domain_attach(const struct domain *dp)
{

	KASSERT(dp->dom_family > 0 && dp->dom_family < AF_MAX);
	KASSERT(domains[dp->dom_family] == NULL);
	domains[dp->dom_family] = dp;
}

void
domain_detach(const struct domain *dp)
{

	domains[dp->dom_family] = NULL;
}

kmutex_t *
domain_solock(int family)
{

	return domains[family]->dom_lock;
}

int
pffindproto(int family, int type, int proto, const struct protosw **prp)
{
	const struct domain *dp;
	const struct protosw *pr;
	bool typeseen = false;
	int i;

	if (family <= 0 || family >= AF_MAX ||
	    (dp = domains[family]) == NULL)
		return EAFNOSUPPORT;
	if (proto < 0 || proto > 255)
		return EPROTONOSUPPORT;
	for (i = 0; i < dp->dom_nprotosw; i++) {
		pr = &dp->dom_protosw[i];
		if (pr->pr_type != type)
			continue;
		typeseen = true;
		/* 0 takes the type's default; -1 in the table takes any. */
		if (proto == 0 || pr->pr_protocol == proto ||
		    pr->pr_protocol == -1) {
			if (proto == 0 && pr->pr_protocol == -1)
				continue;
			*prp = pr;
			return 0;
		}
	}
	return typeseen ? EPROTONOSUPPORT : EPROTOTYPE;
}
