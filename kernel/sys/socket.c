/*
 * socket.c — the socket syscalls: argument decoding and the user copies of
 * addresses, msghdrs, iovecs and option values in Linux's order of checks; the
 * sockets themselves are kernel/net/.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "net/net.h"
#include "sys/syscall.h"
#include <linux/filter.h>
#include <linux/time_types.h>
#include <asm-generic/socket.h>

#define SOCKADDR_MAX ((int)sizeof(struct __kernel_sockaddr_storage))
#define MAX_RW_COUNT 0x7ffff000UL
#define OPTMEM_MAX 20480

/* Copies a user address of len bytes into kaddr (move_addr_to_kernel). */
static int addr_from_user(const void __user *uaddr, int len, void *kaddr)
{
	if (len < 0 || len > SOCKADDR_MAX)
		return -EINVAL;
	if (len && copy_from_user(kaddr, uaddr, len))
		return -EFAULT;
	return 0;
}

/* Copies a kernel address of klen bytes out, truncated to *ulen, and stores klen
 * in *ulen (move_addr_to_user). */
static int addr_to_user(const void *kaddr, int klen, void __user *uaddr, int __user *ulen)
{
	int len;

	if (get_user(len, ulen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	len = MIN(len, klen);
	if (len && copy_to_user(uaddr, kaddr, len))
		return -EFAULT;
	return put_user(klen, ulen) ? -EFAULT : 0;
}

/* The socket file at fd, counted, or ERR_PTR(-EBADF/-ENOTSOCK): Linux's
 * sockfd_lookup, which most calls do before touching their arguments. */
static struct file *sock_fd_get(int fd)
{
	struct file *file = fd_get_file(fd);
	int err;

	if (IS_ERR(file))
		return file;
	err = sock_file_check(file);
	if (err) {
		file_put(file);
		return ERR_PTR(err);
	}
	return file;
}

/* Installs a new file at the lowest free fd; drops the file on failure. */
static int install(struct file *file, unsigned flags)
{
	int fd = fd_install(current_files(), file, flags);

	if (fd < 0)
		file_put(file);
	return fd;
}

/* Splits socket(2)'s type into the type and the file flags; -EINVAL on bad flags. */
static int split_type(int *type, unsigned *fflags)
{
	int flags = *type & ~0xf;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	*type &= 0xf;
	*fflags = flags;
	return 0;
}

long sys_socket(int family, int type, int protocol)
{
	unsigned fflags;
	struct file *file;
	int err = split_type(&type, &fflags);

	if (err)
		return err;
	file = sock_create(family, type, protocol, fflags);
	if (IS_ERR(file))
		return PTR_ERR(file);
	return install(file, fflags);
}

long sys_socketpair(int family, int type, int protocol, int __user *usv)
{
	struct fd_table *table = current_files();
	struct file *a, *b;
	unsigned fflags;
	int fds[2], err = split_type(&type, &fflags);

	if (err)
		return err;
	err = sock_create_pair(family, type, protocol, fflags, &a, &b);
	if (err)
		return err;
	fds[0] = install(a, fflags);
	if (fds[0] < 0) {
		file_put(b);
		return fds[0];
	}
	fds[1] = install(b, fflags);
	if (fds[1] < 0) {
		fd_close(table, fds[0]);
		return fds[1];
	}
	if (copy_to_user(usv, fds, sizeof(fds))) {
		fd_close(table, fds[0]);
		fd_close(table, fds[1]);
		return -EFAULT;
	}
	return 0;
}

long sys_bind(int fd, const void __user *uaddr, int len)
{
	struct __kernel_sockaddr_storage addr = { 0 };
	struct file *file = sock_fd_get(fd);
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	err = addr_from_user(uaddr, len, &addr);
	if (!err)
		err = sock_bind(file, &addr, len);
	file_put(file);
	return err;
}

long sys_connect(int fd, const void __user *uaddr, int len)
{
	struct __kernel_sockaddr_storage addr = { 0 };
	struct file *file = fd_get_file(fd);
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	err = addr_from_user(uaddr, len, &addr);
	if (!err)
		err = sock_connect(file, &addr, len);
	file_put(file);
	return err;
}

long sys_listen(int fd, int backlog)
{
	struct file *file = sock_fd_get(fd);
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	err = sock_listen(file, backlog);
	file_put(file);
	return err;
}

long sys_accept4(int fd, void __user *uaddr, int __user *ulen, int flags)
{
	struct __kernel_sockaddr_storage addr;
	struct file *file, *nfile;
	int err, nfd, len;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	file = sock_fd_get(fd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	nfile = sock_accept(file, flags);
	file_put(file);
	if (IS_ERR(nfile))
		return PTR_ERR(nfile);
	if (uaddr) {
		len = sock_getname(nfile, &addr, true);
		err = len < 0 ? -ECONNABORTED : addr_to_user(&addr, len, uaddr, ulen);
		if (err) {
			file_put(nfile);
			return err;
		}
	}
	nfd = install(nfile, flags);
	return nfd;
}

long sys_accept(int fd, void __user *uaddr, int __user *ulen)
{
	return sys_accept4(fd, uaddr, ulen, 0);
}

/* getsockname/getpeername. */
static long do_getname(int fd, void __user *uaddr, int __user *ulen, bool peer)
{
	struct __kernel_sockaddr_storage addr;
	struct file *file = sock_fd_get(fd);
	int len;

	if (IS_ERR(file))
		return PTR_ERR(file);
	len = sock_getname(file, &addr, peer);
	file_put(file);
	if (len < 0)
		return len;
	return addr_to_user(&addr, len, uaddr, ulen);
}

long sys_getsockname(int fd, void __user *uaddr, int __user *ulen)
{
	return do_getname(fd, uaddr, ulen, false);
}

long sys_getpeername(int fd, void __user *uaddr, int __user *ulen)
{
	return do_getname(fd, uaddr, ulen, true);
}

long sys_sendto(int fd, const void __user *buf, size_t len, unsigned flags,
		const void __user *uaddr, int alen)
{
	struct iovec iov = { (void __user *)buf, MIN(len, MAX_RW_COUNT) };
	struct kmsg msg = { .iov = &iov, .iovlen = 1, .len = iov.iov_len };
	struct file *file = sock_fd_get(fd);
	long ret = 0;

	if (IS_ERR(file))
		return PTR_ERR(file);
	if (uaddr) {
		ret = addr_from_user(uaddr, alen, &msg.name);
		msg.namelen = alen;
		msg.has_name = alen > 0;
	}
	if (!ret)
		ret = sock_sendmsg(file, &msg, flags);
	file_put(file);
	return ret;
}

long sys_recvfrom(int fd, void __user *buf, size_t len, unsigned flags, void __user *uaddr,
		  int __user *alen)
{
	struct iovec iov = { buf, MIN(len, MAX_RW_COUNT) };
	struct kmsg msg = { .iov = &iov, .iovlen = 1, .len = iov.iov_len };
	struct file *file = sock_fd_get(fd);
	long ret;
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	msg.has_name = uaddr != NULL;
	ret = sock_recvmsg(file, &msg, flags);
	file_put(file);
	if (ret >= 0 && uaddr && (err = addr_to_user(&msg.name, msg.namelen, uaddr, alen)))
		ret = err;
	return ret;
}

/* Copies a user msghdr's header and iovec array; *uname gets msg_name. */
static int msghdr_from_user(const struct user_msghdr __user *umsg, struct user_msghdr *h,
			    struct kmsg *msg, struct iovec **iov)
{
	size_t i, total = 0;

	if (copy_from_user(h, umsg, sizeof(*h)))
		return -EFAULT;
	if (!h->msg_name)
		h->msg_namelen = 0;
	if (h->msg_namelen < 0)
		return -EINVAL;
	msg->namelen = MIN(h->msg_namelen, SOCKADDR_MAX);
	if (h->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	*iov = kmalloc(MAX(h->msg_iovlen, 1) * sizeof(struct iovec));
	if (!*iov)
		return -ENOMEM;
	if (h->msg_iovlen && copy_from_user(*iov, h->msg_iov, h->msg_iovlen * sizeof(**iov)))
		return -EFAULT;
	for (i = 0; i < h->msg_iovlen; i++) {
		if ((ssize_t)(*iov)[i].iov_len < 0)
			return -EINVAL;
		(*iov)[i].iov_len = MIN((*iov)[i].iov_len, MAX_RW_COUNT - total);
		total += (*iov)[i].iov_len;
	}
	msg->iov = *iov;
	msg->iovlen = h->msg_iovlen;
	msg->len = total;
	return 0;
}

/* One sendmsg of a user msghdr on a socket file: bytes sent or -errno. */
static long do_sendmsg(struct file *file, const struct user_msghdr __user *umsg, unsigned flags)
{
	struct iovec *iov = NULL;
	struct user_msghdr h;
	struct kmsg msg = { 0 };
	long ret;

	ret = msghdr_from_user(umsg, &h, &msg, &iov);
	if (!ret && msg.namelen) {
		ret = addr_from_user(h.msg_name, msg.namelen, &msg.name);
		msg.has_name = true;
	}
	if (!ret && h.msg_controllen > 0x7fffffffUL)
		ret = -ENOBUFS;
	else if (!ret && h.msg_controllen > OPTMEM_MAX)
		ret = -ENOBUFS;
	if (!ret && h.msg_controllen) {
		msg.control = kmalloc(h.msg_controllen);
		msg.controllen = h.msg_controllen;
		if (!msg.control)
			ret = -ENOMEM;
		else if (copy_from_user(msg.control, h.msg_control, h.msg_controllen))
			ret = -EFAULT;
	}
	if (!ret)
		ret = sock_sendmsg(file, &msg, flags);
	kfree(msg.control);
	kfree(iov);
	return ret;
}

long sys_sendmsg(int fd, const struct user_msghdr __user *umsg, unsigned flags)
{
	struct file *file = sock_fd_get(fd);
	long ret;

	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = do_sendmsg(file, umsg, flags);
	file_put(file);
	return ret;
}

/* One recvmsg into a user msghdr on a socket file (its name length, flags and
 * control length written back): bytes received or -errno. */
static long do_recvmsg(struct file *file, struct user_msghdr __user *umsg, unsigned flags)
{
	struct iovec *iov = NULL;
	struct user_msghdr h;
	struct kmsg msg = { 0 };
	long ret;
	int err;

	ret = msghdr_from_user(umsg, &h, &msg, &iov);
	if (ret)
		goto out;
	msg.has_name = h.msg_name != NULL;
	msg.namelen = 0;
	msg.control = h.msg_control;
	msg.controllen = h.msg_controllen;
	msg.flags = flags & MSG_CMSG_CLOEXEC;
	ret = sock_recvmsg(file, &msg, flags);
	if (ret < 0)
		goto out;
	if (h.msg_name && (err = addr_to_user(&msg.name, msg.namelen, h.msg_name,
					      &umsg->msg_namelen))) {
		ret = err;
		goto out;
	}
	if (put_user(msg.flags, &umsg->msg_flags) ||
	    put_user((size_t)((char *)msg.control - (char *)h.msg_control),
		     &umsg->msg_controllen))
		ret = -EFAULT;
out:
	kfree(iov);
	return ret;
}

long sys_recvmsg(int fd, struct user_msghdr __user *umsg, unsigned flags)
{
	struct file *file = sock_fd_get(fd);
	long ret;

	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = do_recvmsg(file, umsg, flags);
	file_put(file);
	return ret;
}

/* sendmmsg(2): up to vlen (capped at UIO_MAXIOV) messages, each one's length in
 * msg_len; the count sent, or the first message's error. */
long sys_sendmmsg(int fd, struct mmsghdr __user *umsgs, unsigned vlen, unsigned flags)
{
	struct file *file = sock_fd_get(fd);
	long ret = 0;
	unsigned n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	vlen = MIN(vlen, UIO_MAXIOV);
	for (n = 0; n < vlen; n++) {
		ret = do_sendmsg(file, &umsgs[n].msg_hdr, flags);
		if (ret < 0)
			break;
		if (put_user((unsigned)ret, &umsgs[n].msg_len)) {
			ret = -EFAULT;
			break;
		}
	}
	file_put(file);
	return n ? (long)n : ret;
}

/* Whether the recvmmsg timeout is out of range (poll_select_set_timeout). */
static bool timespec_invalid(const struct __kernel_timespec *ts)
{
	return ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000;
}

/* recvmmsg(2): up to vlen messages (MSG_WAITFORONE: waits for the first only),
 * stopping once the timeout has passed after a message; the count received, or
 * the first message's error (an error after some messages is left pending for
 * the next call, as Linux). The remaining time is written back to the timeout. */
long sys_recvmmsg(int fd, struct mmsghdr __user *umsgs, unsigned vlen, unsigned flags,
		  struct __kernel_timespec __user *utimeout)
{
	struct __kernel_timespec ts;
	uint64_t deadline = 0, now;
	struct file *file;
	long ret = 0;
	unsigned n;

	if (utimeout) {
		if (copy_from_user(&ts, utimeout, sizeof(ts)))
			return -EFAULT;
		if (timespec_invalid(&ts))
			return -EINVAL;
		deadline = clock_monotonic_ns() + ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	}
	file = sock_fd_get(fd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = sock_take_error(file);
	vlen = ret ? 0 : MIN(vlen, UIO_MAXIOV);
	for (n = 0; n < vlen; n++) {
		ret = do_recvmsg(file, &umsgs[n].msg_hdr, flags & ~MSG_WAITFORONE);
		if (ret < 0)
			break;
		if (put_user((unsigned)ret, &umsgs[n].msg_len)) {
			ret = -EFAULT;
			break;
		}
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (utimeout && clock_monotonic_ns() >= deadline) {
			n++;
			break;
		}
	}
	if (n && ret < 0 && ret != -EAGAIN)
		sock_set_error(file, ret);
	file_put(file);
	if (n && utimeout) {
		now = clock_monotonic_ns();
		now = now < deadline ? deadline - now : 0;
		ts.tv_sec = now / 1000000000;
		ts.tv_nsec = now % 1000000000;
		if (copy_to_user(utimeout, &ts, sizeof(ts)))
			return -EFAULT;
	}
	return n ? (long)n : ret;
}

long sys_shutdown(int fd, int how)
{
	struct file *file = sock_fd_get(fd);
	int err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	err = sock_shutdown(file, how);
	file_put(file);
	return err;
}

/* SO_ATTACH_FILTER: copies the sock_fprog and its instructions (Linux's order of
 * checks: the option length, the pointers, the instruction count). */
static int attach_filter(struct file *file, const void __user *uval, int len)
{
	struct sock_fprog fprog;
	struct sock_filter *prog;

	if (len != sizeof(fprog))
		return -EINVAL;
	if (copy_from_user(&fprog, uval, sizeof(fprog)))
		return -EFAULT;
	if (!fprog.filter || !fprog.len || fprog.len > BPF_MAXINSNS)
		return -EINVAL;
	prog = kmalloc(fprog.len * sizeof(*prog));
	if (!prog)
		return -ENOMEM;
	if (copy_from_user(prog, fprog.filter, fprog.len * sizeof(*prog))) {
		kfree(prog);
		return -EFAULT;
	}
	return sock_attach_filter(file, prog, fprog.len);
}

long sys_setsockopt(int fd, int level, int name, const void __user *uval, int len)
{
	struct file *file;
	long val[2] = { 0, 0 };	/* an int, or a timeval for SO_RCVTIMEO/SO_SNDTIMEO */
	int err = 0, vlen = sizeof(int);

	if (len < 0)
		return -EINVAL;
	file = sock_fd_get(fd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_OLD ||
	    name == SO_SNDTIMEO_NEW)
		vlen = sizeof(val);
	if (level == SOL_SOCKET && len >= vlen && copy_from_user(val, uval, vlen))
		err = -EFAULT;
	if (!err && level == SOL_SOCKET && name == SO_ATTACH_FILTER)
		err = attach_filter(file, uval, len);
	else if (!err)
		err = sock_setsockopt(file, level, name, val, len);
	file_put(file);
	return err;
}

long sys_getsockopt(int fd, int level, int name, void __user *uval, int __user *ulen)
{
	struct file *file = sock_fd_get(fd);
	char val[64] = { 0 };
	int len, vlen = 0, err;

	if (IS_ERR(file))
		return PTR_ERR(file);
	err = sock_getsockopt(file, level, name, val, &vlen);
	if (err == -EOPNOTSUPP || err == -ENOTSOCK)
		goto out;
	if (get_user(len, ulen)) {
		err = -EFAULT;
		goto out;
	}
	if (len < 0)
		err = -EINVAL;
	if (err)
		goto out;
	len = MIN(len, vlen);
	if (copy_to_user(uval, val, len) || put_user(len, ulen))
		err = -EFAULT;
out:
	file_put(file);
	return err;
}
