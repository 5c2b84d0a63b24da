/*
 * timerfd.c — timerfd_create, timerfd_settime and timerfd_gettime: a timer whose
 * expirations a read returns as a count.
 *
 * The deadline is kept on the monotonic clock (CLOCK_REALTIME absolute times are
 * converted when set; BOOTTIME is MONOTONIC here, nothing suspends). Expirations are
 * counted lazily from the clock (timerfd_update) whenever the timer is looked at;
 * a kernel timer (ktimer) at the deadline only counts them and wakes pollers and
 * readers. ctx->lock (interrupts off) protects deadline, interval and ticks; it is
 * taken before the ktimer lock, and ktimer_cancel is never called with it held.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "sys/syscall.h"
#include <asm-generic/poll.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/timerfd.h>

#define NSEC_PER_SEC 1000000000ULL
#define TIMERFD_NS_MAX (1ULL << 62)	/* later than any test of ours will run */

struct timerfd_ctx {
	spinlock_t lock;
	int clockid;
	uint64_t deadline;	/* monotonic ns of the next expiration; 0: disarmed */
	uint64_t interval;	/* ns; 0: one-shot */
	uint64_t ticks;		/* expirations not yet read */
	struct wait_queue wq;
	struct ktimer timer;
};

/* Counts the expirations up to now and moves the deadline past it. ctx->lock held. */
static void timerfd_update(struct timerfd_ctx *ctx, uint64_t now)
{
	uint64_t n;

	if (!ctx->deadline || now < ctx->deadline)
		return;
	if (!ctx->interval) {
		ctx->ticks++;
		ctx->deadline = 0;
		return;
	}
	n = (now - ctx->deadline) / ctx->interval + 1;
	ctx->ticks += n;
	ctx->deadline += n * ctx->interval;
}

/* The kernel timer's function: counts, re-arms for a periodic timer, wakes. */
static void timerfd_fire(struct ktimer *t)
{
	struct timerfd_ctx *ctx = container_of(t, struct timerfd_ctx, timer);
	uint64_t flags = spin_lock_irqsave(&ctx->lock);
	uint64_t next;

	timerfd_update(ctx, clock_monotonic_ns());
	next = ctx->deadline;
	if (next)
		ktimer_arm(&ctx->timer, next);
	spin_unlock_irqrestore(&ctx->lock, flags);
	wake_up(&ctx->wq);
}

/* Takes the expirations counted so far (0 when none). */
static uint64_t timerfd_take(struct timerfd_ctx *ctx)
{
	uint64_t flags = spin_lock_irqsave(&ctx->lock);
	uint64_t ticks;

	timerfd_update(ctx, clock_monotonic_ns());
	ticks = ctx->ticks;
	ctx->ticks = 0;
	spin_unlock_irqrestore(&ctx->lock, flags);
	return ticks;
}

static bool timerfd_expired(struct timerfd_ctx *ctx)
{
	uint64_t flags = spin_lock_irqsave(&ctx->lock);
	bool ret;

	timerfd_update(ctx, clock_monotonic_ns());
	ret = ctx->ticks != 0;
	spin_unlock_irqrestore(&ctx->lock, flags);
	return ret;
}

static ssize_t timerfd_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	struct timerfd_ctx *ctx = file->private_data;
	uint64_t ticks;
	int err;

	if (buf->len < sizeof(ticks))
		return -EINVAL;
	while (!(ticks = timerfd_take(ctx))) {
		if (READ_ONCE(file->flags) & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(&ctx->wq, timerfd_expired(ctx));
		if (err)
			return err;
	}
	err = iobuf_copy_out(buf, 0, &ticks, sizeof(ticks));
	return err ? err : (ssize_t)sizeof(ticks);
}

static unsigned timerfd_poll(struct file *file, struct poll_table *pt)
{
	struct timerfd_ctx *ctx = file->private_data;

	poll_wait(file, &ctx->wq, pt);
	return timerfd_expired(ctx) ? POLLIN : 0;
}

/* As Linux's noop_llseek. */
static off_t timerfd_llseek(struct file *file, off_t offset, int whence)
{
	return 0;
}

static void timerfd_release(struct file *file)
{
	struct timerfd_ctx *ctx = file->private_data;

	ktimer_cancel(&ctx->timer);
	kfree(ctx);
}

static const struct file_operations timerfd_fops = {
	.anon_name = "[timerfd]",
	.read = timerfd_read,
	.poll = timerfd_poll,
	.llseek = timerfd_llseek,
	.release = timerfd_release,
};

/* timerfd_create(2): a disarmed timer on REALTIME, MONOTONIC or BOOTTIME (the
 * _ALARM clocks act as their plain ones). */
long sys_timerfd_create(int clockid, int flags)
{
	struct timerfd_ctx *ctx;
	struct file *file;
	int fd;

	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	if (clockid != CLOCK_MONOTONIC && clockid != CLOCK_REALTIME &&
	    clockid != CLOCK_BOOTTIME && clockid != CLOCK_REALTIME_ALARM &&
	    clockid != CLOCK_BOOTTIME_ALARM)
		return -EINVAL;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	spin_init(&ctx->lock, "timerfd");
	wait_queue_init(&ctx->wq);
	list_init(&ctx->timer.link);
	ctx->timer.fn = timerfd_fire;
	ctx->clockid = clockid;
	file = file_alloc(&timerfd_fops, ctx, O_RDWR | (flags & TFD_NONBLOCK));
	if (IS_ERR(file)) {
		kfree(ctx);
		return PTR_ERR(file);
	}
	fd = fd_install(current_files(), file, flags & TFD_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		file_put(file);
	return fd;
}

/* The timerfd at fd with a reference, ERR_PTR(-EBADF) or ERR_PTR(-EINVAL). */
static struct file *timerfd_get(int fd)
{
	struct file *file = fd_get_file(fd);

	if (!IS_ERR(file) && file->ops != &timerfd_fops) {
		file_put(file);
		return ERR_PTR(-EINVAL);
	}
	return file;
}

static int timespec_ns(const struct __kernel_timespec *ts, uint64_t *ns)
{
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts->tv_sec >= TIMERFD_NS_MAX / NSEC_PER_SEC ? TIMERFD_NS_MAX :
	      ts->tv_sec * NSEC_PER_SEC + ts->tv_nsec;
	return 0;
}

static void ns_timespec(uint64_t ns, struct __kernel_timespec *ts)
{
	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
}

/* The remaining time and interval, after counting expirations. ctx->lock held. */
static void timerfd_current(struct timerfd_ctx *ctx, uint64_t now, struct __kernel_itimerspec *it)
{
	timerfd_update(ctx, now);
	ns_timespec(ctx->deadline > now ? ctx->deadline - now : 0, &it->it_value);
	ns_timespec(ctx->interval, &it->it_interval);
}

/* The monotonic deadline of an it_value given with the settime flags. */
static uint64_t timerfd_deadline(struct timerfd_ctx *ctx, uint64_t value, int flags,
				 uint64_t now)
{
	if (!value)
		return 0;
	if (!(flags & TFD_TIMER_ABSTIME))
		return now + value;
	if (ctx->clockid == CLOCK_REALTIME || ctx->clockid == CLOCK_REALTIME_ALARM) {
		int64_t offset = clock_realtime_offset_ns();

		return (int64_t)value - offset > 0 ? value - offset : 1;
	}
	return value ? value : 1;
}

/* timerfd_settime(2): arms (it_value 0 disarms) and zeroes the count; the old
 * setting goes to uold when given (-EFAULT there leaves the new one in place). */
long sys_timerfd_settime(int fd, int flags, const struct __kernel_itimerspec __user *unew,
			 struct __kernel_itimerspec __user *uold)
{
	struct __kernel_itimerspec new, old;
	struct timerfd_ctx *ctx;
	uint64_t value, interval, now, lflags;
	struct file *file;

	if (copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) ||
	    timespec_ns(&new.it_value, &value) || timespec_ns(&new.it_interval, &interval))
		return -EINVAL;
	file = timerfd_get(fd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ctx = file->private_data;
	ktimer_cancel(&ctx->timer);
	lflags = spin_lock_irqsave(&ctx->lock);
	now = clock_monotonic_ns();
	timerfd_current(ctx, now, &old);
	ctx->ticks = 0;
	ctx->interval = value ? interval : 0;
	ctx->deadline = timerfd_deadline(ctx, value, flags, now);
	if (ctx->deadline)
		ktimer_arm(&ctx->timer, ctx->deadline);
	spin_unlock_irqrestore(&ctx->lock, lflags);
	file_put(file);
	if (uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* timerfd_gettime(2): the time to the next expiration and the interval. */
long sys_timerfd_gettime(int fd, struct __kernel_itimerspec __user *ucur)
{
	struct __kernel_itimerspec cur;
	struct timerfd_ctx *ctx;
	struct file *file = timerfd_get(fd);
	uint64_t flags;

	if (IS_ERR(file))
		return PTR_ERR(file);
	ctx = file->private_data;
	flags = spin_lock_irqsave(&ctx->lock);
	timerfd_current(ctx, clock_monotonic_ns(), &cur);
	spin_unlock_irqrestore(&ctx->lock, flags);
	file_put(file);
	return copy_to_user(ucur, &cur, sizeof(cur)) ? -EFAULT : 0;
}
