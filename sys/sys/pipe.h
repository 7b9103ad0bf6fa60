/*
 * Pipes (sys_pipe.c): a bounded byte buffer with a read end and a write
 * end, used by pipe() and by fifos (the VFS's fifo vnodes).
 */
#ifndef _SYS_PIPE_H_
#define _SYS_PIPE_H_

#include <sys/types.h>

struct pipe;
struct uio;

#define PIPE_BUF	512		/* writes this small are atomic */
#define PIPE_SIZE	65536		/* capacity */

struct pipe *pipe_alloc(void);
/*
 * Open an end (FREAD and/or FWRITE in fflag).  For a fifo, wait: a
 * reader for a writer and a writer for a reader, unless O_NONBLOCK
 * (a writer with no reader then fails with ENXIO).  Returns 0 or errno.
 */
int	pipe_open(struct pipe *, int fflag, bool fifo);
/* Close an end; returns true when both ends are closed (free it). */
bool	pipe_close(struct pipe *, int fflag);
void	pipe_free(struct pipe *);
int	pipe_read(struct pipe *, struct uio *, int fflag);
int	pipe_write(struct pipe *, struct uio *, int fflag);
int	pipe_poll(struct pipe *, int events, int fflag);
size_t	pipe_nbytes(struct pipe *);

#endif /* !_SYS_PIPE_H_ */
