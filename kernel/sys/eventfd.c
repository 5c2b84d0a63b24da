/*
 * eventfd.c — eventfd and eventfd2: a 64-bit counter that write adds to and read
 * takes (all of it, or 1 with EFD_SEMAPHORE), blocking while it would overflow or is
 * zero. ctx->lock protects count; readers, writers and pollers sleep on ctx->wq.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "sys/syscall.h"
#include <asm-generic/poll.h>

/* Linux's include/linux/eventfd.h, which the uapi headers lack. */
#define EFD_SEMAPHORE 1
#define EFD_CLOEXEC O_CLOEXEC
#define EFD_NONBLOCK O_NONBLOCK

#define EVENTFD_MAX 0xfffffffffffffffeULL	/* the largest count */

struct eventfd_ctx {
	spinlock_t lock;
	uint64_t count;
	bool semaphore;
	struct wait_queue wq;
};

/* Takes what a read gets when the counter is not zero; 0 when it is. */
static uint64_t eventfd_take(struct eventfd_ctx *ctx)
{
	uint64_t flags = spin_lock_irqsave(&ctx->lock);
	uint64_t v = ctx->count;

	if (v && ctx->semaphore)
		v = 1;
	ctx->count -= v;
	spin_unlock_irqrestore(&ctx->lock, flags);
	return v;
}

/* Adds v when it fits below the maximum; returns whether it did. */
static bool eventfd_add(struct eventfd_ctx *ctx, uint64_t v)
{
	uint64_t flags = spin_lock_irqsave(&ctx->lock);
	bool ok = EVENTFD_MAX - ctx->count >= v;

	if (ok)
		ctx->count += v;
	spin_unlock_irqrestore(&ctx->lock, flags);
	return ok;
}

static ssize_t eventfd_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct eventfd_ctx *ctx = file->private_data;
	uint64_t v;
	int err;

	if (buf->len < sizeof(v))
		return -EINVAL;
	while (!(v = eventfd_take(ctx))) {
		if (READ_ONCE(file->flags) & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(&ctx->wq, READ_ONCE(ctx->count));
		if (err)
			return err;
	}
	wake_up(&ctx->wq);
	err = iobuf_copy_out(buf, 0, &v, sizeof(v));
	return err ? err : (ssize_t)sizeof(v);
}

static ssize_t eventfd_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	struct eventfd_ctx *ctx = file->private_data;
	uint64_t v;
	int err;

	if (buf->len < sizeof(v))
		return -EINVAL;
	if (iobuf_copy_in(&v, buf, 0, sizeof(v)))
		return -EFAULT;
	if (v == ~0ULL)
		return -EINVAL;
	while (!eventfd_add(ctx, v)) {
		if (READ_ONCE(file->flags) & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(&ctx->wq, EVENTFD_MAX - READ_ONCE(ctx->count) >= v);
		if (err)
			return err;
	}
	if (v)
		wake_up(&ctx->wq);
	return sizeof(v);
}

static unsigned eventfd_poll(struct file *file, struct poll_table *pt)
{
	struct eventfd_ctx *ctx = file->private_data;
	uint64_t count;
	unsigned mask = 0;

	poll_wait(file, &ctx->wq, pt);
	count = READ_ONCE(ctx->count);
	if (count)
		mask |= POLLIN;
	if (count == ~0ULL)
		mask |= POLLERR;
	if (count < EVENTFD_MAX)
		mask |= POLLOUT;
	return mask;
}

/* As Linux's noop_llseek: nothing moves, the position stays 0. */
static off_t eventfd_llseek(struct file *file, off_t offset, int whence)
{
	return 0;
}

static void eventfd_release(struct file *file)
{
	kfree(file->private_data);
}

static const struct file_operations eventfd_fops = {
	.anon_name = "[eventfd]",
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.llseek = eventfd_llseek,
	.release = eventfd_release,
};

/* eventfd2(2): a counter starting at initval; EFD_SEMAPHORE/NONBLOCK/CLOEXEC. */
long sys_eventfd2(unsigned initval, int flags)
{
	struct eventfd_ctx *ctx;
	struct file *file;
	int fd;

	if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))
		return -EINVAL;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	spin_init(&ctx->lock, "eventfd");
	wait_queue_init(&ctx->wq);
	ctx->count = initval;
	ctx->semaphore = flags & EFD_SEMAPHORE;
	file = file_alloc(&eventfd_fops, ctx, O_RDWR | (flags & EFD_NONBLOCK));
	if (IS_ERR(file)) {
		kfree(ctx);
		return PTR_ERR(file);
	}
	fd = fd_install(current_files(), file, flags & EFD_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		file_put(file);
	return fd;
}

/* eventfd(2): eventfd2 without flags. */
long sys_eventfd(unsigned initval)
{
	return sys_eventfd2(initval, 0);
}
