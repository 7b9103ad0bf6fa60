/*
 * The vnode cache (kernel VFS): vnodes looked up by (mount, file system
 * key), their reference counts, their reclamation when unused, and the
 * vnode lock.
 *
 * Locking: vcache_lock protects the hash, the free list, the mounts'
 * vnode lists, v_state and every v_usecount change to or from zero;
 * above one, v_usecount moves atomically, so it is always read with an
 * atomic load, and so is numfree, which vcache_trim() reads unlocked.
 * A vnode being loaded or reclaimed stays in the hash so that others
 * wait for it (vcache_cv) instead of loading a twin.
 *
 * The cache keeps at most desiredvnodes unused vnodes (a share of
 * physmem_bytes), and gives them all back when kernel memory runs short
 * (vcache_drain, from the memory reclaim hook).  The hash table doubles
 * whenever there are more vnodes than chains, so chains stay short.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/mutex.h>
#include <sys/queue.h>
#include <sys/rwlock.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#define VCACHE_MINHASH	1024		/* chains at boot; a power of two */

static kmutex_t vcache_lock;
static kcondvar_t vcache_cv;		/* a load or reclaim finished */
LIST_HEAD(vcache_chain, vnode);
static struct vcache_chain *vcache_hash;
static u_int vcache_hashmask;		/* chains - 1 */
static TAILQ_HEAD(, vnode) vnode_free_list =
    TAILQ_HEAD_INITIALIZER(vnode_free_list);
static u_int numfree;

u_int numvnodes;			/* vcache_lock */
u_int desiredvnodes;

/* Memory is short: give back every unused vnode. */
static void
vcache_pressure(void)
{

	(void)vcache_drain(0);
}

void
vfs_vnode_init(void)
{
	u_int i;

	mutex_init(&vcache_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&vcache_cv, "vcache");
	vcache_hash = kmem_alloc(VCACHE_MINHASH * sizeof(*vcache_hash),
	    KM_SLEEP);
	for (i = 0; i < VCACHE_MINHASH; i++)
		LIST_INIT(&vcache_hash[i]);
	vcache_hashmask = VCACHE_MINHASH - 1;
	/* About one unused vnode per 8 KiB of memory, within bounds. */
	desiredvnodes = (u_int)MIN(MAX(physmem_bytes / 8192, 1024), 1 << 20);
	kmem_reclaim_register(vcache_pressure);
}

static uint32_t
vcache_hash_key(struct mount *mp, const void *key, size_t keylen)
{

	return hash32_buf(key, keylen, hash32_buf(&mp, sizeof(mp),
	    0x9e3779b9U));
}

/*
 * Double the hash table if there are more vnodes than chains.  The new
 * table is allocated unlocked; whoever gets the lock first with it
 * still needed moves every vnode over.
 */
static void
vcache_grow(void)
{
	struct vcache_chain *nhash, *ohash;
	struct vnode *vp;
	u_int n, i;

	n = (atomic_load_relaxed(&vcache_hashmask) + 1) * 2;
	if ((nhash = kmem_alloc(n * sizeof(*nhash), KM_NOSLEEP)) == NULL)
		return;		/* memory is short: long chains will do */
	for (i = 0; i < n; i++)
		LIST_INIT(&nhash[i]);
	mutex_enter(&vcache_lock);
	if (vcache_hashmask + 1 != n / 2 || numvnodes <= vcache_hashmask + 1) {
		mutex_exit(&vcache_lock);
		kmem_free(nhash, n * sizeof(*nhash));
		return;
	}
	ohash = vcache_hash;
	for (i = 0; i < n / 2; i++)
		while ((vp = LIST_FIRST(&ohash[i])) != NULL) {
			LIST_REMOVE(vp, v_hash);
			LIST_INSERT_HEAD(&nhash[vp->v_hashval & (n - 1)], vp,
			    v_hash);
		}
	vcache_hash = nhash;
	atomic_store_relaxed(&vcache_hashmask, n - 1);
	mutex_exit(&vcache_lock);
	kmem_free(ohash, n / 2 * sizeof(*ohash));
}

static struct vnode *
vnode_alloc(void)
{
	struct vnode *vp;

	vp = kmem_zalloc(sizeof(*vp), KM_SLEEP);
	rw_init(&vp->v_lock);
	mutex_init(&vp->v_interlock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&vp->v_cv, "vnode");
	return vp;
}

static void
vnode_free(struct vnode *vp)
{

	KASSERT(vp->v_lockf == NULL);
	cv_destroy(&vp->v_cv);
	mutex_destroy(&vp->v_interlock);
	rw_destroy(&vp->v_lock);
	kmem_free(vp, sizeof(*vp));
}

/*
 * Take vp out of the cache and detach it from its file system: the
 * caller has set VS_RECLAIMING (vcache_lock held, dropped here).  A
 * vnode still referenced (forced unmount) becomes dead instead of
 * being freed.
 */
static void
vcache_reclaim(struct vnode *vp)
{
	struct mount *mp = vp->v_mount;
	bool referenced;

	KASSERT(mutex_owned(&vcache_lock));
	KASSERT(vp->v_state == VS_RECLAIMING);
	mutex_exit(&vcache_lock);

	rw_enter(&vp->v_lock, RW_WRITER);
	if (VOP_RECLAIM(vp) != 0)
		panic("vcache_reclaim: VOP_RECLAIM failed");
	lf_purge(vp);
	vp->v_data = NULL;
	vp->v_op = &dead_vnodeops;
	rw_exit(&vp->v_lock);

	mutex_enter(&vcache_lock);
	TAILQ_REMOVE(&mp->mnt_vnodes, vp, v_mntvnodes);
	LIST_REMOVE(vp, v_hash);
	vp->v_mount = NULL;
	numvnodes--;
	referenced = atomic_load_relaxed(&vp->v_usecount) > 0;
	vp->v_state = VS_DEAD;
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	if (!referenced)
		vnode_free(vp);
}

int
vcache_get(struct mount *mp, const void *key, size_t keylen,
    struct vnode **vpp)
{
	struct vnode *vp, *nvp = NULL;
	const void *newkey;
	uint32_t hash;
	bool grow;
	int error;

	hash = vcache_hash_key(mp, key, keylen);
	mutex_enter(&vcache_lock);
again:
	LIST_FOREACH(vp, &vcache_hash[hash & vcache_hashmask], v_hash) {
		if (vp->v_hashval != hash || vp->v_mount != mp ||
		    vp->v_keylen != keylen)
			continue;
		if (keylen <= sizeof(vp->v_keycopy)) {
			if (memcmp(vp->v_keycopy, key, keylen) == 0)
				break;
			continue;
		}
		/*
		 * A vnode being reclaimed may have a key in freed memory:
		 * do not compare, wait for it to go (it might be ours).
		 */
		if (vp->v_state == VS_RECLAIMING) {
			cv_wait(&vcache_cv, &vcache_lock);
			goto again;
		}
		if (memcmp(vp->v_key, key, keylen) == 0)
			break;
	}
	if (vp != NULL) {
		if (vp->v_state != VS_ACTIVE) {
			cv_wait(&vcache_cv, &vcache_lock);
			goto again;
		}
		/* vrele_fast() moves counts above one without the lock. */
		if (atomic_inc_uint_nv(&vp->v_usecount) == 1) {
			TAILQ_REMOVE(&vnode_free_list, vp, v_freelist);
			atomic_store_relaxed(&numfree, numfree - 1);
		}
		mutex_exit(&vcache_lock);
		if (nvp != NULL)
			vnode_free(nvp);
		*vpp = vp;
		return 0;
	}
	if (mp->mnt_iflag & IMNT_UNMOUNT) {
		mutex_exit(&vcache_lock);
		if (nvp != NULL)
			vnode_free(nvp);
		return ENOENT;
	}
	if (nvp == NULL) {
		mutex_exit(&vcache_lock);
		nvp = vnode_alloc();
		mutex_enter(&vcache_lock);
		goto again;
	}

	/* Insert a loading placeholder, then load unlocked. */
	vp = nvp;
	vp->v_mount = mp;
	vp->v_state = VS_LOADING;
	vp->v_usecount = 1;
	vp->v_hashval = hash;
	vp->v_key = key;
	vp->v_keylen = keylen;
	if (keylen <= sizeof(vp->v_keycopy))
		memcpy(vp->v_keycopy, key, keylen);
	LIST_INSERT_HEAD(&vcache_hash[hash & vcache_hashmask], vp, v_hash);
	TAILQ_INSERT_TAIL(&mp->mnt_vnodes, vp, v_mntvnodes);
	grow = ++numvnodes > vcache_hashmask + 1;
	mutex_exit(&vcache_lock);
	if (grow)
		vcache_grow();

	error = VFS_LOADVNODE(mp, vp, key, keylen, &newkey);

	mutex_enter(&vcache_lock);
	if (error != 0) {
		LIST_REMOVE(vp, v_hash);
		TAILQ_REMOVE(&mp->mnt_vnodes, vp, v_mntvnodes);
		numvnodes--;
		cv_broadcast(&vcache_cv);
		mutex_exit(&vcache_lock);
		vnode_free(vp);
		return error;
	}
	vp->v_key = newkey;
	vp->v_state = VS_ACTIVE;
	cv_broadcast(&vcache_cv);
	mutex_exit(&vcache_lock);
	vcache_trim();
	*vpp = vp;
	return 0;
}

void
vref(struct vnode *vp)
{

	KASSERT(atomic_load_relaxed(&vp->v_usecount) > 0);
	atomic_inc_uint(&vp->v_usecount);
}

/* Drop a reference without the cache lock unless it is the last. */
static bool
vrele_fast(struct vnode *vp)
{
	u_int use;

	use = atomic_load_relaxed(&vp->v_usecount);
	while (use > 1) {
		if (__atomic_compare_exchange_n(&vp->v_usecount, &use, use - 1,
		    false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return true;
	}
	return false;
}

void
vrele(struct vnode *vp)
{
	bool recycle = false;

	if (vrele_fast(vp))
		return;

	/*
	 * Maybe the last reference.  Under the vnode lock, which an unlink
	 * needs too, let the file system see the vnode go inactive and
	 * decide its fate, so a link count dropping meanwhile is not missed.
	 * (A dead vnode's inactive says keep.)
	 */
	rw_enter(&vp->v_lock, RW_WRITER);
	if (atomic_load_relaxed(&vp->v_usecount) == 1)
		(void)VOP_INACTIVE(vp, &recycle);
	mutex_enter(&vcache_lock);
	KASSERT(atomic_load_relaxed(&vp->v_usecount) > 0);
	if (atomic_dec_uint_nv(&vp->v_usecount) > 0) {
		mutex_exit(&vcache_lock);
		rw_exit(&vp->v_lock);
		return;
	}
	rw_exit(&vp->v_lock);
	if (vp->v_state == VS_DEAD) {
		mutex_exit(&vcache_lock);
		vnode_free(vp);
		return;
	}
	if (vp->v_state == VS_RECLAIMING) {
		/* A forced unmount's: it frees what nobody holds. */
		mutex_exit(&vcache_lock);
		return;
	}
	KASSERT(vp->v_state == VS_ACTIVE);
	if (recycle) {
		vp->v_state = VS_RECLAIMING;
		vcache_reclaim(vp);
		return;
	}
	TAILQ_INSERT_TAIL(&vnode_free_list, vp, v_freelist);
	atomic_store_relaxed(&numfree, numfree + 1);
	mutex_exit(&vcache_lock);
	vcache_trim();
}

void
vput(struct vnode *vp)
{

	VOP_UNLOCK(vp);
	vrele(vp);
}

/* Reclaim the least recently used unused vnodes above the limit. */
void
vcache_trim(void)
{

	if (atomic_load_relaxed(&numfree) > desiredvnodes)
		(void)vcache_drain(desiredvnodes);
}

u_int
vcache_drain(u_int target)
{
	struct vnode *vp;
	u_int n = 0;

	mutex_enter(&vcache_lock);
	while (numfree > target &&
	    (vp = TAILQ_FIRST(&vnode_free_list)) != NULL) {
		KASSERT(atomic_load_relaxed(&vp->v_usecount) == 0 &&
		    vp->v_state == VS_ACTIVE);
		TAILQ_REMOVE(&vnode_free_list, vp, v_freelist);
		atomic_store_relaxed(&numfree, numfree - 1);
		vp->v_state = VS_RECLAIMING;
		vcache_reclaim(vp);
		n++;
		mutex_enter(&vcache_lock);
	}
	mutex_exit(&vcache_lock);
	return n;
}

int
vflush(struct mount *mp, struct vnode *skipvp, bool force)
{
	struct vnode *vp;
	bool busy;

	/* First: no new vnodes; is anything but skipvp in use? */
	mutex_enter(&vcache_lock);
	mp->mnt_iflag |= IMNT_UNMOUNT;
	busy = false;
	TAILQ_FOREACH(vp, &mp->mnt_vnodes, v_mntvnodes) {
		if (vp == skipvp) {
			if (atomic_load_relaxed(&vp->v_usecount) > 1)
				busy = true;
		} else if (atomic_load_relaxed(&vp->v_usecount) > 0 ||
		    vp->v_state != VS_ACTIVE)
			busy = true;
	}
	if (busy && !force)
		mp->mnt_iflag &= ~IMNT_UNMOUNT;
	mutex_exit(&vcache_lock);
	if (busy && !force)
		return EBUSY;

	/* Then reclaim them one by one; new ones cannot appear. */
	for (;;) {
		mutex_enter(&vcache_lock);
		TAILQ_FOREACH(vp, &mp->mnt_vnodes, v_mntvnodes)
			if (vp->v_state == VS_ACTIVE && vp != skipvp)
				break;
		if (vp == NULL && skipvp != NULL &&
		    skipvp->v_state == VS_ACTIVE)
			vp = skipvp;
		if (vp == NULL) {
			/* Wait for reclaims in progress elsewhere. */
			if (!TAILQ_EMPTY(&mp->mnt_vnodes)) {
				cv_wait(&vcache_cv, &vcache_lock);
				mutex_exit(&vcache_lock);
				continue;
			}
			mutex_exit(&vcache_lock);
			return 0;
		}
		if (atomic_load_relaxed(&vp->v_usecount) == 0) {
			TAILQ_REMOVE(&vnode_free_list, vp, v_freelist);
			atomic_store_relaxed(&numfree, numfree - 1);
		}
		vp->v_state = VS_RECLAIMING;
		vcache_reclaim(vp);
	}
}

void
vfs_vnode_iterate(struct mount *mp, void (*fn)(struct vnode *, void *),
    void *arg)
{
	struct vnode **vps = NULL, *vp;
	u_int cap = 0, n, i;

	for (;;) {
		n = 0;
		mutex_enter(&vcache_lock);
		TAILQ_FOREACH(vp, &mp->mnt_vnodes, v_mntvnodes)
			if (vp->v_state == VS_ACTIVE)
				n++;
		if (n > cap) {
			mutex_exit(&vcache_lock);
			if (vps != NULL)
				kmem_free(vps, cap * sizeof(*vps));
			cap = n + n / 4 + 8;
			vps = kmem_alloc(cap * sizeof(*vps), KM_SLEEP);
			continue;
		}
		/* Reference them all, as vcache_get() would. */
		n = 0;
		TAILQ_FOREACH(vp, &mp->mnt_vnodes, v_mntvnodes) {
			if (vp->v_state != VS_ACTIVE)
				continue;
			if (atomic_inc_uint_nv(&vp->v_usecount) == 1) {
				TAILQ_REMOVE(&vnode_free_list, vp, v_freelist);
				atomic_store_relaxed(&numfree, numfree - 1);
			}
			vps[n++] = vp;
		}
		mutex_exit(&vcache_lock);
		break;
	}
	for (i = 0; i < n; i++) {
		(*fn)(vps[i], arg);
		vrele(vps[i]);
	}
	if (vps != NULL)
		kmem_free(vps, cap * sizeof(*vps));
}

/*
 * The vnode lock.
 */

void
vn_lock(struct vnode *vp, int flags)
{

	rw_enter(&vp->v_lock, flags == LK_SHARED ? RW_READER : RW_WRITER);
}

void
VOP_UNLOCK(struct vnode *vp)
{

	rw_exit(&vp->v_lock);
}

bool
vn_locked(struct vnode *vp)
{

	return rw_write_held(&vp->v_lock);
}
