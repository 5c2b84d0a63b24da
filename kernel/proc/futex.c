/*
 * futex.c — futex(2): FUTEX_WAIT/WAKE and their _BITSET forms, REQUEUE, CMP_REQUEUE
 * and WAKE_OP, private or not, with timeouts. A futex is keyed by the caller's address space and the user address.
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

/* FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wakes up to nr_wake waiters on uaddr and
 * moves up to nr_requeue others to uaddr2 (after checking *uaddr == cmpval when
 * cmp). Returns how many were woken or moved, -EAGAIN or -EFAULT. */
static long futex_requeue(uint64_t uaddr, uint64_t uaddr2, int nr_wake, int nr_requeue,
			  bool cmp, uint32_t cmpval)
{
	struct vm_space *vm = current->vm;
	struct futex_waiter *w, *tmp;
	uint32_t cur;
	long done = 0;
	uint64_t f = spin_lock_irqsave(&futex_lock);

	if (cmp) {
		long err = get_user(cur, (uint32_t __user *)uaddr) ? -EFAULT : 0;

		if (!err && cur != cmpval)
			err = -EAGAIN;
		if (err) {
			spin_unlock_irqrestore(&futex_lock, f);
			return err;
		}
	}
	list_for_each_entry_safe(w, tmp, &futex_waiters, link) {
		if (w->vm != vm || w->uaddr != uaddr)
			continue;
		if (nr_wake > 0) {
			list_del(&w->link);
			w->woken = true;
			task_wake(w->task);
			nr_wake--;
		} else if (nr_requeue > 0) {
			w->uaddr = uaddr2;
			nr_requeue--;
		} else {
			break;
		}
		done++;
	}
	spin_unlock_irqrestore(&futex_lock, f);
	return done;
}

/* FUTEX_WAKE_OP: *uaddr2 = op(*uaddr2, oparg); wakes nr_wake on uaddr and, when the
 * old value of *uaddr2 passes the comparison, nr_wake2 on uaddr2. */
static long futex_wake_op(uint64_t uaddr, uint64_t uaddr2, int nr_wake, int nr_wake2,
			  uint32_t encoded)
{
	int op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = ((int32_t)(encoded << 8)) >> 20, cmparg = ((int32_t)(encoded << 20)) >> 20;
	uint32_t old, val;
	bool pass;
	uint64_t f;
	long woken;

	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28))
		oparg = oparg < 0 || oparg > 31 ? 0 : 1 << oparg;
	f = spin_lock_irqsave(&futex_lock);
	if (get_user(old, (uint32_t __user *)uaddr2)) {
		spin_unlock_irqrestore(&futex_lock, f);
		return -EFAULT;
	}
	switch (op) {
	case FUTEX_OP_SET: val = oparg; break;
	case FUTEX_OP_ADD: val = old + oparg; break;
	case FUTEX_OP_OR: val = old | oparg; break;
	case FUTEX_OP_ANDN: val = old & ~oparg; break;
	case FUTEX_OP_XOR: val = old ^ oparg; break;
	default:
		spin_unlock_irqrestore(&futex_lock, f);
		return -ENOSYS;
	}
	if (put_user(val, (uint32_t __user *)uaddr2)) {
		spin_unlock_irqrestore(&futex_lock, f);
		return -EFAULT;
	}
	spin_unlock_irqrestore(&futex_lock, f);
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: pass = (int)old == cmparg; break;
	case FUTEX_OP_CMP_NE: pass = (int)old != cmparg; break;
	case FUTEX_OP_CMP_LT: pass = (int)old < cmparg; break;
	case FUTEX_OP_CMP_LE: pass = (int)old <= cmparg; break;
	case FUTEX_OP_CMP_GT: pass = (int)old > cmparg; break;
	case FUTEX_OP_CMP_GE: pass = (int)old >= cmparg; break;
	default: return -ENOSYS;
	}
	woken = futex_wake_addr(uaddr, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (pass)
		woken += futex_wake_addr(uaddr2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	return woken;
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
	if (realtime && cmd != FUTEX_WAIT_BITSET)
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
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if ((uint64_t)uaddr2 & 3)
			return -EINVAL;
		return futex_requeue((uint64_t)uaddr, (uint64_t)uaddr2, (int)MIN(val, (uint32_t)INT32_MAX),
				     (int)MIN((uint32_t)(uint64_t)utime, (uint32_t)INT32_MAX),
				     cmd == FUTEX_CMP_REQUEUE, val3);
	case FUTEX_WAKE_OP:
		if ((uint64_t)uaddr2 & 3)
			return -EINVAL;
		return futex_wake_op((uint64_t)uaddr, (uint64_t)uaddr2, (int)MIN(val, (uint32_t)INT32_MAX),
				     (int)MIN((uint32_t)(uint64_t)utime, (uint32_t)INT32_MAX), val3);
	default:
		return -ENOSYS;
	}
}
