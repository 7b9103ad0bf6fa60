/*
 * Directory entries as getdents() returns them.  Kernel ABI, mirrored
 * for host code by mkkabi.lua.  A record is never shorter than the
 * host's record for the same name, so the boundary translation can
 * rewrite a buffer of them in place.
 */
#ifndef _SYS_DIRENT_H_
#define _SYS_DIRENT_H_

#include <sys/types.h>

#define MAXNAMLEN	255

struct dirent {	/* kabi */
	ino_t		d_fileno;
	off_t		d_off;		/* directory offset of the next entry */
	uint16_t	d_reclen;
	uint16_t	d_namlen;
	uint8_t		d_type;
	char		d_name[256];
};

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12
#define DT_WHT		14

/* The header size, and the size of a record for a name of length n. */
#define _DIRENT_HDRSIZE		21
#define _DIRENT_RECLEN(n)	(((_DIRENT_HDRSIZE + (n) + 1) + 7) & ~7)

/* The mode's file type as a d_type value, and back. */
#define IFTODT(mode)	(((mode) & 0170000) >> 12)
#define DTTOIF(dt)	((dt) << 12)

#endif /* !_SYS_DIRENT_H_ */
