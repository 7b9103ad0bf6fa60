/*
 * The FFS directory index (ffs_dirhash.c), for ffs_dir.c: name hashes
 * to entry offsets, and the biggest free gap of each 512-byte chunk.
 */
#ifndef _FS_FFS_FFS_DIRHASH_H_
#define _FS_FFS_FFS_DIRHASH_H_

struct ffs_dirhash;

/*
 * Directories of at least MINSIZE bytes get an index; above MAXSIZE
 * (a million entries or so, or a damaged size) they are scanned.
 */
#define FFS_DIRHASH_MINSIZE	(4 * FFS_DIRBLKSIZ)
#define FFS_DIRHASH_MAXSIZE	((int64_t)32 << 20)

uint32_t ffs_dirhash_name(const char *, size_t);
struct ffs_dirhash *ffs_dirhash_create(size_t nchunks);
void	ffs_dirhash_destroy(struct ffs_dirhash *);
void	ffs_dirhash_add(struct ffs_dirhash *, uint32_t hash, int64_t off);
void	ffs_dirhash_remove(struct ffs_dirhash *, uint32_t hash, int64_t off);
/*
 * The offsets of the entries whose names have this hash, one per call
 * (*cursor 0 to start); -1 after the last.
 */
int64_t	ffs_dirhash_next(struct ffs_dirhash *, uint32_t hash, size_t *cursor);
/* Record, or find the first chunk with, a gap of at least need bytes. */
void	ffs_dirhash_setfree(struct ffs_dirhash *, size_t chunk, int room);
int64_t	ffs_dirhash_findroom(struct ffs_dirhash *, size_t nchunks, int need);

#endif /* !_FS_FFS_FFS_DIRHASH_H_ */
