/*
 * etfs, host files in the kernel's namespace (rump glue).
 * rump_etfs_register() makes a host file, or a window of it, appear at
 * a path of the root file system:
 *
 *  RUMP_ETFS_REG	a regular file: an external node of the root tmpfs
 *			(tmpfs.h) whose data operations go to the host;
 *  RUMP_ETFS_BLK,	a block or character device node of a disk of the
 *  RUMP_ETFS_CHR	disk component (librumpdev_disk, through
 *			etfs_diskops), which reads and writes the host file
 *			(so the node works anywhere, like any device node).
 *
 * A host path may name a partition with a magic suffix (sys/diskpart.h);
 * the disk component reads the table.
 *
 * A registration (struct etfs) lives while anything uses it: the
 * registry until rump_etfs_remove(), a regular file's node until it is
 * freed.  A regular file's host descriptor is closed with the last use;
 * a device's belongs to the disk.  Host I/O blocks, so the virtual CPU
 * is given up around it.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/diskpart.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/mutex.h>
#include <sys/namei.h>
#include <sys/queue.h>
#include <sys/stat.h>
#include <sys/systm.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <fs/tmpfs/tmpfs.h>

#include <rump/rump.h>
#include <rump/rumpuser.h>
#include <rump-sys/kern.h>
#include <rump-sys/vfs.h>

#define ETFS_IOCHUNK	(256 * 1024)	/* bytes per host call */

struct etfs {
	LIST_ENTRY(etfs) et_entries;	/* etfs_list while registered */
	char		*et_key;
	enum rump_etfs_type et_type;
	int		et_fd;		/* the host file (-1: a device's) */
	bool		et_writable;	/* opened read-write on the host */
	bool		et_grows;	/* a whole regular file: may grow */
	uint64_t	et_begin;	/* the window in the host file */
	uint64_t	et_size;	/* (a growing file: vnode lock) */
	dev_t		et_dev;		/* a device's number (NODEV: none) */
	u_int		et_refs;	/* etfs_lock */
};

static kmutex_t etfs_lock;
static LIST_HEAD(, etfs) etfs_list = LIST_HEAD_INITIALIZER(etfs_list);
static struct vnodeops etfs_vnodeops;		/* of regular files */
static const struct etfs_diskops *etfs_diskops;	/* librumpdev_disk */

/* Drop a use; the last one closes the host file. */
static void
etfs_rele(struct etfs *et)
{

	mutex_enter(&etfs_lock);
	KASSERT(et->et_refs > 0);
	if (--et->et_refs > 0) {
		mutex_exit(&etfs_lock);
		return;
	}
	mutex_exit(&etfs_lock);
	if (et->et_dev != NODEV)
		(*etfs_diskops->ed_detach)(et->et_dev);
	if (et->et_fd != -1)
		(void)rumpuser_close(et->et_fd);
	kmem_strfree(et->et_key);
	kmem_free(et, sizeof(*et));
}

/* A positioned host transfer, the virtual CPU given up meanwhile. */
static int
etfs_hostio(struct etfs *et, enum uio_rw rw, void *buf, size_t len,
    uint64_t off, size_t *donep)
{
	struct lwp *l = curlwp;
	int error;

	rump_cpu_release(l);
	if (rw == UIO_READ)
		error = rumpuser_pread(et->et_fd, buf, len,
		    (int64_t)(et->et_begin + off), donep);
	else
		error = rumpuser_pwrite(et->et_fd, buf, len,
		    (int64_t)(et->et_begin + off), donep);
	rump_cpu_acquire(l);
	return error;
}

int
etfs_hostsync(int fd, int fsyncflags)
{
	struct lwp *l = curlwp;
	int error;

	rump_cpu_release(l);
	error = rumpuser_syncfd(fd, (fsyncflags & FSYNC_DATAONLY) ?
	    RUMPUSER_SYNC_DATA : RUMPUSER_SYNC_ALL);
	rump_cpu_acquire(l);
	return error;
}

/*
 * The part of uio's transfer that falls in the window: its offset and
 * length (0: nothing to do).  Reads end at the window's end; a write
 * stops there (ENOSPC if it could write nothing), except on a growing
 * file, which it extends.
 */
static int
etfs_clip(const struct etfs *et, const struct uio *uio, uint64_t *offp,
    size_t *lenp)
{
	uint64_t off, end;
	size_t len;

	if (uio->uio_offset < 0)
		return EINVAL;
	off = (uint64_t)uio->uio_offset;
	len = uio->uio_resid;
	*lenp = 0;
	if (uio->uio_rw == UIO_WRITE && et->et_grows)
		end = off + len;
	else
		end = et->et_size;
	if (off >= end || len == 0)
		return uio->uio_rw == UIO_WRITE && len > 0 ? ENOSPC : 0;
	*offp = off;
	*lenp = (size_t)MIN(len, end - off);
	return 0;
}

/* Move uio's bytes to or from the window (etfs_clip()), synchronously. */
static int
etfs_io(struct etfs *et, struct uio *uio)
{
	uint64_t off;
	size_t len, n, done, bufsize;
	char *buf;
	int error;

	if ((error = etfs_clip(et, uio, &off, &len)) != 0 || len == 0)
		return error;
	bufsize = MIN(len, ETFS_IOCHUNK);
	buf = kmem_alloc(bufsize, KM_SLEEP);
	while (len > 0 && error == 0) {
		n = MIN(len, ETFS_IOCHUNK);
		if (uio->uio_rw == UIO_READ) {
			error = etfs_hostio(et, UIO_READ, buf, n, off, &done);
			if (error == 0 && done < n)
				len = done;	/* the host file is shorter */
			if (error == 0)
				error = uiomove(buf, done, uio);
		} else {
			if ((error = uiomove(buf, n, uio)) != 0)
				break;
			error = etfs_hostio(et, UIO_WRITE, buf, n, off, &done);
			if (error == 0 && done < n)
				error = ENOSPC;
			if (et->et_grows && off + done > et->et_size)
				et->et_size = off + done;
		}
		off += done;
		len -= MIN(len, done);
	}
	kmem_free(buf, bufsize);
	return error;
}

/*
 * Regular files: the root tmpfs keeps the name and the attributes,
 * etfs the data and its size.
 */

static struct etfs *
etfs_ofvnode(struct vnode *vp)
{

	return tmpfs_node_extarg(vp);
}

static int
etfs_open(struct vnode *vp, int fflag, kauth_cred_t cred)
{

	if ((fflag & FWRITE) && !etfs_ofvnode(vp)->et_writable)
		return EROFS;
	return tmpfs_vnodeops.vop_open(vp, fflag, cred);
}

static int
etfs_getattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	struct etfs *et = etfs_ofvnode(vp);
	int error;

	if ((error = tmpfs_vnodeops.vop_getattr(vp, va, cred)) != 0)
		return error;
	va->va_size = (off_t)et->et_size;
	va->va_bytes = (off_t)et->et_size;
	return 0;
}

/* The size is the host's: only "no change" is accepted. */
static int
etfs_setattr(struct vnode *vp, struct vattr *va, kauth_cred_t cred)
{
	struct etfs *et = etfs_ofvnode(vp);

	if (va->va_size != (off_t)VNOVAL) {
		if (va->va_size != (off_t)et->et_size)
			return EOPNOTSUPP;
		va->va_size = (off_t)VNOVAL;
	}
	return tmpfs_vnodeops.vop_setattr(vp, va, cred);
}

static int
etfs_read(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	int error;

	error = etfs_io(etfs_ofvnode(vp), uio);
	tmpfs_update(vp->v_data, TMPFS_UPD_ATIME);
	return error;
}

static int
etfs_write(struct vnode *vp, struct uio *uio, int ioflag, kauth_cred_t cred)
{
	struct etfs *et = etfs_ofvnode(vp);
	size_t resid = uio->uio_resid;
	int error;

	if (!et->et_writable)
		return EROFS;
	if (ioflag & IO_APPEND)
		uio->uio_offset = (off_t)et->et_size;
	error = etfs_io(et, uio);
	if (error == 0 && (ioflag & (IO_SYNC | IO_DSYNC)))
		error = etfs_hostsync(et->et_fd, FSYNC_DATAONLY);
	if (uio->uio_resid != resid)
		tmpfs_update(vp->v_data, TMPFS_UPD_MTIME | TMPFS_UPD_CTIME);
	return error;
}

static int
etfs_fsync(struct vnode *vp, kauth_cred_t cred, int flags)
{

	return etfs_hostsync(etfs_ofvnode(vp)->et_fd, flags);
}

static const struct tmpfs_ext etfs_ext = {
	.te_vnodeops = &etfs_vnodeops,
	.te_free = (void (*)(void *))etfs_rele,
};

/*
 * Registration.
 */

/* The directories above key, made as root (0755) where missing. */
static int
etfs_mkparents(const char *key)
{
	struct nameidata nd;
	struct vattr va;
	char *path;
	size_t len = strlen(key), i;
	int error = 0;

	path = kmem_alloc(len + 1, KM_SLEEP);
	for (i = 1; i < len && error == 0; i++) {
		if (key[i] != '/' || key[i - 1] == '/')
			continue;
		memcpy(path, key, i);
		path[i] = '\0';
		namei_setup(&nd, path, UIO_SYSSPACE, AT_FDCWD, CREATE,
		    LOCKPARENT | FOLLOW);
		if ((error = namei(&nd)) != 0)
			break;
		if (nd.nd_vp == NULL) {
			vattr_null(&va);
			va.va_type = VDIR;
			va.va_mode = 0755;
			va.va_uid = 0;
			va.va_gid = 0;
			error = VOP_MKDIR(nd.nd_dvp, &nd.nd_vp, &nd.nd_cn,
			    &va);
		} else if (nd.nd_vp->v_type != VDIR)
			error = ENOTDIR;
		if (nd.nd_dvp != NULL)
			VOP_UNLOCK(nd.nd_dvp);
		namei_done(&nd);
	}
	kmem_free(path, len + 1);
	return error;
}

/* Make the node at et's key: a regular file or a device. */
static int
etfs_mknode(struct etfs *et)
{
	struct nameidata nd;
	struct vattr va;
	int error;

	namei_setup(&nd, et->et_key, UIO_SYSSPACE, AT_FDCWD, CREATE,
	    LOCKPARENT);
	if ((error = namei(&nd)) != 0)
		return error;
	if (nd.nd_dvp == NULL || nd.nd_vp != NULL)
		error = EEXIST;
	else if (nd.nd_trailslash)
		error = EINVAL;
	if (error != 0)
		goto out;
	vattr_null(&va);
	va.va_uid = 0;
	va.va_gid = 0;
	if (et->et_type == RUMP_ETFS_REG) {
		va.va_type = VREG;
		va.va_mode = 0644;
		if ((error = VOP_CREATE(nd.nd_dvp, &nd.nd_vp, &nd.nd_cn,
		    &va)) != 0)
			goto out;
		/* The parent is still locked: nobody has seen the node. */
		if ((error = tmpfs_node_setext(nd.nd_vp, &etfs_ext, et)) != 0) {
			vn_lock(nd.nd_vp, LK_EXCLUSIVE);
			(void)VOP_REMOVE(nd.nd_dvp, nd.nd_vp, &nd.nd_cn);
			VOP_UNLOCK(nd.nd_vp);
			goto out;
		}
		et->et_refs++;		/* the node's */
	} else {
		va.va_type = et->et_type == RUMP_ETFS_BLK ? VBLK : VCHR;
		va.va_mode = 0600;
		va.va_rdev = et->et_dev;
		error = VOP_MKNOD(nd.nd_dvp, &nd.nd_vp, &nd.nd_cn, &va);
	}
out:
	if (nd.nd_dvp != NULL)
		VOP_UNLOCK(nd.nd_dvp);
	namei_done(&nd);
	return error;
}

/* Unlink et's node, if its key still names it. */
static void
etfs_unlink(struct etfs *et)
{
	struct nameidata nd;
	struct vnode *vp;
	struct vattr va;
	bool ours;

	namei_setup(&nd, et->et_key, UIO_SYSSPACE, AT_FDCWD, DELETE,
	    LOCKPARENT);
	if (namei(&nd) != 0)
		return;
	if ((vp = nd.nd_vp) != NULL && nd.nd_dvp != NULL) {
		vn_lock(vp, LK_EXCLUSIVE);
		if (et->et_type == RUMP_ETFS_REG)
			ours = vp->v_op == &etfs_vnodeops &&
			    etfs_ofvnode(vp) == et;
		else
			ours = vp->v_type == (et->et_type == RUMP_ETFS_BLK ?
			    VBLK : VCHR) &&
			    VOP_GETATTR(vp, &va, curlwp->l_cred) == 0 &&
			    va.va_rdev == et->et_dev;
		if (ours)
			(void)VOP_REMOVE(nd.nd_dvp, vp, &nd.nd_cn);
		VOP_UNLOCK(vp);
	}
	if (nd.nd_dvp != NULL)
		VOP_UNLOCK(nd.nd_dvp);
	namei_done(&nd);
}

/* Read the image of a magic path for the partition table code. */
static int
etfs_tableread(void *arg, uint64_t off, void *buf, size_t len)
{
	struct lwp *l = curlwp;
	size_t done;
	int error;

	rump_cpu_release(l);
	error = rumpuser_pread(*(int *)arg, buf, len, (int64_t)off, &done);
	rump_cpu_acquire(l);
	if (error == 0 && done != len)
		error = EIO;
	return error;
}

/*
 * Split hostpath into the host path (*hostlenp bytes) and its partition
 * selection.  Without the disk component, a path that looks like it
 * has a suffix ("...%X%") is refused rather than taken literally.
 */
static int
etfs_parse(const char *hostpath, size_t *hostlenp, struct diskpart_sel *sel,
    char *why, size_t whylen)
{
	size_t len = strlen(hostpath);

	if (etfs_diskops != NULL)
		return (*etfs_diskops->ed_parse)(hostpath, hostlenp, sel, why,
		    whylen);
	memset(sel, 0, sizeof(*sel));
	sel->dp_scheme = DISKPART_NONE;
	*hostlenp = len;
	if (len >= 3 && hostpath[len - 1] == '%' &&
	    memchr(hostpath, '%', len - 1) != NULL) {
		snprintf(why, whylen, "%s: partition paths need the disk "
		    "component (librumpdev_disk)", hostpath);
		return ENODEV;
	}
	return 0;
}

/* Words for the errors a host file gives, for console lines. */
static const char *
etfs_errstr(int error)
{
	static char other[24];

	switch (error) {
	case ENOENT:		return "no such file";
	case EACCES:		return "permission denied";
	case ENOTDIR:		return "a path component is not a directory";
	case ELOOP:		return "too many symbolic links";
	case ENAMETOOLONG:	return "name too long";
	case ENFILE:		return "too many open files";
	case EMFILE:		return "too many open files";
	case EROFS:		return "read-only file system";
	}
	snprintf(other, sizeof(other), "error %d", error);
	return other;
}

/*
 * Open the host side of a registration: hostpath, possibly with a
 * magic partition suffix, then the window [begin, begin + size) of the
 * file or of the partition; a device's window becomes a disk.  Says
 * why in why when it fails.
 */
static int
etfs_hostopen(const char *key, const char *hostpath, enum rump_etfs_type type,
    uint64_t begin, uint64_t size, struct etfs *et, char *why, size_t whylen)
{
	struct diskpart_sel sel;
	uint64_t hsize, poff, psize;
	char *host = NULL;
	size_t hostlen;
	int error, ft, fd = -1, bio;

	if (type != RUMP_ETFS_REG && etfs_diskops == NULL) {
		snprintf(why, whylen, "block and character devices need "
		    "the disk component (librumpdev_disk)");
		error = ENODEV;
		goto out;
	}
	if ((error = etfs_parse(hostpath, &hostlen, &sel, why,
	    whylen)) != 0)
		goto out;
	host = kmem_alloc(hostlen + 1, KM_SLEEP);
	memcpy(host, hostpath, hostlen);
	host[hostlen] = '\0';
	if ((error = rumpuser_getfileinfo(host, &hsize, &ft)) != 0) {
		snprintf(why, whylen, "%s: %s", host, etfs_errstr(error));
		goto out;
	}
	if (ft == RUMPUSER_FT_DIR)
		error = EISDIR;
	else if (ft != RUMPUSER_FT_REG && ft != RUMPUSER_FT_BLK &&
	    ft != RUMPUSER_FT_CHR)
		error = EINVAL;
	if (error != 0) {
		snprintf(why, whylen, "%s is not a file or a disk", host);
		goto out;
	}

	bio = type == RUMP_ETFS_BLK ? RUMPUSER_OPEN_BIO : 0;
	et->et_writable = true;
	error = rumpuser_open(host, RUMPUSER_OPEN_RDWR | bio, &fd);
	if (error == EACCES || error == EROFS || error == ETXTBSY) {
		et->et_writable = false;
		error = rumpuser_open(host, RUMPUSER_OPEN_RDONLY | bio, &fd);
	}
	if (error != 0) {
		snprintf(why, whylen, "%s: cannot open: %s", host,
		    etfs_errstr(error));
		goto out;
	}

	/* The partition, if any, is the file the window is taken from. */
	poff = 0;
	psize = hsize;
	if (sel.dp_scheme != DISKPART_NONE && (error =
	    (*etfs_diskops->ed_find)(&sel, hsize, etfs_tableread, &fd, &poff,
	    &psize, why, whylen)) != 0)
		goto out;
	if (begin > psize || (size != RUMP_ETFS_SIZE_ENDOFF &&
	    size > psize - begin)) {
		snprintf(why, whylen, "%llu bytes from offset %llu reach "
		    "past the end of %s (%llu bytes)",
		    size == RUMP_ETFS_SIZE_ENDOFF ? 0ULL :
		    (unsigned long long)size, (unsigned long long)begin,
		    sel.dp_scheme != DISKPART_NONE ? "the partition" : host,
		    (unsigned long long)psize);
		error = EINVAL;
		goto out;
	}
	et->et_begin = poff + begin;
	et->et_size = size == RUMP_ETFS_SIZE_ENDOFF ? psize - begin : size;
	et->et_grows = type == RUMP_ETFS_REG && begin == 0 &&
	    size == RUMP_ETFS_SIZE_ENDOFF && sel.dp_scheme == DISKPART_NONE;
	if (type == RUMP_ETFS_REG) {
		et->et_fd = fd;
		goto out;
	}
	if ((error = (*etfs_diskops->ed_attach)(key, fd, et->et_writable,
	    et->et_begin, et->et_size, type == RUMP_ETFS_BLK,
	    &et->et_dev)) != 0) {
		snprintf(why, whylen, "no device: %s", etfs_errstr(error));
		goto out;
	}
	fd = -1;		/* the disk's now */
out:
	if (host != NULL)
		kmem_free(host, hostlen + 1);
	if (error != 0 && fd != -1)
		(void)rumpuser_close(fd);
	return error;
}

int
rump_etfs_register(const char *key, const char *hostpath,
    enum rump_etfs_type type, uint64_t begin, uint64_t size, char *userwhy,
    size_t userwhylen)
{
	struct etfs *et, *other;
	char why[160];
	int error;

	lwp_update_creds(curlwp);	/* a kernel entry, as a system call */
	why[0] = '\0';
	if (key == NULL || hostpath == NULL || key[0] != '/' ||
	    (type != RUMP_ETFS_REG && type != RUMP_ETFS_BLK &&
	    type != RUMP_ETFS_CHR)) {
		error = EINVAL;
		snprintf(why, sizeof(why), "the key must be an absolute "
		    "path and the type REG, BLK or CHR");
		goto out;
	}
	if (strnlen(key, MAXPATHLEN) == MAXPATHLEN) {
		error = ENAMETOOLONG;
		snprintf(why, sizeof(why), "the key is too long");
		goto out;
	}

	et = kmem_zalloc(sizeof(*et), KM_SLEEP);
	et->et_fd = -1;
	et->et_dev = NODEV;
	if ((error = etfs_hostopen(key, hostpath, type, begin, size, et, why,
	    sizeof(why))) != 0) {
		kmem_free(et, sizeof(*et));
		goto out;
	}
	et->et_key = kmem_strdup(key, KM_SLEEP);
	et->et_type = type;
	et->et_refs = 1;		/* the registry's */

	mutex_enter(&etfs_lock);
	LIST_FOREACH(other, &etfs_list, et_entries)
		if (strcmp(other->et_key, key) == 0)
			break;
	if (other != NULL)
		error = EEXIST;
	else
		LIST_INSERT_HEAD(&etfs_list, et, et_entries);
	mutex_exit(&etfs_lock);
	if (error != 0) {
		etfs_rele(et);
		snprintf(why, sizeof(why), "%s is registered already", key);
		goto out;
	}

	if ((error = etfs_mkparents(key)) == 0)
		error = etfs_mknode(et);
	if (error != 0) {
		mutex_enter(&etfs_lock);
		LIST_REMOVE(et, et_entries);
		et->et_entries.le_prev = NULL;
		mutex_exit(&etfs_lock);
		etfs_rele(et);
		snprintf(why, sizeof(why), "cannot make %s: %s", key,
		    error == EEXIST ? "it exists" : etfs_errstr(error));
	}
out:
	/* The reason goes to the caller who asked, else to the console. */
	if (error != 0 && userwhy != NULL && userwhylen > 0)
		strlcpy(userwhy, why, userwhylen);
	else if (error != 0)
		printf("etfs: %s: %s\n", key != NULL ? key : "(null)", why);
	return error;
}

int
rump_etfs_remove(const char *key)
{
	struct etfs *et;

	lwp_update_creds(curlwp);
	if (key == NULL)
		return EINVAL;
	mutex_enter(&etfs_lock);
	LIST_FOREACH(et, &etfs_list, et_entries)
		if (strcmp(et->et_key, key) == 0)
			break;
	if (et != NULL) {
		LIST_REMOVE(et, et_entries);
		et->et_entries.le_prev = NULL;
	}
	mutex_exit(&etfs_lock);
	if (et == NULL)
		return ENOENT;
	etfs_unlink(et);
	etfs_rele(et);
	return 0;
}

void
etfs_setdiskops(const struct etfs_diskops *ops)
{

	etfs_diskops = ops;
}

void
etfs_init(void)
{

	mutex_init(&etfs_lock, MUTEX_DEFAULT, IPL_NONE);
	etfs_vnodeops = tmpfs_vnodeops;
	etfs_vnodeops.vop_open = etfs_open;
	etfs_vnodeops.vop_getattr = etfs_getattr;
	etfs_vnodeops.vop_setattr = etfs_setattr;
	etfs_vnodeops.vop_read = etfs_read;
	etfs_vnodeops.vop_write = etfs_write;
	etfs_vnodeops.vop_fsync = etfs_fsync;
}

/* At shutdown, before the file systems go: drop every registration. */
void
etfs_fini(void)
{
	struct etfs *et;

	mutex_enter(&etfs_lock);
	while ((et = LIST_FIRST(&etfs_list)) != NULL) {
		LIST_REMOVE(et, et_entries);
		et->et_entries.le_prev = NULL;
		mutex_exit(&etfs_lock);
		etfs_rele(et);
		mutex_enter(&etfs_lock);
	}
	mutex_exit(&etfs_lock);
}
