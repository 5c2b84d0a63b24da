/*
 * poll.c — poll, ppoll, select and pselect6 over one poll table that queues the task
 * on the wait queues of every polled file at once (poll_wait), then sleeps until one
 * of them wakes it, a signal arrives or the deadline passes.
 *
 * The set belongs to the polling task alone; each entry holds a reference on its
 * file so that the wait queue outlives the wait.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "sys/syscall.h"
#include <asm-generic/poll.h>
#include <linux/time_types.h>

#define POLL_CHUNK 32
#define POLLIN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define POLLEX_SET POLLPRI
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

struct poll_entry {
	struct waiter w;
	struct file *file;	/* counted */
};
struct poll_chunk {
	struct poll_entry entries[POLL_CHUNK];
	int used;
	struct poll_chunk *next;
};
struct poll_set {
	struct poll_table base;	/* queue = poll_set_queue */
	struct poll_chunk first;
	struct poll_chunk *last;
	bool queueing;		/* false once something is ready: stop queueing */
};

static struct poll_entry *poll_entry_alloc(struct poll_set *pt)
{
	struct poll_chunk *c = pt->last;

	if (c->used == POLL_CHUNK) {
		c = kzalloc(sizeof(*c));
		if (!c)
			return NULL;
		pt->last->next = c;
		pt->last = c;
	}
	return &c->entries[c->used++];
}

/* Hands wq to the table's queue function (see vfs.h). */
void poll_wait(struct file *file, struct wait_queue *wq, struct poll_table *pt)
{
	if (pt && pt->queue && wq)
		pt->queue(file, wq, pt);
}

/* Queues the polling task on wq and pins file until the poll ends. */
static void poll_set_queue(struct file *file, struct wait_queue *wq, struct poll_table *base)
{
	struct poll_set *pt = container_of(base, struct poll_set, base);
	struct poll_entry *e;

	if (!pt->queueing)
		return;
	e = poll_entry_alloc(pt);
	if (!e)
		return;
	file_get(file);
	e->file = file;
	prepare_to_wait(wq, &e->w, true);
}

static void poll_table_init(struct poll_set *pt)
{
	memset(pt, 0, sizeof(*pt));
	pt->base.queue = poll_set_queue;
	pt->last = &pt->first;
	pt->queueing = true;
}

/* Leaves every wait queue and frees the extra chunks. */
static void poll_table_release(struct poll_set *pt)
{
	struct poll_chunk *c = &pt->first, *next;
	int i;

	while (c) {
		for (i = 0; i < c->used; i++) {
			finish_wait(&c->entries[i].w);
			file_put(c->entries[i].file);
		}
		next = c->next;
		if (c != &pt->first)
			kfree(c);
		c = next;
	}
	poll_table_init(pt);
}

/* The ready mask of fd (POLLNVAL when it is not open). */
static unsigned poll_fd(int fd, struct poll_set *pt)
{
	struct file *file = fd_get_file(fd);
	unsigned mask;

	if (IS_ERR(file))
		return POLLNVAL;
	mask = file->ops->poll ? file->ops->poll(file, &pt->base) : DEFAULT_POLLMASK;
	file_put(file);
	return mask;
}

/* Sleeps after one pass found nothing; returns 0 to poll again, -ETIMEDOUT, or
 * -EINTR when a signal is pending. */
static int poll_sleep(struct poll_set *pt, uint64_t deadline)
{
	int err = 0;

	if (signal_pending_current())
		err = -EINTR;
	else if (deadline && clock_monotonic_ns() >= deadline)
		err = -ETIMEDOUT;
	else
		schedule_until(deadline);
	poll_table_release(pt);
	return err;
}

/* The monotonic deadline of a timeout in ns: 0 for none (wait forever), 1 for
 * "do not wait". */
static uint64_t deadline_after(int64_t ns)
{
	if (ns < 0)
		return 0;
	if (ns == 0)
		return 1;
	return clock_monotonic_ns() + ns;
}

/* Polls fds[n] until something is ready or the deadline; returns the count of ready
 * entries or -EINTR. */
static long do_poll(struct pollfd *fds, unsigned n, uint64_t deadline)
{
	struct poll_set pt;
	long count;
	unsigned i;
	int err;

	poll_table_init(&pt);
	for (;;) {
		count = 0;
		for (i = 0; i < n; i++) {
			fds[i].revents = 0;
			if (fds[i].fd < 0)
				continue;
			fds[i].revents = poll_fd(fds[i].fd, &pt) &
					 (fds[i].events | POLLERR | POLLHUP | POLLNVAL);
			if (fds[i].revents) {
				count++;
				pt.queueing = false;
			}
		}
		if (count || deadline == 1) {
			poll_table_release(&pt);
			return count;
		}
		err = poll_sleep(&pt, deadline);
		if (err == -ETIMEDOUT)
			return 0;
		if (err)
			return err;
	}
}

static long poll_common(struct pollfd __user *ufds, unsigned nfds, uint64_t deadline,
			int eintr)
{
	struct pollfd *fds;
	long ret;

	if (nfds > NOFILE_MAX)
		return -EINVAL;
	fds = kmalloc(MAX(nfds, 1u) * sizeof(*fds));
	if (!fds)
		return -ENOMEM;
	if (copy_from_user(fds, ufds, nfds * sizeof(*fds))) {
		kfree(fds);
		return -EFAULT;
	}
	ret = do_poll(fds, nfds, deadline);
	if (ret == -EINTR)
		ret = eintr;
	else if (ret >= 0) {
		unsigned i;

		for (i = 0; i < nfds && ret >= 0; i++)
			if (put_user(fds[i].revents, &ufds[i].revents))
				ret = -EFAULT;
	}
	kfree(fds);
	return ret;
}

long sys_poll(struct pollfd __user *fds, unsigned nfds, int timeout_ms)
{
	return poll_common(fds, nfds, deadline_after(timeout_ms < 0 ? -1 :
						     (int64_t)timeout_ms * 1000000), -EINTR);
}

static int timespec_to_ns(const struct __kernel_timespec __user *uts, int64_t *ns)
{
	struct __kernel_timespec ts;

	*ns = -1;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	return 0;
}

/* Puts the user's signal mask (if any) in place for the wait (see
 * signal_mask_temporarily); -EINVAL for a size other than a sigset's, -EFAULT. */
static int poll_set_sigmask(const uint64_t __user *umask, size_t size)
{
	uint64_t mask;

	if (!umask)
		return 0;
	if (size != sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	signal_mask_temporarily(mask);
	return 0;
}

/* After the wait: an interrupted call keeps the temporary mask for the handler's
 * frame; any other result brings the old mask back at once, as Linux. */
static long poll_end_sigmask(const void __user *umask, long ret)
{
	if (umask && ret != -ERESTARTNOHAND)
		signal_mask_restore();
	return ret;
}

long sys_ppoll(struct pollfd __user *fds, unsigned nfds,
	       const struct __kernel_timespec __user *tmo, const void __user *sigmask,
	       size_t sigsetsize)
{
	int64_t ns;
	int err = timespec_to_ns(tmo, &ns);

	if (!err)
		err = poll_set_sigmask(sigmask, sigsetsize);
	if (err)
		return err;
	return poll_end_sigmask(sigmask, poll_common(fds, nfds, deadline_after(ns),
						     -ERESTARTNOHAND));
}

struct select_sets {
	unsigned long in[NOFILE_MAX / 64], out[NOFILE_MAX / 64], ex[NOFILE_MAX / 64];
	unsigned long rin[NOFILE_MAX / 64], rout[NOFILE_MAX / 64], rex[NOFILE_MAX / 64];
};

static bool bit_test(const unsigned long *set, int fd)
{
	return set[fd / 64] & (1UL << (fd % 64));
}

/* One pass over the select sets; returns the count of ready bits or -EBADF. */
static long select_pass(struct select_sets *s, int nfds, struct poll_set *pt)
{
	long count = 0;
	int fd;

	memset(s->rin, 0, sizeof(s->rin) * 3);
	for (fd = 0; fd < nfds; fd++) {
		bool in = bit_test(s->in, fd), out = bit_test(s->out, fd), ex = bit_test(s->ex, fd);
		unsigned mask;

		if (!in && !out && !ex)
			continue;
		mask = poll_fd(fd, pt);
		if (mask & POLLNVAL)
			return -EBADF;
		if (in && (mask & POLLIN_SET)) {
			s->rin[fd / 64] |= 1UL << (fd % 64);
			count++;
		}
		if (out && (mask & POLLOUT_SET)) {
			s->rout[fd / 64] |= 1UL << (fd % 64);
			count++;
		}
		if (ex && (mask & POLLEX_SET)) {
			s->rex[fd / 64] |= 1UL << (fd % 64);
			count++;
		}
		if (count)
			pt->queueing = false;
	}
	return count;
}

static long do_select(struct select_sets *s, int nfds, uint64_t deadline)
{
	struct poll_set pt;
	long count;
	int err;

	poll_table_init(&pt);
	for (;;) {
		count = select_pass(s, nfds, &pt);
		if (count || deadline == 1) {
			poll_table_release(&pt);
			return count;
		}
		err = poll_sleep(&pt, deadline);
		if (err == -ETIMEDOUT)
			return 0;
		if (err)
			return -ERESTARTNOHAND;
	}
}

static int select_copy_in(unsigned long *set, const unsigned long __user *uset, size_t bytes)
{
	memset(set, 0, NOFILE_MAX / 8);
	return uset ? copy_from_user(set, uset, bytes) : 0;
}

static int select_copy_out(unsigned long __user *uset, const unsigned long *set, size_t bytes)
{
	return uset ? copy_to_user(uset, set, bytes) : 0;
}

static long select_common(int nfds, unsigned long __user *uin, unsigned long __user *uout,
			  unsigned long __user *uex, uint64_t deadline)
{
	struct select_sets *s;
	size_t bytes;
	long ret;

	if (nfds < 0)
		return -EINVAL;
	nfds = MIN(nfds, fd_table_max_fds(current_files()));
	bytes = DIV_ROUND_UP(nfds, 64) * 8;
	s = kmalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	ret = -EFAULT;
	if (select_copy_in(s->in, uin, bytes) || select_copy_in(s->out, uout, bytes) ||
	    select_copy_in(s->ex, uex, bytes))
		goto out;
	ret = do_select(s, nfds, deadline);
	if (ret >= 0 && (select_copy_out(uin, s->rin, bytes) ||
			 select_copy_out(uout, s->rout, bytes) ||
			 select_copy_out(uex, s->rex, bytes)))
		ret = -EFAULT;
out:
	kfree(s);
	return ret;
}

/* The time left until deadline (0 once passed), for select's timeout write-back. */
static int64_t time_left(uint64_t deadline)
{
	uint64_t now = clock_monotonic_ns();

	return deadline > 1 && deadline > now ? (int64_t)(deadline - now) : 0;
}

long sys_select(int nfds, unsigned long __user *in, unsigned long __user *out,
		unsigned long __user *ex, struct __kernel_old_timeval __user *utv)
{
	struct __kernel_old_timeval tv;
	uint64_t deadline;
	int64_t ns = -1;
	long ret;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)))
			return -EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -EINVAL;
		ns = tv.tv_sec * 1000000000LL + (tv.tv_usec % 1000000) * 1000 +
		     tv.tv_usec / 1000000 * 1000000000LL;
	}
	deadline = deadline_after(ns);
	ret = select_common(nfds, in, out, ex, deadline);
	if (utv && ns > 0) {
		ns = time_left(deadline);
		tv.tv_sec = ns / 1000000000;
		tv.tv_usec = ns % 1000000000 / 1000;
		if (copy_to_user(utv, &tv, sizeof(tv)) && ret >= 0)
			ret = -EFAULT;
	}
	return ret;
}

long sys_pselect6(int nfds, unsigned long __user *in, unsigned long __user *out,
		  unsigned long __user *ex, struct __kernel_timespec __user *tmo,
		  const void __user *sig)
{
	struct { const uint64_t __user *mask; size_t size; } pack = { NULL, 0 };
	struct __kernel_timespec ts;
	uint64_t deadline;
	int64_t ns;
	int err;
	long ret;

	if (sig && copy_from_user(&pack, sig, sizeof(pack)))
		return -EFAULT;
	err = timespec_to_ns(tmo, &ns);
	if (!err)
		err = poll_set_sigmask(pack.mask, pack.size);
	if (err)
		return err;
	deadline = deadline_after(ns);
	ret = poll_end_sigmask(pack.mask, select_common(nfds, in, out, ex, deadline));
	if (tmo && ns > 0) {
		ns = time_left(deadline);
		ts.tv_sec = ns / 1000000000;
		ts.tv_nsec = ns % 1000000000;
		if (copy_to_user(tmo, &ts, sizeof(ts)) && ret >= 0)
			ret = -EFAULT;
	}
	return ret;
}
