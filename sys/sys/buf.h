/*
 * I/O requests to block devices (subr_bio.c): a struct buf names a
 * transfer between memory and a device; the driver's d_strategy()
 * starts it and calls biodone() when it is over, from any thread;
 * biowait() sleeps until then.  The buffer cache (to come) builds on
 * the same structure.
 */
#ifndef _SYS_BUF_H_
#define _SYS_BUF_H_

#include <sys/types.h>
#include <sys/condvar.h>

#define DEV_BSHIFT	9
#define DEV_BSIZE	(1 << DEV_BSHIFT)	/* the unit of b_blkno */

struct buf {
	void		*b_data;
	size_t		b_bcount;	/* bytes to move */
	size_t		b_resid;	/* bytes not moved, when done */
	int64_t		b_blkno;	/* where on the device, DEV_BSIZE units */
	dev_t		b_dev;
	int		b_flags;	/* B_* */
	int		b_error;	/* when done: 0 or an errno */
	/* Called by biodone() instead of waking biowait(), if set. */
	void		(*b_iodone)(struct buf *);
	void		*b_private;	/* the submitter's */
	bool		b_done;		/* bio_lock */
	kcondvar_t	b_done_cv;
};

#define B_READ		0x0001		/* from the device; else to it */
#define B_SYNC		0x0002		/* a write stable before done */

void	bio_init(void);			/* at boot */
void	buf_init(struct buf *);
void	buf_destroy(struct buf *);
void	biodone(struct buf *);
int	biowait(struct buf *);		/* b_error */

#endif /* !_SYS_BUF_H_ */
