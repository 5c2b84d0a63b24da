/*
 * futex.c — futex(2): FUTEX_WAIT/WAKE and their _BITSET forms, private or not, with
 * timeouts. A futex is keyed by the caller's address space and the user address.
 */
#include "proc/task.h"
#include "mm/mm.h"
#include <linux/futex.h>
#include <linux/time_types.h>

/* One sleeping FUTEX_WAIT. Lives on the waiter's kernel stack. */
struct futex_waiter {
	struct vm_space *vm;
	uint64_t uaddr;
	uint32_t bitset;
	struct task *task;
	bool woken;			/* [futex_lock] */
	struct list_head link;		/* [futex_lock] in futex_waiters */
};

/* futex_lock protects futex_waiters and each waiter's woken flag. */
static spinlock_t futex_lock = SPINLOCK_INIT("futex");
static LIST_HEAD(futex_waiters);

/* Wakes up to count waiters on uaddr of the current address space whose bitset
 * meets bitset. Returns how many were woken. */
int futex_wake_addr(uint64_t uaddr, int count, uint32_t bitset)
{
	struct vm_space *vm = current->vm;
	struct futex_waiter *w, *tmp;
	uint64_t f = spin_lock_irqsave(&futex_lock);
	int woken = 0;

	list_for_each_entry_safe(w, tmp, &futex_waiters, link) {
		if (woken >= count)
			break;
		if (w->vm != vm || w->uaddr != uaddr || !(w->bitset & bitset))
			continue;
		list_del(&w->link);
		w->woken = true;
		task_wake(w->task);
		woken++;
	}
	spin_unlock_irqrestore(&futex_lock, f);
	return woken;
}

/* Sleeps while *uaddr == val, until woken, the deadline (monotonic ns, 0 = none) or
 * a signal. Returns 0, -EAGAIN, -EFAULT, -ETIMEDOUT, -EINTR or -ERESTARTSYS. */
static int futex_wait(uint64_t uaddr, uint32_t val, uint32_t bitset, uint64_t deadline)
{
	struct futex_waiter w = { current->vm, uaddr, bitset, current, false, LIST_HEAD_INIT(w.link) };
	uint32_t cur;
	uint64_t f = spin_lock_irqsave(&futex_lock);
	int ret = 0;

	if (get_user(cur, (uint32_t __user *)uaddr))
		ret = -EFAULT;
	else if (cur != val)
		ret = -EAGAIN;
	if (ret) {
		spin_unlock_irqrestore(&futex_lock, f);
		return ret;
	}
	list_add_tail(&w.link, &futex_waiters);
	for (;;) {
		WRITE_ONCE(current->state, TASK_INTERRUPTIBLE);
		spin_unlock_irqrestore(&futex_lock, f);
		if (signal_pending_current())
			ret = deadline ? -EINTR : -ERESTARTSYS;
		else if (deadline && clock_monotonic_ns() >= deadline)
			ret = -ETIMEDOUT;
		else
			schedule_until(deadline);
		task_wake(current);
		f = spin_lock_irqsave(&futex_lock);
		if (w.woken) {
			ret = 0;
			break;
		}
		if (ret)
			break;
	}
	list_del(&w.link);
	spin_unlock_irqrestore(&futex_lock, f);
	return ret;
}

/* The monotonic deadline of a futex timeout: relative for FUTEX_WAIT, absolute
 * (monotonic, or realtime with FUTEX_CLOCK_REALTIME) for FUTEX_WAIT_BITSET. */
static int futex_deadline(const struct __kernel_timespec __user *uts, bool absolute,
			  bool realtime, uint64_t *deadline)
{
	struct __kernel_timespec ts;
	uint64_t ns;

	*deadline = 0;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	ns = (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	if (!absolute)
		*deadline = clock_monotonic_ns() + ns;
	else if (realtime)
		*deadline = ns + clock_monotonic_ns() - MIN(ns, clock_realtime_ns());
	else
		*deadline = ns;
	if (!*deadline)
		*deadline = 1;
	return 0;
}

long sys_futex(uint32_t __user *uaddr, int op, uint32_t val,
	       const struct __kernel_timespec __user *utime, uint32_t __user *uaddr2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME;
	uint64_t deadline;
	int err;

	if ((uint64_t)uaddr & 3)
		return -EINVAL;
	if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAIT_BITSET:
		if (!val3)
			return -EINVAL;
		err = futex_deadline(utime, cmd == FUTEX_WAIT_BITSET, realtime, &deadline);
		if (err)
			return err;
		return futex_wait((uint64_t)uaddr, val, val3, deadline);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		if (!val3)
			return -EINVAL;
		return futex_wake_addr((uint64_t)uaddr, (int)MIN(val, (uint32_t)INT32_MAX), val3);
	default:
		return -ENOSYS;
	}
}
