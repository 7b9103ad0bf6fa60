/*
 * FFS directory index (file system layer): for a directory bigger than
 * a few chunks, an in-memory table from the hash of each name to the
 * directory offset of its entry, and the largest free gap of each
 * 512-byte chunk.  Lookups then read one entry instead of the whole
 * directory, and a new entry goes straight to a chunk with room.
 *
 * The index is built from the directory on first use and kept in step
 * by ffs_dir.c under the directory's vnode lock; entries never move
 * (removal merges an entry into its predecessor, insertion splits one),
 * so offsets stay valid.  It is only a hint for the disk: a hash match
 * is confirmed by reading the entry.  Freed with the inode.
 *
 * The table is open-addressed with linear probing; deleted slots are
 * marked and reused, and the table is rebuilt larger when full.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/kmem.h>
#include <sys/systm.h>

#include <lib/libkern/libkern.h>

#include <fs/ffs/ffs.h>
#include <fs/ffs/ffs_dirhash.h>

#define DH_EMPTY	((int64_t)-1)
#define DH_DELETED	((int64_t)-2)

struct ffs_dirhash_slot {
	int64_t		ds_off;		/* entry offset, or DH_* */
	uint32_t	ds_hash;
};

struct ffs_dirhash {
	struct ffs_dirhash_slot *dh_slots;
	size_t		dh_nslots;	/* a power of two */
	size_t		dh_used;	/* live and deleted slots */
	uint16_t	*dh_free;	/* the biggest gap of each chunk */
	size_t		dh_nchunks;	/* of dh_free's room */
};

uint32_t
ffs_dirhash_name(const char *name, size_t len)
{

	return hash32_buf(name, len, 0x46465331);
}

static void
ffs_dirhash_alloc(struct ffs_dirhash *dh, size_t nslots)
{
	size_t i;

	dh->dh_nslots = nslots;
	dh->dh_used = 0;
	dh->dh_slots = kmem_alloc(nslots * sizeof(*dh->dh_slots), KM_SLEEP);
	for (i = 0; i < nslots; i++)
		dh->dh_slots[i].ds_off = DH_EMPTY;
}

static void
ffs_dirhash_put(struct ffs_dirhash *dh, uint32_t hash, int64_t off)
{
	size_t i = hash & (dh->dh_nslots - 1);

	while (dh->dh_slots[i].ds_off >= 0)
		i = (i + 1) & (dh->dh_nslots - 1);
	if (dh->dh_slots[i].ds_off == DH_EMPTY)
		dh->dh_used++;
	dh->dh_slots[i].ds_off = off;
	dh->dh_slots[i].ds_hash = hash;
}

/* Room for one more, keeping a quarter of the slots empty. */
static void
ffs_dirhash_grow(struct ffs_dirhash *dh)
{
	struct ffs_dirhash_slot *old = dh->dh_slots;
	size_t n = dh->dh_nslots, live = 0, i;

	if ((dh->dh_used + 1) * 4 < n * 3)
		return;
	for (i = 0; i < n; i++)
		if (old[i].ds_off >= 0)
			live++;
	/* Rebuilding also clears the deleted marks. */
	ffs_dirhash_alloc(dh, live * 2 + 2 > n ? n * 2 : n);
	for (i = 0; i < n; i++)
		if (old[i].ds_off >= 0)
			ffs_dirhash_put(dh, old[i].ds_hash, old[i].ds_off);
	kmem_free(old, n * sizeof(*old));
}

struct ffs_dirhash *
ffs_dirhash_create(size_t nchunks)
{
	struct ffs_dirhash *dh;

	dh = kmem_zalloc(sizeof(*dh), KM_SLEEP);
	ffs_dirhash_alloc(dh, 64);
	dh->dh_nchunks = MAX(nchunks, 8);
	dh->dh_free = kmem_zalloc(dh->dh_nchunks * sizeof(*dh->dh_free),
	    KM_SLEEP);
	return dh;
}

void
ffs_dirhash_destroy(struct ffs_dirhash *dh)
{

	if (dh == NULL)
		return;
	kmem_free(dh->dh_slots, dh->dh_nslots * sizeof(*dh->dh_slots));
	kmem_free(dh->dh_free, dh->dh_nchunks * sizeof(*dh->dh_free));
	kmem_free(dh, sizeof(*dh));
}

void
ffs_dirhash_add(struct ffs_dirhash *dh, uint32_t hash, int64_t off)
{

	ffs_dirhash_grow(dh);
	ffs_dirhash_put(dh, hash, off);
}

void
ffs_dirhash_remove(struct ffs_dirhash *dh, uint32_t hash, int64_t off)
{
	size_t i = hash & (dh->dh_nslots - 1);

	for (; dh->dh_slots[i].ds_off != DH_EMPTY;
	    i = (i + 1) & (dh->dh_nslots - 1)) {
		if (dh->dh_slots[i].ds_off == off) {
			dh->dh_slots[i].ds_off = DH_DELETED;
			return;
		}
	}
}

int64_t
ffs_dirhash_next(struct ffs_dirhash *dh, uint32_t hash, size_t *cursor)
{
	size_t i;

	if (*cursor == 0)
		*cursor = (hash & (dh->dh_nslots - 1)) + 1;
	for (i = *cursor - 1; dh->dh_slots[i].ds_off != DH_EMPTY;
	    i = (i + 1) & (dh->dh_nslots - 1)) {
		if (dh->dh_slots[i].ds_off >= 0 &&
		    dh->dh_slots[i].ds_hash == hash) {
			*cursor = ((i + 1) & (dh->dh_nslots - 1)) + 1;
			return dh->dh_slots[i].ds_off;
		}
	}
	return -1;
}

void
ffs_dirhash_setfree(struct ffs_dirhash *dh, size_t chunk, int room)
{
	size_t n;
	uint16_t *nf;

	if (chunk >= dh->dh_nchunks) {
		n = MAX(dh->dh_nchunks * 2, chunk + 1);
		nf = kmem_zalloc(n * sizeof(*nf), KM_SLEEP);
		memcpy(nf, dh->dh_free, dh->dh_nchunks * sizeof(*nf));
		kmem_free(dh->dh_free, dh->dh_nchunks * sizeof(*nf));
		dh->dh_free = nf;
		dh->dh_nchunks = n;
	}
	dh->dh_free[chunk] = (uint16_t)room;
}

int64_t
ffs_dirhash_findroom(struct ffs_dirhash *dh, size_t nchunks, int need)
{
	size_t i;

	for (i = 0; i < MIN(nchunks, dh->dh_nchunks); i++)
		if (dh->dh_free[i] >= need)
			return (int64_t)i;
	return -1;
}
