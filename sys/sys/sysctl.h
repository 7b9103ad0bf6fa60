/*
 * sysctl: named values the kernel shows and, some of them, lets change
 * (kern_sysctl.c).  A node is a dotted name ("kern.ostype") with a type
 * and a handler; subsystems add theirs with sysctl_add() when they
 * start and take them away with sysctl_remove().  The system calls
 * sysctl() (one value by name) and sysctl_list() (the names under a
 * prefix) reach them.  Record types are in <sys/kinfo.h>.
 */
#ifndef _SYS_SYSCTL_H_
#define _SYS_SYSCTL_H_

#include <sys/types.h>
#include <sys/queue.h>

#define SYSCTL_NAMELEN	64	/* a name, with its NUL */

/* Types; the first character of each name in a sysctl_list() answer. */
#define CTLTYPE_INT	'i'	/* an int64_t */
#define CTLTYPE_STRING	's'	/* NUL-terminated text */
#define CTLTYPE_STRUCT	'r'	/* records of a <sys/kinfo.h> structure */

#define CTLFLAG_RW	0x01	/* the superuser may set it */

/* One request: where the old value goes and what the new one is. */
struct sysctl_req {
	void		*sr_old;	/* the caller's buffer, or NULL */
	size_t		sr_oldlen;	/* its size */
	size_t		sr_oldidx;	/* bytes produced (even past it) */
	const void	*sr_new;	/* the caller's new value, or NULL */
	size_t		sr_newlen;
};

struct sysctl_node {
	const char	*sn_name;
	int		sn_type;	/* CTLTYPE_* */
	int		sn_flags;	/* CTLFLAG_* */
	/* Produce the value with sysctl_out(), take a new one with sysctl_in(). */
	int		(*sn_handler)(const struct sysctl_node *,
			    struct sysctl_req *);
	void		*sn_data;	/* for the handlers below */
	TAILQ_ENTRY(sysctl_node) sn_link;
};

/* A node's initialiser. */
#define SYSCTL_NODE(name, type, flags, handler, data)			\
	{ .sn_name = (name), .sn_type = (type), .sn_flags = (flags),	\
	    .sn_handler = (handler), .sn_data = (data) }

/* Add a node (EEXIST if the name is taken), take it away again. */
int	sysctl_add(struct sysctl_node *);
void	sysctl_remove(struct sysctl_node *);
/* The same for an array of n nodes (a name taken twice panics). */
void	sysctl_add_all(struct sysctl_node *, u_int n);
void	sysctl_remove_all(struct sysctl_node *, u_int n);

/* Append len bytes to the old value; ENOMEM once the buffer is full. */
int	sysctl_out(struct sysctl_req *, const void *, size_t);
/* The new value, exactly len bytes (EINVAL otherwise), or 0 if none. */
int	sysctl_in(struct sysctl_req *, void *, size_t);

/* Handlers: sn_data is an int64_t (CTLFLAG_RW: settable) or a string. */
int	sysctl_int64(const struct sysctl_node *, struct sysctl_req *);
int	sysctl_string(const struct sysctl_node *, struct sysctl_req *);

void	sysctl_init(void);

#endif /* !_SYS_SYSCTL_H_ */
