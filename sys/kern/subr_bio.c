/*
 * Block I/O completion (kernel): biodone() marks a request finished,
 * from whatever thread the driver finishes it in, and wakes its
 * waiter in biowait() or calls its b_iodone().
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/buf.h>
#include <sys/condvar.h>
#include <sys/mutex.h>
#include <sys/systm.h>

static kmutex_t bio_lock;

void
bio_init(void)
{

	mutex_init(&bio_lock, MUTEX_DEFAULT, IPL_VM);
}

void
buf_init(struct buf *bp)
{

	memset(bp, 0, sizeof(*bp));
	cv_init(&bp->b_done_cv, "biowait");
}

void
buf_destroy(struct buf *bp)
{

	cv_destroy(&bp->b_done_cv);
}

void
biodone(struct buf *bp)
{
	void (*iodone)(struct buf *) = bp->b_iodone;

	if (iodone != NULL) {
		(*iodone)(bp);
		return;
	}
	mutex_enter(&bio_lock);
	bp->b_done = true;
	cv_broadcast(&bp->b_done_cv);
	mutex_exit(&bio_lock);
}

int
biowait(struct buf *bp)
{

	mutex_enter(&bio_lock);
	while (!bp->b_done)
		cv_wait(&bp->b_done_cv, &bio_lock);
	mutex_exit(&bio_lock);
	return bp->b_error;
}
