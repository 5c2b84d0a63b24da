/*
 * net.h — sockets: what the socket syscalls (kernel/sys/socket.c) call. A socket is
 * an anonymous file (S_IFSOCK inode) whose private_data is a struct socket; the
 * families (AF_UNIX in unix.c) fill in its operations (kernel/net/sock.h).
 *
 * Addresses are kernel copies (at most sizeof(struct sockaddr_storage)); message data
 * and control buffers stay in user memory and are reached through struct kmsg.
 */
#ifndef LUMEN_NET_H
#define LUMEN_NET_H

#include "lib/lib.h"
#include <linux/socket.h>
#include <linux/uio.h>
#include <linux/fcntl.h>

/*
 * The socket ABI that Linux keeps in its internal include/linux/socket.h rather than
 * in the uapi headers (glibc repeats it in bits/socket.h): address families, socket
 * types, message flags, struct msghdr/cmsghdr/ucred and the CMSG macros.
 */
#define AF_UNSPEC 0
#define AF_UNIX 1
#define AF_NETLINK 16
#define AF_MAX 46
#define SOCK_STREAM 1
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_SEQPACKET 5
#define SOCK_MAX 11
#define SOCK_CLOEXEC O_CLOEXEC
#define SOCK_NONBLOCK O_NONBLOCK
#define MSG_OOB 0x1
#define MSG_PEEK 0x2
#define MSG_CTRUNC 0x8
#define MSG_TRUNC 0x20
#define MSG_DONTWAIT 0x40
#define MSG_EOR 0x80
#define MSG_WAITALL 0x100
#define MSG_NOSIGNAL 0x4000
#define MSG_WAITFORONE 0x10000
#define MSG_CMSG_CLOEXEC 0x40000000
#define SCM_RIGHTS 1
#define SCM_CREDENTIALS 2
#define SHUT_RD 0
#define SHUT_WR 1
#define SHUT_RDWR 2
#define SOL_SOCKET 1

struct user_msghdr {
	void __user *msg_name;
	int msg_namelen;
	struct iovec __user *msg_iov;
	size_t msg_iovlen;
	void __user *msg_control;
	size_t msg_controllen;
	unsigned msg_flags;
};
struct mmsghdr {
	struct user_msghdr msg_hdr;
	unsigned msg_len;
};
struct cmsghdr {
	size_t cmsg_len;
	int cmsg_level;
	int cmsg_type;
};
struct ucred {
	pid_t pid;
	uid_t uid;
	gid_t gid;
};
#define CMSG_ALIGN(len) (((len) + sizeof(long) - 1) & ~(sizeof(long) - 1))
#define CMSG_DATA(cm) ((unsigned char *)(cm) + CMSG_ALIGN(sizeof(struct cmsghdr)))
#define CMSG_LEN(len) (CMSG_ALIGN(sizeof(struct cmsghdr)) + (len))
#define CMSG_SPACE(len) (CMSG_ALIGN(sizeof(struct cmsghdr)) + CMSG_ALIGN(len))

struct file;

/* A sendmsg/recvmsg in kernel form: the iovec array is a kernel copy whose bases are
 * user pointers; control is a user pointer. */
struct kmsg {
	struct iovec *iov;
	size_t iovlen;
	size_t len;			/* total of the iov lengths (capped) */
	struct __kernel_sockaddr_storage name;	/* send: the target; recv: the source */
	int namelen;
	bool has_name;			/* send: a name was given */
	void *control;			/* send: a kernel copy; recv: a user pointer */
	size_t controllen;		/* recv: decreases as cmsgs are written */
	unsigned flags;			/* recv: MSG_TRUNC, MSG_CTRUNC... for msg_flags */
	bool cmsg_cloexec;		/* recv: MSG_CMSG_CLOEXEC */
	uint64_t deadline;		/* monotonic ns: SO_RCVTIMEO/SO_SNDTIMEO; 0: none */
};

/* socket(2): a new socket file (type holds SOCK_NONBLOCK/SOCK_CLOEXEC flags already
 * split off into fflags, O_NONBLOCK); the file or an ERR_PTR. */
struct file *sock_create(int family, int type, int protocol, unsigned fflags);
/* socketpair(2): two connected sockets; 0 or -errno. */
int sock_create_pair(int family, int type, int protocol, unsigned fflags,
		     struct file **a, struct file **b);
/* 0 when file is a socket, -ENOTSOCK otherwise. */
int sock_file_check(struct file *file);
/* The calls on an open socket file; -ENOTSOCK for any other file. */
int sock_bind(struct file *file, const void *addr, int len);
int sock_connect(struct file *file, const void *addr, int len);
int sock_listen(struct file *file, int backlog);
/* accept4(2): the new connection's file (fflags: O_NONBLOCK) or an ERR_PTR. */
struct file *sock_accept(struct file *file, unsigned fflags);
/* Writes the local (peer false) or remote address to addr; its length or -errno. */
int sock_getname(struct file *file, void *addr, bool peer);
ssize_t sock_sendmsg(struct file *file, struct kmsg *msg, unsigned flags);
ssize_t sock_recvmsg(struct file *file, struct kmsg *msg, unsigned flags);
int sock_shutdown(struct file *file, int how);
/* The pending error (SO_ERROR) as a negative errno, cleared; 0 when none. */
int sock_take_error(struct file *file);
/* Leaves err (negative) pending for the next call, as recvmmsg does with the error
 * that ended a batch after some messages. */
void sock_set_error(struct file *file, int err);
/* optval is a kernel copy of optlen bytes (set) or a buffer of *optlen bytes (get). */
int sock_setsockopt(struct file *file, int level, int name, const void *optval, int optlen);
int sock_getsockopt(struct file *file, int level, int name, void *optval, int *optlen);
/* SO_ATTACH_FILTER: prog (kmalloc'd, len instructions) is taken over in all cases. */
struct sock_filter;
int sock_attach_filter(struct file *file, struct sock_filter *prog, unsigned len);

/* Sends a kobject uevent ("ACTION@DEVPATH\0ACTION=...\0SUBSYSTEM=...\0...", len
 * bytes with the NULs) to the NETLINK_KOBJECT_UEVENT sockets bound to group 1, as
 * Linux's kobject_uevent does. Takes the netlink lock with interrupts off. */
void netlink_uevent_broadcast(const char *buf, size_t len);

#endif
