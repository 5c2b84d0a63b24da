/*
 * epoll.c — epoll_create/epoll_create1, epoll_ctl, epoll_wait, epoll_pwait and
 * epoll_pwait2.
 *
 * An epoll set (struct eventpoll) holds one item per watched (file, fd). When an item
 * is added it polls its file with a poll table whose queue function hangs a callback
 * waiter (struct ep_hook) on each wait queue the file names; a wake_up on one of them
 * puts the item on the set's ready list (ep_wake) and wakes the set's sleepers. So
 * epoll_wait only polls again the items on the ready list, never every item.
 * A level-triggered item that was reported goes back on the ready list; an
 * edge-triggered one waits for the next wake-up; a one-shot one is disabled.
 *
 * Locks, outermost first:
 *   epoll_mutex (global, sleeping): adding and removing items (ep->items and the
 *     files' epitems lists), the loop check of nested sets, the teardown of a set or
 *     of a watched file. ep->items may be read with it or with ep->mutex held.
 *   ep->mutex (sleeping): one set's items and their events; held while the ready
 *     items are polled (epoll_wait, polling the set itself), so an item's file stays
 *     alive: removing an item needs it. A nested set's mutex nests inside its
 *     parent's (never a cycle: adding one is ELOOP).
 *   a watched wait queue's lock -> ep->lock (spinlock, interrupts off): the ready
 *     list, each item's rdlink and event.events (written under ep->mutex too).
 *   ep->wq / ep->poll_wq locks: taken by ep_wake after dropping ep->lock.
 * Items hold no reference on their file, as Linux: the file's last file_put removes
 * them (epoll_file_release) before the file goes.
 */
#include "fs/fs.h"
#include "mm/mm.h"
#include "sys/syscall.h"
#include <linux/eventpoll.h>
#include <linux/time_types.h>

#define EP_PRIVATE_BITS (EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE)
#define EP_EXCLUSIVE_OK_BITS (EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | \
			      EPOLLET | EPOLLEXCLUSIVE)
#define EP_MAX_NESTS 4
#define EP_MAX_EVENTS (0x7fffffff / (int)sizeof(struct epoll_event))

struct eventpoll {
	struct fs_mutex mutex;
	spinlock_t lock;
	struct list_head items;		/* struct epitem.link */
	struct list_head rdlist;	/* struct epitem.rdlink: maybe ready */
	struct wait_queue wq;		/* epoll_wait sleepers */
	struct wait_queue poll_wq;	/* pollers of the set's own file */
	struct file *file;		/* the set's own file, not counted */
};

struct epitem;
/* One callback waiter on one of the watched file's wait queues. */
struct ep_hook {
	struct waiter w;
	struct epitem *item;
	struct ep_hook *next;
};

struct epitem {
	struct eventpoll *ep;
	struct file *file;		/* not counted (see above) */
	int fd;
	struct epoll_event event;
	struct list_head link;		/* ep->items */
	struct list_head flink;		/* file->epitems */
	struct list_head rdlink;	/* ep->rdlist or a harvest list; empty otherwise */
	struct ep_hook *hooks;		/* set at insertion, freed at removal */
	bool hook_failed;		/* a hook could not be allocated */
};

struct ep_pt {
	struct poll_table pt;
	struct epitem *item;
};

static struct fs_mutex epoll_mutex = {
	SPINLOCK_INIT("epoll"), false, WAIT_QUEUE_INIT(epoll_mutex.wq)
};
static const struct file_operations ep_fops;

static bool is_epoll(struct file *file)
{
	return file->ops == &ep_fops;
}

/* Wake-up callback: queues the item as maybe ready and wakes the set's sleepers.
 * Runs under the watched queue's lock with interrupts off. */
static void ep_wake(struct waiter *w)
{
	struct epitem *it = container_of(w, struct ep_hook, w)->item;
	struct eventpoll *ep = it->ep;
	uint64_t flags = spin_lock_irqsave(&ep->lock);
	bool queued = false;

	if ((it->event.events & ~EP_PRIVATE_BITS) && list_empty(&it->rdlink)) {
		list_add_tail(&it->rdlink, &ep->rdlist);
		queued = true;
	}
	spin_unlock_irqrestore(&ep->lock, flags);
	if (queued) {
		wake_up(&ep->wq);
		wake_up(&ep->poll_wq);
	}
}

static void ep_queue(struct file *file, struct wait_queue *wq, struct poll_table *pt)
{
	struct epitem *it = container_of(pt, struct ep_pt, pt)->item;
	struct ep_hook *h;

	if (it->hook_failed)
		return;
	h = kzalloc(sizeof(*h));
	if (!h) {
		it->hook_failed = true;
		return;
	}
	h->item = it;
	h->next = it->hooks;
	it->hooks = h;
	wait_queue_add_callback(wq, &h->w, ep_wake);
}

/* The item's ready events (0 when none it asked for); pt hooks it when not NULL. */
static unsigned ep_item_poll(struct epitem *it, struct poll_table *pt)
{
	return it->file->ops->poll(it->file, pt) & it->event.events;
}

/* Puts the item on the ready list (when not there) and wakes the sleepers. */
static void ep_make_ready(struct eventpoll *ep, struct epitem *it)
{
	uint64_t flags = spin_lock_irqsave(&ep->lock);
	bool queued = list_empty(&it->rdlink);

	if (queued)
		list_add_tail(&it->rdlink, &ep->rdlist);
	spin_unlock_irqrestore(&ep->lock, flags);
	if (queued) {
		wake_up(&ep->wq);
		wake_up(&ep->poll_wq);
	}
}

/* Unhooks and frees an item. Caller holds epoll_mutex and ep->mutex. */
static void ep_remove(struct eventpoll *ep, struct epitem *it)
{
	struct ep_hook *h, *next;
	uint64_t flags;

	for (h = it->hooks; h; h = next) {
		next = h->next;
		wait_queue_remove(&h->w);
		kfree(h);
	}
	flags = spin_lock_irqsave(&ep->lock);
	list_del(&it->rdlink);
	spin_unlock_irqrestore(&ep->lock, flags);
	list_del(&it->link);
	list_del(&it->flink);
	kfree(it);
}

/* Adds fd's file to the set. Caller holds epoll_mutex and ep->mutex. */
static int ep_insert(struct eventpoll *ep, const struct epoll_event *ev, struct file *file,
		     int fd)
{
	struct epitem *it = kzalloc(sizeof(*it));
	struct ep_pt ept = { { ep_queue }, it };
	unsigned mask;

	if (!it)
		return -ENOMEM;
	it->ep = ep;
	it->file = file;
	it->fd = fd;
	it->event = *ev;
	list_init(&it->rdlink);
	list_add_tail(&it->link, &ep->items);
	list_add_tail(&it->flink, &file->epitems);
	mask = ep_item_poll(it, &ept.pt);
	if (it->hook_failed) {
		ep_remove(ep, it);
		return -ENOMEM;
	}
	if (mask)
		ep_make_ready(ep, it);
	return 0;
}

/* Changes an item's events; caller holds ep->mutex. */
static int ep_modify(struct eventpoll *ep, struct epitem *it, const struct epoll_event *ev)
{
	uint64_t flags = spin_lock_irqsave(&ep->lock);

	it->event = *ev;
	spin_unlock_irqrestore(&ep->lock, flags);
	if (ep_item_poll(it, NULL))
		ep_make_ready(ep, it);
	return 0;
}

static struct epitem *ep_find(struct eventpoll *ep, struct file *file, int fd)
{
	struct epitem *it;

	list_for_each_entry(it, &ep->items, link)
		if (it->file == file && it->fd == fd)
			return it;
	return NULL;
}

/* How many levels of sets lie below `from` (0: it watches none), or a number above
 * EP_MAX_NESTS when `to` is among them or they go too deep. Caller holds
 * epoll_mutex. */
static int ep_depth_below(struct eventpoll *from, struct eventpoll *to, int depth)
{
	struct epitem *it;
	int max = 0, d;

	if (depth > EP_MAX_NESTS)
		return EP_MAX_NESTS + 1;
	list_for_each_entry(it, &from->items, link) {
		struct eventpoll *child;

		if (!is_epoll(it->file))
			continue;
		child = it->file->private_data;
		d = child == to ? EP_MAX_NESTS + 1 : 1 + ep_depth_below(child, to, depth + 1);
		max = MAX(max, d);
	}
	return max;
}

/* How many levels of sets watch ep (0: none). Caller holds epoll_mutex. */
static int ep_depth_above(struct eventpoll *ep, int depth)
{
	struct epitem *it;
	int max = 0;

	if (depth > EP_MAX_NESTS)
		return EP_MAX_NESTS + 1;
	list_for_each_entry(it, &ep->file->epitems, flink)
		max = MAX(max, 1 + ep_depth_above(it->ep, depth + 1));
	return max;
}

/* Whether adding the set `sub` to ep would make a loop or a chain of sets longer
 * than Linux allows (ELOOP). Caller holds epoll_mutex. */
static bool ep_loops(struct eventpoll *ep, struct eventpoll *sub)
{
	int below = ep_depth_below(sub, ep, 0);

	return below > EP_MAX_NESTS || below + 1 + ep_depth_above(ep, 0) > EP_MAX_NESTS;
}

/* Moves every entry of the non-empty list from to the empty list to. */
static void list_move_all(struct list_head *to, struct list_head *from)
{
	to->next = from->next;
	to->prev = from->prev;
	to->next->prev = to;
	to->prev->next = to;
	list_init(from);
}

/*
 * Moves the ready list aside and polls each item on it (pt NULL) while holding
 * ep->mutex. report(it, mask, n, ctx) gets each ready one and returns 1 when it
 * reported it, <0 on an error; report NULL only peeks (stops at the first ready
 * item, changing nothing). Reported level-triggered items go back on the list,
 * one-shot ones are disabled, ones found not ready leave it, unpolled ones stay.
 * Returns the count, or the error when nothing was reported.
 */
static int ep_scan(struct eventpoll *ep, int max,
		   int (*report)(struct epitem *it, unsigned mask, int n, void *ctx), void *ctx)
{
	LIST_HEAD(tx);
	struct epitem *it;
	uint64_t flags;
	unsigned mask;
	int n = 0, r;

	fs_mutex_lock(&ep->mutex);
	flags = spin_lock_irqsave(&ep->lock);
	if (!list_empty(&ep->rdlist))
		list_move_all(&tx, &ep->rdlist);
	spin_unlock_irqrestore(&ep->lock, flags);
	while (n < max && !list_empty(&tx)) {
		it = list_first_entry(&tx, struct epitem, rdlink);
		flags = spin_lock_irqsave(&ep->lock);
		list_del(&it->rdlink);
		spin_unlock_irqrestore(&ep->lock, flags);
		mask = ep_item_poll(it, NULL);
		if (!mask)
			continue;
		r = report ? report(it, mask, n, ctx) : 0;
		if (r <= 0) {
			flags = spin_lock_irqsave(&ep->lock);
			list_add(&it->rdlink, &tx);
			spin_unlock_irqrestore(&ep->lock, flags);
			n = n ? n : report ? r : 1;
			break;
		}
		n++;
		flags = spin_lock_irqsave(&ep->lock);
		if (it->event.events & EPOLLONESHOT)
			it->event.events &= EP_PRIVATE_BITS;
		else if (!(it->event.events & EPOLLET) && list_empty(&it->rdlink))
			list_add_tail(&it->rdlink, &ep->rdlist);
		spin_unlock_irqrestore(&ep->lock, flags);
	}
	flags = spin_lock_irqsave(&ep->lock);
	while (!list_empty(&tx)) {
		it = list_entry(tx.prev, struct epitem, rdlink);
		list_del(&it->rdlink);
		list_add(&it->rdlink, &ep->rdlist);
	}
	spin_unlock_irqrestore(&ep->lock, flags);
	fs_mutex_unlock(&ep->mutex);
	return n;
}

/* The set's own file is readable when one of its items is ready. */
static unsigned ep_file_poll(struct file *file, struct poll_table *pt)
{
	struct eventpoll *ep = file->private_data;

	poll_wait(file, &ep->poll_wq, pt);
	return ep_scan(ep, 1, NULL, NULL) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* The last reference to the set: removes every item and frees it. */
static void ep_file_release(struct file *file)
{
	struct eventpoll *ep = file->private_data;
	struct epitem *it, *tmp;

	fs_mutex_lock(&epoll_mutex);
	fs_mutex_lock(&ep->mutex);
	list_for_each_entry_safe(it, tmp, &ep->items, link)
		ep_remove(ep, it);
	fs_mutex_unlock(&ep->mutex);
	fs_mutex_unlock(&epoll_mutex);
	kfree(ep);
}

static const struct file_operations ep_fops = {
	.anon_name = "[eventpoll]",
	.release = ep_file_release,
	.poll = ep_file_poll,
};

/* Removes file from every set watching it (see vfs.h); takes epoll_mutex, then each
 * set's mutex. */
void epoll_file_release(struct file *file)
{
	struct epitem *it, *tmp;

	fs_mutex_lock(&epoll_mutex);
	list_for_each_entry_safe(it, tmp, &file->epitems, flink) {
		struct eventpoll *ep = it->ep;

		fs_mutex_lock(&ep->mutex);
		ep_remove(ep, it);
		fs_mutex_unlock(&ep->mutex);
	}
	fs_mutex_unlock(&epoll_mutex);
}

/* epoll_create1(2): a new empty set; only EPOLL_CLOEXEC is a valid flag. */
long sys_epoll_create1(int flags)
{
	struct eventpoll *ep;
	struct file *file;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kzalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	fs_mutex_init(&ep->mutex, "eventpoll");
	spin_init(&ep->lock, "eventpoll");
	list_init(&ep->items);
	list_init(&ep->rdlist);
	wait_queue_init(&ep->wq);
	wait_queue_init(&ep->poll_wq);
	file = file_alloc(&ep_fops, ep, O_RDWR);
	if (IS_ERR(file)) {
		kfree(ep);
		return PTR_ERR(file);
	}
	ep->file = file;
	fd = fd_install(current_files(), file, flags & EPOLL_CLOEXEC ? O_CLOEXEC : 0);
	if (fd < 0)
		file_put(file);
	return fd;
}

/* epoll_create(2): size is only checked to be positive, as Linux. */
long sys_epoll_create(int size)
{
	return size <= 0 ? -EINVAL : sys_epoll_create1(0);
}

/* The checks Linux makes before taking its locks; 0 or -errno. */
static int ep_ctl_check(struct file *epf, struct file *tf, int op, const struct epoll_event *ev)
{
	if (!tf->ops->poll)
		return -EPERM;
	if (epf == tf || !is_epoll(epf))
		return -EINVAL;
	if (op != EPOLL_CTL_DEL && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD && (is_epoll(tf) || (ev->events & ~EP_EXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	return 0;
}

/* One EPOLL_CTL_* operation; caller holds epoll_mutex and ep->mutex. */
static int ep_ctl_locked(struct eventpoll *ep, int op, struct file *tf, int fd,
			 struct epoll_event *ev)
{
	struct epitem *it = ep_find(ep, tf, fd);

	switch (op) {
	case EPOLL_CTL_ADD:
		if (is_epoll(tf) && ep_loops(ep, tf->private_data))
			return -ELOOP;
		if (it)
			return -EEXIST;
		ev->events |= EPOLLERR | EPOLLHUP;
		return ep_insert(ep, ev, tf, fd);
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		ep_remove(ep, it);
		return 0;
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		if (it->event.events & EPOLLEXCLUSIVE)
			return -EINVAL;
		ev->events |= EPOLLERR | EPOLLHUP;
		return ep_modify(ep, it, ev);
	}
	return -EINVAL;
}

/* epoll_ctl(2): ADD/MOD/DEL with Linux's checks in Linux's order (see above). */
long sys_epoll_ctl(int epfd, int op, int fd, struct epoll_event __user *uev)
{
	struct epoll_event ev = { 0 };
	struct file *epf, *tf;
	struct eventpoll *ep;
	int err;

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uev, sizeof(ev)))
		return -EFAULT;
	epf = fd_get_file(epfd);
	if (IS_ERR(epf))
		return PTR_ERR(epf);
	tf = fd_get_file(fd);
	err = PTR_ERR(tf);
	if (IS_ERR(tf))
		goto out_ep;
	err = ep_ctl_check(epf, tf, op, &ev);
	if (err)
		goto out;
	ep = epf->private_data;
	fs_mutex_lock(&epoll_mutex);
	fs_mutex_lock(&ep->mutex);
	err = ep_ctl_locked(ep, op, tf, fd, &ev);
	fs_mutex_unlock(&ep->mutex);
	fs_mutex_unlock(&epoll_mutex);
out:
	file_put(tf);
out_ep:
	file_put(epf);
	return err;
}

static int ep_report_user(struct epitem *it, unsigned mask, int n, void *ctx)
{
	struct epoll_event __user *uev = ctx;
	struct epoll_event ev = { .events = mask, .data = it->event.data };

	return copy_to_user(&uev[n], &ev, sizeof(ev)) ? -EFAULT : 1;
}

static bool ep_has_ready(struct eventpoll *ep)
{
	return READ_ONCE(ep->rdlist.next) != &ep->rdlist;
}

/* epoll_wait's core: events ready now, or after sleeping until one is, a signal
 * (-EINTR) or the monotonic deadline (0: forever, 1: do not wait). */
static long ep_wait(int epfd, struct epoll_event __user *uev, int max, uint64_t deadline)
{
	struct file *file;
	long ret;

	if (max <= 0 || max > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(uev, (size_t)max * sizeof(*uev)))
		return -EFAULT;
	file = fd_get_file(epfd);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = -EINVAL;
	if (!is_epoll(file))
		goto out;
	for (;;) {
		struct eventpoll *ep = file->private_data;

		ret = ep_scan(ep, max, ep_report_user, uev);
		if (ret || deadline == 1)
			break;
		ret = wait_event_interruptible_timeout(&ep->wq, ep_has_ready(ep), deadline);
		if (ret == -ETIMEDOUT) {
			ret = ep_scan(ep, max, ep_report_user, uev);
			break;
		}
		if (ret) {
			ret = -EINTR;
			break;
		}
	}
out:
	file_put(file);
	return ret;
}

/* The monotonic deadline of a timeout in ns as ep_wait takes it. */
static uint64_t ep_deadline(int64_t ns)
{
	if (ns < 0)
		return 0;
	if (ns == 0)
		return 1;
	return clock_monotonic_ns() + ns;
}

/* epoll_wait(2): timeout in ms, negative for none; never restarted (EINTR). */
long sys_epoll_wait(int epfd, struct epoll_event __user *events, int maxevents, int timeout)
{
	return ep_wait(epfd, events, maxevents,
		       ep_deadline(timeout < 0 ? -1 : (int64_t)timeout * 1000000));
}

/* epoll_pwait/epoll_pwait2: the temporary signal mask around the wait (kept for the
 * handler when interrupted, as Linux). */
static long ep_pwait(int epfd, struct epoll_event __user *events, int maxevents,
		     uint64_t deadline, const uint64_t __user *umask, size_t size)
{
	uint64_t mask;
	long ret;

	if (umask) {
		if (size != sizeof(mask))
			return -EINVAL;
		if (copy_from_user(&mask, umask, sizeof(mask)))
			return -EFAULT;
		signal_mask_temporarily(mask);
	}
	ret = ep_wait(epfd, events, maxevents, deadline);
	if (umask && ret != -EINTR)
		signal_mask_restore();
	return ret;
}

/* epoll_pwait(2): epoll_wait with a temporary signal mask. */
long sys_epoll_pwait(int epfd, struct epoll_event __user *events, int maxevents, int timeout,
		     const uint64_t __user *sigmask, size_t sigsetsize)
{
	return ep_pwait(epfd, events, maxevents,
			ep_deadline(timeout < 0 ? -1 : (int64_t)timeout * 1000000),
			sigmask, sigsetsize);
}

/* epoll_pwait2(2): epoll_pwait with a timespec timeout (NULL: none). */
long sys_epoll_pwait2(int epfd, struct epoll_event __user *events, int maxevents,
		      const struct __kernel_timespec __user *timeout,
		      const uint64_t __user *sigmask, size_t sigsetsize)
{
	struct __kernel_timespec ts;
	int64_t ns = -1;

	if (timeout) {
		if (copy_from_user(&ts, timeout, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		if (ts.tv_sec < 0x7fffffffLL * 1000)
			ns = ts.tv_sec * 1000000000LL + ts.tv_nsec;
	}
	return ep_pwait(epfd, events, maxevents, ep_deadline(ns), sigmask, sigsetsize);
}
