/*
 * Device switches (kernel): one table of block drivers and one of
 * character drivers, indexed by major number.  Drivers attach from
 * component inits, which run one at a time, and stay: a lookup is a
 * load, the entries are published with release stores and never change
 * afterwards.
 */

#include <sys/types.h>
#include <sys/param.h>
#include <sys/atomic.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/stat.h>
#include <sys/systm.h>

#define MAXDEVSW	256
/* Chosen majors start here: 240-254 are Linux's "local use" numbers. */
#define DEVSW_FIRSTDYN	240

static const struct devsw *bdevsw[MAXDEVSW], *cdevsw[MAXDEVSW];

/* A free major in table: the given one, or the first free dynamic one. */
static int
devsw_pick(const struct devsw **table, devmajor_t want, devmajor_t *majorp)
{
	devmajor_t m;

	if (want != NODEVMAJOR) {
		if (want >= MAXDEVSW || table[want] != NULL)
			return EBUSY;
		*majorp = want;
		return 0;
	}
	for (m = DEVSW_FIRSTDYN; m < MAXDEVSW; m++)
		if (table[m] == NULL) {
			*majorp = m;
			return 0;
		}
	return ENOMEM;
}

int
devsw_attach(const struct devsw *bdev, devmajor_t *bmajor,
    const struct devsw *cdev, devmajor_t *cmajor)
{
	devmajor_t bm = NODEVMAJOR, cm = NODEVMAJOR, want;
	int error = 0;

	if (bdev != NULL)
		error = devsw_pick(bdevsw, *bmajor, &bm);
	if (error == 0 && cdev != NULL) {
		/* A driver of both kinds gets one number when it can. */
		want = *cmajor;
		if (want == NODEVMAJOR && bm != NODEVMAJOR &&
		    cdevsw[bm] == NULL)
			want = bm;
		error = devsw_pick(cdevsw, want, &cm);
	}
	if (error == 0) {
		if (bdev != NULL) {
			atomic_store_release(&bdevsw[bm], bdev);
			*bmajor = bm;
		}
		if (cdev != NULL) {
			atomic_store_release(&cdevsw[cm], cdev);
			*cmajor = cm;
		}
	}
	return error;
}

const struct devsw *
devsw_lookup(dev_t dev, int fmt)
{
	devmajor_t m = major(dev);

	if (m >= MAXDEVSW)
		return NULL;
	return atomic_load_acquire(fmt == S_IFBLK ? &bdevsw[m] : &cdevsw[m]);
}
