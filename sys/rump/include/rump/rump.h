/*
 * rump.h: the public interface of a rump kernel, for programs.
 *
 * Boot the kernel with rump_init(), then make system calls with the
 * rump_sys_*() functions of <rump/rump_syscalls.h>: they take the host's
 * types and set the host's errno.  The functions here likewise return
 * host errno values.
 */
#ifndef _RUMP_RUMP_H_
#define _RUMP_RUMP_H_

#include <sys/types.h>
#ifndef _KERNEL
#include <rump/rumpdefs.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct lwp;

/*
 * Boot the rump kernel: initialise every component linked into the
 * program.  Returns 0 or an errno value.  Calling it again while the
 * kernel runs returns 0; after rump_sys_reboot() it returns EBUSY.
 * With RUMP_VERBOSE=1 in the environment the kernel prints a banner.
 */
int	rump_init(void);

/*
 * Serve this kernel's system calls to other processes, at url:
 * "unix://PATH" (a unix socket; the path is relative to the current
 * directory unless it starts with /) or "tcp://ADDR:PORT" (a numeric
 * IPv4 address).  Each client that connects (a program linked with
 * librumpclient, or one run with librumphijack) gets a kernel process
 * of its own.  Returns once the socket listens: 0, or EINVAL (bad URL),
 * EBUSY (already serving), ENXIO (kernel not running), EADDRINUSE, ...
 */
int	rump_init_server(const char *url);

/*
 * Run kernel code directly from the calling thread (for programs that
 * link their own kernel-side code): rump_schedule() binds the thread to
 * a virtual CPU, rump_unschedule() releases it.
 */
void	rump_schedule(void);
void	rump_unschedule(void);

/*
 * Make system call `num' with arguments in the kernel's ABI (one 64-bit
 * slot each).  Returns a *kernel* errno; rump_sys_*() wrap this.
 */
int	rump_syscall(int num, void *args, __SIZE_TYPE__ argsize,
	    __INT64_TYPE__ *retval);

/*
 * Kernel processes.  Each host thread runs as an lwp of some process;
 * a thread that never chose one runs as a temporary lwp of pid 1.
 *
 * rump_pub_lwproc_rfork(flags): create a child process of the current
 *	one (RUMP_RFFDG: copy the descriptor table, RUMP_RFCFDG: start
 *	with an empty one, 0: share it) and switch this thread to its
 *	first lwp.  Returns 0 or an errno value.
 * rump_pub_lwproc_newlwp(pid): create a new lwp in process pid and
 *	switch this thread to it.  Returns 0, or ESRCH.
 * rump_pub_lwproc_switch(l): make this thread run as lwp l (NULL: as a
 *	temporary lwp again).  l must not be in use by another thread.
 * rump_pub_lwproc_releaselwp(): destroy this thread's lwp; a process
 *	whose last lwp goes away exits.
 * rump_pub_lwproc_curlwp(): this thread's lwp, or NULL.
 */
#define RUMP_RFFDG	0x01
#define RUMP_RFCFDG	0x02
int	rump_pub_lwproc_rfork(int flags);
int	rump_pub_lwproc_newlwp(pid_t pid);
void	rump_pub_lwproc_switch(struct lwp *l);
void	rump_pub_lwproc_releaselwp(void);
struct lwp *rump_pub_lwproc_curlwp(void);

/*
 * etfs (in librumpvfs): a host file, or a window of one, inside the
 * kernel's namespace at the absolute path `key' (missing directories
 * above it are made, mode 0755).  RUMP_ETFS_REG makes a regular file
 * (mode 0644) whose data is the host file's: reads and writes go to the
 * host, a whole file grows as it is written, a window does not; its
 * size cannot be set (truncate and O_TRUNC: EOPNOTSUPP, unless to the
 * size it has).  RUMP_ETFS_BLK and RUMP_ETFS_CHR make a device node
 * (mode 0600) of a disk of librumpdev_disk, reading and writing the
 * window; a write past its end fails with ENOSPC.  Without that
 * component, devices and partition suffixes are ENODEV.  A host file that cannot be
 * opened for writing (no permission, a read-only file system, a running
 * program) is registered read-only: opens for writing fail with EROFS.
 *
 * hostpath may end in a magic suffix naming one partition of a disk
 * image, from the image's table: "%DISKLABEL:a%" (a-p), "%MBR:n%" (1-4
 * primary, 5- logical), "%GPT:n%" or "%GPT:name=NAME%"; the window is
 * then taken within that partition.  A missing or damaged table is
 * EINVAL, a missing partition ENXIO, with a console line saying which.
 *
 * rump_pub_etfs_register(key, hostpath, type): the whole host file.
 * rump_pub_etfs_register_withsize(key, hostpath, type, begin, size):
 *	size bytes from offset begin; size RUMP_ETFS_SIZE_ENDOFF: up to
 *	the end.  A window past the host file's end is EINVAL.
 * rump_pub_etfs_register_why(key, hostpath, type, begin, size, why,
 *	whylen): the same, and on failure one line (no newline) in why
 *	saying what is wrong: the host file, the table, the partition or
 *	the window.  The other calls say it on the console instead.
 * rump_pub_etfs_remove(key): unregister, and unlink the node if key
 *	still names it; opens and open files stay usable until closed.
 *
 * All return 0 or an errno value: ENOENT (no such host file or key),
 * EEXIST (key exists), EISDIR (hostpath is a directory), EINVAL.
 */
enum rump_etfs_type {
	RUMP_ETFS_REG,
	RUMP_ETFS_BLK,
	RUMP_ETFS_CHR
};
#define RUMP_ETFS_SIZE_ENDOFF	((__UINT64_TYPE__)-1)
int	rump_pub_etfs_register(const char *key, const char *hostpath,
	    enum rump_etfs_type type);
int	rump_pub_etfs_register_withsize(const char *key,
	    const char *hostpath, enum rump_etfs_type type,
	    __UINT64_TYPE__ begin, __UINT64_TYPE__ size);
int	rump_pub_etfs_register_why(const char *key, const char *hostpath,
	    enum rump_etfs_type type, __UINT64_TYPE__ begin,
	    __UINT64_TYPE__ size, char *why, __SIZE_TYPE__ whylen);
int	rump_pub_etfs_remove(const char *key);

#ifdef _KERNEL
/* The kernel's halves (etfs.c); kernel errno values. */
int	rump_etfs_register(const char *, const char *, enum rump_etfs_type,
	    __UINT64_TYPE__, __UINT64_TYPE__, char *, __SIZE_TYPE__);
int	rump_etfs_remove(const char *);
#endif

#ifdef __cplusplus
}
#endif

#endif /* !_RUMP_RUMP_H_ */
