/*
 * signalfd.c — signalfd and signalfd4: a file from which the reading task takes its
 * own pending signals within the file's mask, as struct signalfd_siginfo records.
 *
 * ctx->mask is written with WRITE_ONCE (signalfd4 on an existing fd) and read with
 * READ_ONCE; the signals themselves are proc's (signal_dequeue_mask). Readers and
 * pollers wait on signal_queued_wq, woken whenever any signal is queued.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "sys/syscall.h"
#include <asm-generic/poll.h>
#include <asm-generic/siginfo.h>
#include <asm/signal.h>
#include <linux/signalfd.h>

#define SIG_UNCATCHABLE ((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)))

struct signalfd_ctx {
	uint64_t mask;
};

/* Linux's signalfd_copyinfo: the fields that the siginfo's layout carries. */
static void signalfd_fill(struct signalfd_siginfo *ssi, const siginfo_t *info)
{
	memset(ssi, 0, sizeof(*ssi));
	ssi->ssi_signo = info->si_signo;
	ssi->ssi_errno = info->si_errno;
	ssi->ssi_code = info->si_code;
	if (info->si_code == SI_TIMER) {
		ssi->ssi_tid = info->si_tid;
		ssi->ssi_overrun = info->si_overrun;
		ssi->ssi_ptr = (uint64_t)(uintptr_t)info->si_ptr;
		ssi->ssi_int = info->si_int;
	} else if (info->si_signo == SIGCHLD && info->si_code > 0) {
		ssi->ssi_pid = info->si_pid;
		ssi->ssi_uid = info->si_uid;
		ssi->ssi_status = info->si_status;
		ssi->ssi_utime = info->si_utime;
		ssi->ssi_stime = info->si_stime;
	} else if (info->si_code > 0 && (info->si_signo == SIGSEGV || info->si_signo == SIGBUS ||
					 info->si_signo == SIGILL || info->si_signo == SIGFPE ||
					 info->si_signo == SIGTRAP)) {
		ssi->ssi_addr = (uint64_t)(uintptr_t)info->si_addr;
	} else if (info->si_code == SI_QUEUE || info->si_code == SI_MESGQ) {
		ssi->ssi_pid = info->si_pid;
		ssi->ssi_uid = info->si_uid;
		ssi->ssi_ptr = (uint64_t)(uintptr_t)info->si_ptr;
		ssi->ssi_int = info->si_int;
	} else {
		ssi->ssi_pid = info->si_pid;
		ssi->ssi_uid = info->si_uid;
	}
}

static bool signalfd_has(struct signalfd_ctx *ctx)
{
	return signal_pending_in(READ_ONCE(ctx->mask)) != 0;
}

/* Takes one signal into the buffer at off, waiting for it when block; returns the
 * record's size, -EAGAIN, -ERESTARTSYS or -EFAULT. */
static ssize_t signalfd_read_one(struct signalfd_ctx *ctx, struct iobuf *buf, size_t off,
				 bool block)
{
	struct signalfd_siginfo ssi;
	siginfo_t info;
	int err;

	while (!signal_dequeue_mask(READ_ONCE(ctx->mask), &info)) {
		if (!block)
			return -EAGAIN;
		err = wait_event_interruptible(&signal_queued_wq, signalfd_has(ctx));
		if (err)
			return err;
	}
	signalfd_fill(&ssi, &info);
	err = iobuf_copy_out(buf, off, &ssi, sizeof(ssi));
	return err ? err : (ssize_t)sizeof(ssi);
}

static ssize_t signalfd_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct signalfd_ctx *ctx = file->private_data;
	bool block = !(READ_ONCE(file->flags) & O_NONBLOCK);
	size_t count = buf->len / sizeof(struct signalfd_siginfo), done = 0;
	ssize_t n;

	if (!count)
		return -EINVAL;
	for (; count; count--) {
		n = signalfd_read_one(ctx, buf, done, block && !done);
		if (n < 0)
			return done ? (ssize_t)done : n;
		done += n;
	}
	return done;
}

static unsigned signalfd_poll(struct file *file, struct poll_table *pt)
{
	poll_wait(file, &signal_queued_wq, pt);
	return signalfd_has(file->private_data) ? POLLIN : 0;
}

/* As Linux's noop_llseek. */
static off_t signalfd_llseek(struct file *file, off_t offset, int whence)
{
	return 0;
}

static void signalfd_release(struct file *file)
{
	kfree(file->private_data);
}

static const struct file_operations signalfd_fops = {
	.anon_name = "[signalfd]",
	.read = signalfd_read,
	.poll = signalfd_poll,
	.llseek = signalfd_llseek,
	.release = signalfd_release,
};

static long signalfd_create(uint64_t mask, int flags)
{
	struct signalfd_ctx *ctx = kzalloc(sizeof(*ctx));
	struct file *file;
	int fd;

	if (!ctx)
		return -ENOMEM;
	ctx->mask = mask;
	file = file_alloc(&signalfd_fops, ctx, O_RDWR | (flags & SFD_NONBLOCK));
	if (IS_ERR(file)) {
		kfree(ctx);
		return PTR_ERR(file);
	}
	fd = fd_install(current_files(), file, flags & SFD_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		file_put(file);
	return fd;
}

/* signalfd4(2): a new signalfd (ufd -1) or a new mask for an existing one;
 * SIGKILL and SIGSTOP are dropped from the mask silently. */
long sys_signalfd4(int ufd, const uint64_t __user *umask, size_t sizemask, int flags)
{
	struct file *file;
	uint64_t mask;

	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	if (sizemask != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	mask &= ~SIG_UNCATCHABLE;
	if (ufd == -1)
		return signalfd_create(mask, flags);
	file = fd_get_file(ufd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	if (file->ops != &signalfd_fops) {
		file_put(file);
		return -EINVAL;
	}
	WRITE_ONCE(((struct signalfd_ctx *)file->private_data)->mask, mask);
	file_put(file);
	wake_up(&signal_queued_wq);
	return ufd;
}

/* signalfd(2): signalfd4 without flags. */
long sys_signalfd(int ufd, const uint64_t __user *umask, size_t sizemask)
{
	return sys_signalfd4(ufd, umask, sizemask, 0);
}
