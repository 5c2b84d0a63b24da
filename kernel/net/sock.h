/*
 * sock.h — the socket layer's private structures, shared by kernel/net/ files: the
 * socket a file carries, the operations a family provides, and the helpers for
 * message data and control messages.
 */
#ifndef LUMEN_NET_SOCK_H
#define LUMEN_NET_SOCK_H

#include "net/net.h"
#include "net/bpf.h"
#include "fs/fs.h"
#include <asm-generic/socket.h>
#include <linux/un.h>

#define SOCK_TYPE_MASK 0xf
#define SCM_MAX_FD 253
#define SOCK_DEFAULT_BUF 212992		/* net.core.wmem_default/rmem_default */
#define SOCK_MAX_BUF 212992		/* net.core.wmem_max/rmem_max */
#define SOCK_MIN_SNDBUF 4608
#define SOCK_MIN_RCVBUF 2304
#define SOMAXCONN_DEFAULT 4096
#define SOCK_HZ 250			/* Linux's jiffies, which SO_*TIMEO round to */
#define SOCK_TIMEO_FOREVER 0x7fffffffffffffffL

struct socket;
struct sock_filter;

/* A family's operations; NULL members answer EOPNOTSUPP. All are called with a
 * reference on the socket's file and no lock held. */
struct proto_ops {
	int (*bind)(struct socket *sock, const void *addr, int len);
	/* connect and accept wait unless nonblock, until deadline (monotonic ns, 0 =
	 * none: SO_SNDTIMEO for connect, SO_RCVTIMEO for accept). */
	int (*connect)(struct socket *sock, const void *addr, int len, bool nonblock, uint64_t deadline);
	int (*listen)(struct socket *sock, int backlog);
	/* Fills newsock (already allocated, same family and type) with a connection. */
	int (*accept)(struct socket *sock, struct socket *newsock, bool nonblock, uint64_t deadline);
	int (*getname)(struct socket *sock, void *addr, bool peer);
	ssize_t (*sendmsg)(struct socket *sock, struct kmsg *msg, unsigned flags, bool nonblock);
	ssize_t (*recvmsg)(struct socket *sock, struct kmsg *msg, unsigned flags, bool nonblock);
	int (*shutdown)(struct socket *sock, int how);
	/* SOL_SOCKET options the family keeps itself (-ENOPROTOOPT: the generic ones). */
	int (*setsockopt)(struct socket *sock, int level, int name, int val);
	int (*getsockopt)(struct socket *sock, int level, int name, void *val, int *len);
	unsigned (*poll)(struct socket *sock, struct file *file, struct poll_table *pt);
	int (*pair)(struct socket *a, struct socket *b);
	/* SO_ATTACH_FILTER: a classic BPF program (kmalloc'd, taken over). */
	int (*attach_filter)(struct socket *sock, struct sock_filter *prog, unsigned len);
	/* SIOCINQ/SIOCOUTQ and the family's other ioctls (-ENOTTY: unknown). */
	long (*ioctl)(struct socket *sock, unsigned cmd, unsigned long arg);
	/* Sets the pending error (SO_ERROR) to err, a positive errno. */
	void (*set_error)(struct socket *sock, int err);
	/* The family's state at the last close of the file. */
	void (*release)(struct socket *sock);
};

/*
 * A socket: lives as long as its file (freed at release). family, type and protocol
 * are fixed; sndbuf/rcvbuf/passcred are written by setsockopt and read without a
 * lock (a racing reader sees the old or the new value).
 */
struct socket {
	const struct proto_ops *ops;
	int family, type, protocol;
	int sndbuf, rcvbuf;
	bool passcred, reuseaddr, keepalive;
	long rcvtimeo, sndtimeo;	/* in SOCK_HZ ticks; SOCK_TIMEO_FOREVER */
	void *sk;			/* the family's */
};

/* A SCM_RIGHTS/SCM_CREDENTIALS payload parsed from a sendmsg's control. */
struct scm {
	struct file *fps[SCM_MAX_FD];	/* counted */
	int nfp;
	bool has_creds;
	struct ucred creds;
};

/* A socket wait's result as the call returns it: EAGAIN once the SO_RCVTIMEO or
 * SO_SNDTIMEO deadline passed, EINTR instead of a restart when there was a
 * deadline (Linux's sock_intr_errno). */
static inline int sock_wait_errno(int err, uint64_t deadline)
{
	if (err == -ETIMEDOUT)
		return -EAGAIN;
	if (err == -ERESTARTSYS && deadline)
		return -EINTR;
	return err;
}

/* socket.c: the socket a file is, or NULL. */
struct socket *sock_of_file(struct file *file);
/* socket.c: message data and control. */
int msg_copy_in(const struct kmsg *msg, size_t off, void *dst, size_t n);
int msg_copy_out(struct kmsg *msg, size_t off, const void *src, size_t n);
/* Parses the control of a sendmsg into scm (references on the passed files). */
int scm_parse(const struct kmsg *msg, struct scm *scm);
void scm_release(struct scm *scm);
/* Writes one cmsg to a recvmsg's control, setting MSG_CTRUNC when it does not fit. */
int msg_put_cmsg(struct kmsg *msg, int level, int type, const void *data, size_t len);
/* Installs files as new fds in a SCM_RIGHTS cmsg; drops the references of the files
 * that do not fit (MSG_CTRUNC). Takes over the caller's references. */
void msg_put_fds(struct kmsg *msg, struct file **files, int n);
/* The current task's credentials as SO_PEERCRED/SCM_CREDENTIALS show them. */
void ucred_current(struct ucred *uc);

/* netlink.c */
int netlink_create(struct socket *sock, int type, int protocol);

/* unix.c */
int unix_create(struct socket *sock, int type, int protocol);

#endif
