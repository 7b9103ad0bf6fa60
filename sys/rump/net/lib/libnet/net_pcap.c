/*
 * The packet tap (rump glue): with RUMP_PCAP=file every frame an
 * interface sends or receives is appended to file in the pcap format
 * (Ethernet link type), which tcpdump -r and wireshark read.  Loopback
 * packets get an Ethernet header with zero addresses.
 */

#include <sys/types.h>
#include <sys/endian.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/mutex.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/systm.h>
#include <sys/time.h>

#include <net/if.h>
#include <net/if_ether.h>

#include <lib/libkern/libkern.h>

#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/net.h>

#define PCAP_MAGIC	0xa1b2c3d4
#define PCAP_SNAPLEN	65535
#define PCAP_LINKTYPE_ETHERNET 1

struct pcap_filehdr {
	uint32_t	magic;
	uint16_t	version_major;
	uint16_t	version_minor;
	int32_t		thiszone;
	uint32_t	sigfigs;
	uint32_t	snaplen;
	uint32_t	linktype;
};

struct pcap_rechdr {
	uint32_t	ts_sec;
	uint32_t	ts_usec;
	uint32_t	incl_len;
	uint32_t	orig_len;
};

static kmutex_t pcap_lock;
static int pcap_fd = -1;
static int64_t pcap_off;

/* Append len bytes; the CPU is given up around the host write. */
static int
pcap_write(const void *buf, size_t len)
{
	struct lwp *l = curlwp;
	size_t done;
	int error;

	rump_cpu_release(l);
	error = rumpuser_pwrite(pcap_fd, buf, len, pcap_off, &done);
	rump_cpu_acquire(l);
	if (error == 0 && done != len)
		error = EIO;
	if (error == 0)
		pcap_off += (int64_t)len;
	return error;
}

static void
pcap_tap(struct ifnet *ifp, struct mbuf *m, int dir)
{
	struct pcap_rechdr rh;
	struct timespec ts;
	struct ether_header eh;
	uint16_t type;
	size_t hdr = 0, len;
	char *buf;

	len = (size_t)m->m_pkthdr.len;
	if (ifp->if_type == IFT_LOOP) {
		if (len < 2)
			return;
		m_copydata(m, 0, 2, &type);
		memset(&eh, 0, sizeof(eh));
		eh.ether_type = type;
		hdr = sizeof(eh);
		len -= 2;
	}
	if (hdr + len > PCAP_SNAPLEN)
		len = PCAP_SNAPLEN - hdr;
	if (hdr + len == 0)
		return;
	buf = kmem_alloc(hdr + len, KM_SLEEP);
	if (hdr != 0)
		memcpy(buf, &eh, hdr);
	m_copydata(m, hdr != 0 ? 2 : 0, (int)len, buf + hdr);
	nanotime(&ts);
	rh.ts_sec = (uint32_t)ts.tv_sec;
	rh.ts_usec = (uint32_t)(ts.tv_nsec / 1000);
	rh.incl_len = (uint32_t)(hdr + len);
	rh.orig_len = (uint32_t)(hdr + (size_t)m->m_pkthdr.len -
	    (hdr != 0 ? 2 : 0));

	mutex_enter(&pcap_lock);
	if (pcap_fd != -1 && (pcap_write(&rh, sizeof(rh)) != 0 ||
	    pcap_write(buf, hdr + len) != 0)) {
		printf("pcap: write failed, tap stopped\n");
		if_tap_hook = NULL;
	}
	mutex_exit(&pcap_lock);
	kmem_free(buf, hdr + len);
}

void
rump_pcap_init(void)
{
	struct pcap_filehdr fh;
	char path[1024];
	int error;

	mutex_init(&pcap_lock, MUTEX_DEFAULT, IPL_NONE);
	if (rumpuser_getparam("RUMP_PCAP", path, sizeof(path)) != 0 ||
	    path[0] == '\0')
		return;
	if ((error = rumpuser_open(path, RUMPUSER_OPEN_WRONLY |
	    RUMPUSER_OPEN_CREATE | RUMPUSER_OPEN_TRUNC, &pcap_fd)) != 0) {
		printf("pcap: cannot open %s: error %d\n", path, error);
		pcap_fd = -1;
		return;
	}
	memset(&fh, 0, sizeof(fh));
	fh.magic = PCAP_MAGIC;
	fh.version_major = 2;
	fh.version_minor = 4;
	fh.snaplen = PCAP_SNAPLEN;
	fh.linktype = PCAP_LINKTYPE_ETHERNET;
	pcap_off = 0;
	if (pcap_write(&fh, sizeof(fh)) != 0) {
		printf("pcap: cannot write %s\n", path);
		(void)rumpuser_close(pcap_fd);
		pcap_fd = -1;
		return;
	}
	if_tap_hook = pcap_tap;
}

void
rump_pcap_fini(void)
{

	if_tap_hook = NULL;
	if (pcap_fd != -1) {
		(void)rumpuser_close(pcap_fd);
		pcap_fd = -1;
	}
	mutex_destroy(&pcap_lock);
}
