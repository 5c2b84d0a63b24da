/*
 * socket.c — the family-independent socket layer: the socket file (read, write, poll,
 * close), socket creation, SOL_SOCKET options kept for every family, and the
 * helpers that move message data and control messages (SCM_RIGHTS,
 * SCM_CREDENTIALS) between user memory and a family.
 */
#include "net/sock.h"
#include "mm/mm.h"
#include <linux/net.h>
#include <linux/time_types.h>
#include <asm-generic/poll.h>
#include <asm-generic/ioctls.h>

static const struct file_operations socket_fops;

/* The socket behind file, or NULL when file is no socket. */
static struct socket *file_socket(struct file *file)
{
	return file->ops == &socket_fops ? file->private_data : NULL;
}

static ssize_t socket_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct iovec iov = { buf->ptr, buf->len };
	struct kmsg msg = { .iov = &iov, .iovlen = 1, .len = buf->len };

	if (buf->kernel)
		return -EINVAL;
	if (!buf->len)
		return 0;
	return sock_recvmsg(file, &msg, 0);
}

static ssize_t socket_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct iovec iov = { buf->ptr, buf->len };
	struct kmsg msg = { .iov = &iov, .iovlen = 1, .len = buf->len };

	if (buf->kernel)
		return -EINVAL;
	return sock_sendmsg(file, &msg, 0);
}

static unsigned socket_poll(struct file *file, struct poll_table *pt)
{
	struct socket *sock = file->private_data;

	return sock->ops->poll ? sock->ops->poll(sock, file, pt) : 0;
}

static long socket_ioctl(struct file *file, unsigned cmd, unsigned long arg)
{
	struct socket *sock = file->private_data;

	return sock->ops->ioctl ? sock->ops->ioctl(sock, cmd, arg) : -ENOTTY;
}

static off_t socket_llseek(struct file *file, off_t offset, int whence)
{
	return -ESPIPE;
}

static void socket_release(struct file *file)
{
	struct socket *sock = file->private_data;

	if (sock->ops->release)
		sock->ops->release(sock);
	kfree(sock);
}

static const struct file_operations socket_fops = {
	.read = socket_read,
	.write = socket_write,
	.poll = socket_poll,
	.ioctl = socket_ioctl,
	.llseek = socket_llseek,
	.release = socket_release,
};

/* A socket file with no family state yet; sock->ops is unset. */
static struct file *socket_file_alloc(int family, int type, int protocol, unsigned fflags)
{
	struct socket *sock = kzalloc(sizeof(*sock));
	struct inode *inode = anon_inode_new(S_IFSOCK | 0777);
	struct file *file;

	if (!sock || !inode)
		goto out_nomem;
	file = file_alloc(&socket_fops, sock, O_RDWR | (fflags & O_NONBLOCK));
	if (IS_ERR(file))
		goto out_nomem;
	sock->family = family;
	sock->type = type;
	sock->protocol = protocol;
	sock->sndbuf = SOCK_DEFAULT_BUF;
	sock->rcvbuf = SOCK_DEFAULT_BUF;
	sock->rcvtimeo = sock->sndtimeo = SOCK_TIMEO_FOREVER;
	file->inode = inode;
	return file;
out_nomem:
	kfree(sock);
	inode_put(inode);
	return ERR_PTR(-ENOMEM);
}

/* Frees a socket file whose family setup failed (no release call). */
static void socket_file_abort(struct file *file)
{
	struct socket *sock = file->private_data;

	static const struct proto_ops no_ops;

	sock->ops = &no_ops;
	file_put(file);
}

/* Family checks of socket(2); 0 when the family supports (type, protocol). */
static int socket_family_init(struct socket *sock, int family, int type, int protocol)
{
	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (family == AF_UNIX)
		return unix_create(sock, type, protocol);
	if (family == AF_NETLINK)
		return netlink_create(sock, type, protocol);
	return -EAFNOSUPPORT;
}

/* socket(2) after the flags were split off type. Returns the file or an ERR_PTR. */
struct file *sock_create(int family, int type, int protocol, unsigned fflags)
{
	struct file *file;
	int err;

	if (family < 0 || family >= AF_MAX)
		return ERR_PTR(-EAFNOSUPPORT);
	if (type < 0 || type >= SOCK_MAX)
		return ERR_PTR(-EINVAL);
	file = socket_file_alloc(family, type, protocol, fflags);
	if (IS_ERR(file))
		return file;
	err = socket_family_init(file->private_data, family, type, protocol);
	if (err) {
		socket_file_abort(file);
		return ERR_PTR(err);
	}
	return file;
}

/* socketpair(2): two sockets connected to each other. 0 or -errno. */
int sock_create_pair(int family, int type, int protocol, unsigned fflags,
		     struct file **a, struct file **b)
{
	struct socket *sa, *sb;
	int err;

	*a = sock_create(family, type, protocol, fflags);
	if (IS_ERR(*a))
		return PTR_ERR(*a);
	*b = sock_create(family, type, protocol, fflags);
	if (IS_ERR(*b)) {
		file_put(*a);
		return PTR_ERR(*b);
	}
	sa = (*a)->private_data;
	sb = (*b)->private_data;
	err = sa->ops->pair ? sa->ops->pair(sa, sb) : -EOPNOTSUPP;
	if (err) {
		file_put(*a);
		file_put(*b);
	}
	return err;
}

/* The socket file is, or NULL. */
struct socket *sock_of_file(struct file *file)
{
	return file_socket(file);
}

/* 0 when file is a socket, -ENOTSOCK otherwise. */
int sock_file_check(struct file *file)
{
	return file_socket(file) ? 0 : -ENOTSOCK;
}

/* The socket of file or -ENOTSOCK, through a macro so each call stays one line. */
#define SOCK_OR_RETURN(sock, file) \
	struct socket *sock = file_socket(file); \
	if (!sock) \
		return -ENOTSOCK

/* bind(2) on a socket file. */
int sock_bind(struct file *file, const void *addr, int len)
{
	SOCK_OR_RETURN(sock, file);
	return sock->ops->bind ? sock->ops->bind(sock, addr, len) : -EOPNOTSUPP;
}

/* Whether a call may not wait (MSG_DONTWAIT, O_NONBLOCK, a zero timeout); sets
 * *deadline from the timeout (SOCK_HZ ticks) otherwise, 0 for none. */
static bool sock_wait_deadline(struct file *file, unsigned flags, long timeo, uint64_t *deadline)
{
	if ((flags & MSG_DONTWAIT) || (READ_ONCE(file->flags) & O_NONBLOCK) || !timeo)
		return true;
	*deadline = 0;
	if (timeo != SOCK_TIMEO_FOREVER)
		*deadline = clock_monotonic_ns() + (uint64_t)timeo * (1000000000 / SOCK_HZ);
	return false;
}

/* connect(2); waits unless the file is non-blocking, at most SO_SNDTIMEO. */
int sock_connect(struct file *file, const void *addr, int len)
{
	uint64_t deadline = 0;
	bool nonblock;

	SOCK_OR_RETURN(sock, file);
	if (!sock->ops->connect)
		return -EOPNOTSUPP;
	nonblock = sock_wait_deadline(file, 0, READ_ONCE(sock->sndtimeo), &deadline);
	return sock->ops->connect(sock, addr, len, nonblock, deadline);
}

/* listen(2); the backlog is capped at somaxconn as Linux does. */
int sock_listen(struct file *file, int backlog)
{
	SOCK_OR_RETURN(sock, file);
	if (!sock->ops->listen)
		return -EOPNOTSUPP;
	if ((unsigned)backlog > SOMAXCONN_DEFAULT)
		backlog = SOMAXCONN_DEFAULT;
	return sock->ops->listen(sock, backlog);
}

/* accept4(2): the next connection as a new file (one reference) or an ERR_PTR;
 * waits unless the file is non-blocking, at most SO_RCVTIMEO. */
struct file *sock_accept(struct file *file, unsigned fflags)
{
	struct socket *sock = file_socket(file), *nsock;
	uint64_t deadline = 0;
	struct file *nfile;
	bool nonblock;
	int err;

	if (!sock)
		return ERR_PTR(-ENOTSOCK);
	if (!sock->ops->accept)
		return ERR_PTR(-EOPNOTSUPP);
	nfile = socket_file_alloc(sock->family, sock->type, sock->protocol, fflags);
	if (IS_ERR(nfile))
		return nfile;
	nsock = nfile->private_data;
	nsock->ops = sock->ops;
	nonblock = sock_wait_deadline(file, 0, READ_ONCE(sock->rcvtimeo), &deadline);
	err = sock->ops->accept(sock, nsock, nonblock, deadline);
	if (err) {
		socket_file_abort(nfile);
		return ERR_PTR(err);
	}
	return nfile;
}

/* getsockname(2)/getpeername(2): the address length or -errno. */
int sock_getname(struct file *file, void *addr, bool peer)
{
	SOCK_OR_RETURN(sock, file);
	return sock->ops->getname ? sock->ops->getname(sock, addr, peer) : -EOPNOTSUPP;
}

/* sock_wait_deadline for a message call: the deadline goes to msg->deadline. */
static bool sock_nonblock(struct file *file, struct kmsg *msg, unsigned flags, long timeo)
{
	return sock_wait_deadline(file, flags, timeo, &msg->deadline);
}

/* sendmsg(2): bytes sent or -errno. MSG_DONTWAIT or O_NONBLOCK: no waiting;
 * SO_SNDTIMEO: EAGAIN at its end. */
ssize_t sock_sendmsg(struct file *file, struct kmsg *msg, unsigned flags)
{
	SOCK_OR_RETURN(sock, file);
	if (!sock->ops->sendmsg)
		return -EOPNOTSUPP;
	return sock->ops->sendmsg(sock, msg, flags, sock_nonblock(file, msg, flags,
								   READ_ONCE(sock->sndtimeo)));
}

/* recvmsg(2): bytes received or -errno; msg->flags gets MSG_TRUNC/MSG_CTRUNC. */
ssize_t sock_recvmsg(struct file *file, struct kmsg *msg, unsigned flags)
{
	SOCK_OR_RETURN(sock, file);
	if (!sock->ops->recvmsg)
		return -EOPNOTSUPP;
	msg->cmsg_cloexec = flags & MSG_CMSG_CLOEXEC;
	return sock->ops->recvmsg(sock, msg, flags, sock_nonblock(file, msg, flags,
								   READ_ONCE(sock->rcvtimeo)));
}

/* shutdown(2): how is SHUT_RD, SHUT_WR or SHUT_RDWR. */
int sock_shutdown(struct file *file, int how)
{
	SOCK_OR_RETURN(sock, file);
	return sock->ops->shutdown ? sock->ops->shutdown(sock, how) : -EOPNOTSUPP;
}

/* The pending error (SO_ERROR) as a negative errno, cleared; 0 when none. */
int sock_take_error(struct file *file)
{
	int err = 0, len = sizeof(err);

	SOCK_OR_RETURN(sock, file);
	if (!sock->ops->getsockopt || sock->ops->getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &len))
		return 0;
	return -err;
}

/* Leaves err (negative) pending for the next call on the socket. */
void sock_set_error(struct file *file, int err)
{
	struct socket *sock = file_socket(file);

	if (sock && sock->ops->set_error)
		sock->ops->set_error(sock, -err);
}

/* A buffer size as Linux sets it: doubled, at least min, capped (unless forced). */
static int sock_buf_size(int val, int min, bool force)
{
	if (!force && (unsigned)val > SOCK_MAX_BUF)
		val = SOCK_MAX_BUF;
	if (val < 0)
		val = 0;
	if ((unsigned)val > 0x3fffffff)
		val = 0x3fffffff;
	return MAX(val * 2, min);
}

/* SO_RCVTIMEO/SO_SNDTIMEO from a timeval as Linux's sock_set_timeout: rounded up
 * to ticks, {0, 0} waits forever, a negative one never waits. */
static int sock_set_timeout(long *timeo, const void *optval, int optlen)
{
	struct __kernel_sock_timeval tv;
	long val = SOCK_TIMEO_FOREVER;

	if (optlen < (int)sizeof(tv))
		return -EINVAL;
	memcpy(&tv, optval, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0)
		val = 0;
	else if ((tv.tv_sec || tv.tv_usec) && tv.tv_sec < SOCK_TIMEO_FOREVER / SOCK_HZ - 1)
		val = tv.tv_sec * SOCK_HZ + DIV_ROUND_UP(tv.tv_usec, 1000000 / SOCK_HZ);
	WRITE_ONCE(*timeo, val);
	return 0;
}

/* A timeout as getsockopt shows it (a timeval, {0, 0} for none); its length. */
static int sock_get_timeout(long timeo, void *optval)
{
	struct __kernel_sock_timeval tv = { 0, 0 };

	if (timeo != SOCK_TIMEO_FOREVER) {
		tv.tv_sec = timeo / SOCK_HZ;
		tv.tv_usec = (timeo % SOCK_HZ) * 1000000 / SOCK_HZ;
	}
	memcpy(optval, &tv, sizeof(tv));
	return sizeof(tv);
}

/* setsockopt(2); optval is a kernel copy of optlen bytes (at most 16 of them). */
int sock_setsockopt(struct file *file, int level, int name, const void *optval, int optlen)
{
	int val, err;

	SOCK_OR_RETURN(sock, file);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW)
		return sock_set_timeout(&sock->rcvtimeo, optval, optlen);
	if (name == SO_SNDTIMEO_OLD || name == SO_SNDTIMEO_NEW)
		return sock_set_timeout(&sock->sndtimeo, optval, optlen);
	if (optlen < (int)sizeof(int))
		return -EINVAL;
	memcpy(&val, optval, sizeof(val));
	if (sock->ops->setsockopt) {
		err = sock->ops->setsockopt(sock, level, name, val);
		if (err != -ENOPROTOOPT)
			return err;
	}
	switch (name) {
	case SO_SNDBUF:
	case SO_SNDBUFFORCE:
		WRITE_ONCE(sock->sndbuf, sock_buf_size(val, SOCK_MIN_SNDBUF, name == SO_SNDBUFFORCE));
		return 0;
	case SO_RCVBUF:
	case SO_RCVBUFFORCE:
		WRITE_ONCE(sock->rcvbuf, sock_buf_size(val, SOCK_MIN_RCVBUF, name == SO_RCVBUFFORCE));
		return 0;
	case SO_PASSCRED:
		WRITE_ONCE(sock->passcred, val != 0);
		return 0;
	case SO_REUSEADDR:
		sock->reuseaddr = val != 0;
		return 0;
	case SO_KEEPALIVE:
		sock->keepalive = val != 0;
		return 0;
	case SO_PEEK_OFF:	/* a family that has it answers above */
		return -EOPNOTSUPP;
	}
	return -ENOPROTOOPT;
}

/* getsockopt(2): writes the value to optval (64 bytes) and its length to *optlen. */
int sock_getsockopt(struct file *file, int level, int name, void *optval, int *optlen)
{
	int *v = optval, err;

	SOCK_OR_RETURN(sock, file);
	if (level != SOL_SOCKET)
		return -EOPNOTSUPP;
	if (sock->ops->getsockopt) {
		err = sock->ops->getsockopt(sock, level, name, optval, optlen);
		if (err != -ENOPROTOOPT)
			return err;
	}
	*optlen = sizeof(int);
	switch (name) {
	case SO_TYPE: *v = sock->type; return 0;
	case SO_DOMAIN: *v = sock->family; return 0;
	case SO_PROTOCOL: *v = sock->protocol; return 0;
	case SO_SNDBUF: *v = READ_ONCE(sock->sndbuf); return 0;
	case SO_RCVBUF: *v = READ_ONCE(sock->rcvbuf); return 0;
	case SO_PASSCRED: *v = READ_ONCE(sock->passcred); return 0;
	case SO_REUSEADDR: *v = sock->reuseaddr; return 0;
	case SO_KEEPALIVE: *v = sock->keepalive; return 0;
	case SO_PEEK_OFF: return -EOPNOTSUPP;	/* a family that has it answers above */
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		*optlen = sock_get_timeout(READ_ONCE(sock->rcvtimeo), optval);
		return 0;
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		*optlen = sock_get_timeout(READ_ONCE(sock->sndtimeo), optval);
		return 0;
	}
	return -ENOPROTOOPT;
}

/* SO_ATTACH_FILTER; families without filters refuse it with EOPNOTSUPP. */
int sock_attach_filter(struct file *file, struct sock_filter *prog, unsigned len)
{
	struct socket *sock = file_socket(file);

	if (!sock || !sock->ops->attach_filter) {
		kfree(prog);
		return sock ? -EOPNOTSUPP : -ENOTSOCK;
	}
	return sock->ops->attach_filter(sock, prog, len);
}

/* Copies n bytes between buf and the message data at offset off: out, from buf to
 * the data, else from the data to buf. 0 or -EFAULT. */
static int msg_copy(const struct kmsg *msg, size_t off, void *buf, size_t n, bool out)
{
	size_t i;

	for (i = 0; i < msg->iovlen && n; i++) {
		size_t ilen = msg->iov[i].iov_len, chunk;
		char __user *u;

		if (off >= ilen) {
			off -= ilen;
			continue;
		}
		chunk = MIN(n, ilen - off);
		u = (char __user *)msg->iov[i].iov_base + off;
		if (out ? copy_to_user(u, buf, chunk) : copy_from_user(buf, u, chunk))
			return -EFAULT;
		buf = (char *)buf + chunk;
		n -= chunk;
		off = 0;
	}
	return 0;
}

/* Copies n bytes at offset off of the message data into dst; 0 or -EFAULT. */
int msg_copy_in(const struct kmsg *msg, size_t off, void *dst, size_t n)
{
	return msg_copy(msg, off, dst, n, false);
}

/* Copies n bytes from src to offset off of the message data; 0 or -EFAULT. */
int msg_copy_out(struct kmsg *msg, size_t off, const void *src, size_t n)
{
	return msg_copy(msg, off, (void *)src, n, true);	/* only read */
}

/* The current task's pid and ids: effective ones for SO_PEERCRED, real ones for
 * SCM_CREDENTIALS, as Linux gives them. */
void ucred_current(struct ucred *uc)
{
	struct cred *c = task_cred(current);

	uc->pid = task_tgid(current);
	uc->uid = c->euid;
	uc->gid = c->egid;
}

/* SCM_RIGHTS: references on the files of the cmsg's fds, appended to scm. */
static int scm_add_fds(struct scm *scm, const struct cmsghdr *cm)
{
	int num = (cm->cmsg_len - sizeof(*cm)) / sizeof(int), i;
	const int *fds = (const int *)CMSG_DATA(cm);

	if (num <= 0)
		return 0;
	if (scm->nfp + num > SCM_MAX_FD)
		return -EINVAL;
	for (i = 0; i < num; i++) {
		struct file *f = fd_get_file(fds[i]);

		if (IS_ERR(f))
			return PTR_ERR(f);
		scm->fps[scm->nfp++] = f;
	}
	return 0;
}

/* SCM_CREDENTIALS: checked as Linux does for a sender (root may claim any). */
static int scm_add_creds(struct scm *scm, const struct cmsghdr *cm)
{
	struct cred *c = task_cred(current);
	struct ucred uc;

	if (cm->cmsg_len != CMSG_LEN(sizeof(uc)))
		return -EINVAL;
	memcpy(&uc, CMSG_DATA(cm), sizeof(uc));
	if ((uc.pid != task_tgid(current) && c->euid != 0) ||
	    (uc.uid != c->uid && uc.uid != c->euid && uc.uid != c->suid && c->euid != 0) ||
	    (uc.gid != c->gid && uc.gid != c->egid && uc.gid != c->sgid && c->euid != 0))
		return -EPERM;
	if (uc.pid <= 0 || !task_find(uc.pid))
		return -ESRCH;
	if (uc.uid == (uid_t)-1 || uc.gid == (gid_t)-1)
		return -EINVAL;
	scm->creds = uc;
	scm->has_creds = true;
	return 0;
}

/* Parses a sendmsg's control (a kernel copy) into scm. 0 or -errno (scm released). */
int scm_parse(const struct kmsg *msg, struct scm *scm)
{
	const char *ctl = msg->control;
	size_t size = msg->controllen, off = 0;
	int err = 0;

	scm->nfp = 0;
	scm->has_creds = false;
	while (size >= sizeof(struct cmsghdr) && off <= size - sizeof(struct cmsghdr)) {
		const struct cmsghdr *cm = (const void *)(ctl + off);

		if (cm->cmsg_len < sizeof(*cm) || cm->cmsg_len > size - off) {
			err = -EINVAL;
			break;
		}
		if (cm->cmsg_level == SOL_SOCKET) {
			if (cm->cmsg_type == SCM_RIGHTS)
				err = scm_add_fds(scm, cm);
			else if (cm->cmsg_type == SCM_CREDENTIALS)
				err = scm_add_creds(scm, cm);
			else
				err = -EINVAL;
			if (err)
				break;
		}
		off += CMSG_ALIGN(cm->cmsg_len);
	}
	if (err)
		scm_release(scm);
	return err;
}

/* Drops the file references of scm. */
void scm_release(struct scm *scm)
{
	while (scm->nfp)
		file_put(scm->fps[--scm->nfp]);
}

/* Moves a recvmsg's control pointer past a cmsg of space bytes. */
static void msg_control_advance(struct kmsg *msg, size_t space)
{
	space = MIN(space, msg->controllen);
	msg->control = (char *)msg->control + space;
	msg->controllen -= space;
}

/* Writes one cmsg (truncated, with MSG_CTRUNC, when the buffer is short). */
int msg_put_cmsg(struct kmsg *msg, int level, int type, const void *data, size_t len)
{
	struct cmsghdr __user *cm = msg->control;
	struct cmsghdr h = { .cmsg_level = level, .cmsg_type = type };
	size_t cmlen = CMSG_LEN(len);

	if (!cm || msg->controllen < sizeof(h)) {
		msg->flags |= MSG_CTRUNC;
		return 0;
	}
	if (msg->controllen < cmlen) {
		msg->flags |= MSG_CTRUNC;
		cmlen = msg->controllen;
	}
	h.cmsg_len = cmlen;
	if (copy_to_user(cm, &h, sizeof(h)) ||
	    copy_to_user((char __user *)cm + sizeof(h), data, cmlen - sizeof(h)))
		return -EFAULT;
	msg_control_advance(msg, CMSG_SPACE(len));
	return 0;
}

/* Installs the passed files as fds (as many as the control buffer holds). */
void msg_put_fds(struct kmsg *msg, struct file **files, int n)
{
	struct cmsghdr __user *cm = msg->control;
	int max = 0, i;

	if (cm && msg->controllen > sizeof(struct cmsghdr))
		max = MIN((size_t)n, (msg->controllen - sizeof(struct cmsghdr)) / sizeof(int));
	for (i = 0; i < max; i++) {
		int fd = fd_install(current_files(), files[i], msg->cmsg_cloexec ? O_CLOEXEC : 0);

		if (fd < 0)
			break;
		if (put_user(fd, (int __user *)CMSG_DATA(cm) + i)) {
			file_get(files[i]);
			fd_close(current_files(), fd);
			break;
		}
	}
	if (i > 0) {
		struct cmsghdr h = { CMSG_LEN(i * sizeof(int)), SOL_SOCKET, SCM_RIGHTS };

		if (!copy_to_user(cm, &h, sizeof(h)))
			msg_control_advance(msg, CMSG_SPACE(i * sizeof(int)));
	}
	if (i < n)
		msg->flags |= MSG_CTRUNC;
	for (; i < n; i++)
		file_put(files[i]);
}
