/*
 * futex.c — futex(2): FUTEX_WAIT/WAKE and their _BITSET forms, REQUEUE, CMP_REQUEUE
 * and WAKE_OP, private or not, with timeouts. A futex is keyed as Linux's
 * get_futex_key does: a FUTEX_PRIVATE_FLAG futex, or one in a private mapping, by
 * the address space and the user address; any other (a MAP_SHARED mapping of a file,
 * /dev/shm, a memfd or shared anonymous memory) by the physical address of the word,
 * which every process mapping that memory sees alike (Lumen neither swaps nor
 * migrates pages, so a page is the backing object's for as long as it is mapped).
 */
#include "proc/task.h"
#include "mm/mm.h"
#include <linux/futex.h>
#include <linux/time_types.h>

/* What identifies a futex: (space, user address), or (NULL, physical address). */
struct futex_key {
	struct vm_space *vm;
	uint64_t addr;
};

/* One sleeping FUTEX_WAIT. Lives on the waiter's kernel stack. */
struct futex_waiter {
	struct futex_key key;		/* [futex_lock] changed by requeue */
	uint32_t bitset;
	struct task *task;
	bool woken;			/* [futex_lock] */
	struct list_head link;		/* [futex_lock] in futex_waiters */
};

/* futex_lock protects futex_waiters and each waiter's key and woken flag. */
static spinlock_t futex_lock = SPINLOCK_INIT("futex");
static LIST_HEAD(futex_waiters);

/* The key of the futex at uaddr in the current space; private (FUTEX_PRIVATE_FLAG)
 * futexes skip the mapping lookup, as Linux does. 0 or -EFAULT (nothing mapped
 * there, or an access the mapping forbids). Takes the space's lock. */
static int futex_key_get(uint64_t uaddr, bool private, struct futex_key *key)
{
	struct vm_space *vm = current->vm;
	uint64_t phys;
	int shared;

	key->vm = vm;
	key->addr = uaddr;
	if (private)
		return 0;
	shared = vm_futex_phys(vm, uaddr, &phys);
	if (shared < 0)
		return shared;
	if (shared) {
		key->vm = NULL;
		key->addr = phys;
	}
	return 0;
}

static bool futex_key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->vm == b->vm && a->addr == b->addr;
}

/* Wakes up to count waiters on key whose bitset meets bitset; futex_lock held.
 * Returns how many were woken. */
static int futex_wake_locked(const struct futex_key *key, int count, uint32_t bitset)
{
	struct futex_waiter *w, *tmp;
	int woken = 0;

	list_for_each_entry_safe(w, tmp, &futex_waiters, link) {
		if (woken >= count)
			break;
		if (!futex_key_eq(&w->key, key) || !(w->bitset & bitset))
			continue;
		list_del(&w->link);
		w->woken = true;
		task_wake(w->task);
		woken++;
	}
	return woken;
}

/* FUTEX_WAKE(_BITSET): wakes up to count waiters on uaddr. Returns how many were
 * woken, or -EFAULT for a shared futex that is not mapped. Takes futex_lock. */
static long futex_wake(uint64_t uaddr, bool private, int count, uint32_t bitset)
{
	struct futex_key key;
	uint64_t f;
	int err = futex_key_get(uaddr, private, &key), woken;

	if (err)
		return err;
	f = spin_lock_irqsave(&futex_lock);
	woken = futex_wake_locked(&key, count, bitset);
	spin_unlock_irqrestore(&futex_lock, f);
	return woken;
}

/* Wakes up to count waiters on the non-private futex at uaddr of the current task
 * (a shared mapping's futex is woken in every process), as exit's clear_child_tid
 * and robust-list release do. Returns how many were woken; 0 when nothing is
 * mapped there. Takes the space's lock, then futex_lock. */
int futex_wake_addr(uint64_t uaddr, int count, uint32_t bitset)
{
	long woken = futex_wake(uaddr, false, count, bitset);

	return woken < 0 ? 0 : (int)woken;
}

/* Sleeps while *uaddr == val, until woken, the deadline (monotonic ns, 0 = none) or
 * a signal. Returns 0, -EAGAIN, -EFAULT, -ETIMEDOUT, -EINTR or -ERESTARTSYS. */
static int futex_wait(uint64_t uaddr, bool private, uint32_t val, uint32_t bitset,
		      uint64_t deadline)
{
	struct futex_waiter w = { .bitset = bitset, .task = current, .link = LIST_HEAD_INIT(w.link) };
	uint32_t cur;
	uint64_t f;
	int ret = futex_key_get(uaddr, private, &w.key);

	if (ret)
		return ret;
	f = spin_lock_irqsave(&futex_lock);
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
static long futex_requeue(uint64_t uaddr, uint64_t uaddr2, bool private, int nr_wake,
			  int nr_requeue, bool cmp, uint32_t cmpval)
{
	struct futex_key key, key2;
	struct futex_waiter *w, *tmp;
	uint32_t cur;
	long done = 0;
	uint64_t f;

	if (futex_key_get(uaddr, private, &key) || futex_key_get(uaddr2, private, &key2))
		return -EFAULT;
	f = spin_lock_irqsave(&futex_lock);
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
		if (!futex_key_eq(&w->key, &key))
			continue;
		if (nr_wake > 0) {
			list_del(&w->link);
			w->woken = true;
			task_wake(w->task);
			nr_wake--;
		} else if (nr_requeue > 0) {
			w->key = key2;
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
static long futex_wake_op(uint64_t uaddr, uint64_t uaddr2, bool private, int nr_wake,
			  int nr_wake2, uint32_t encoded)
{
	int op = (encoded >> 28) & 7, cmp = (encoded >> 24) & 15;
	int oparg = ((int32_t)(encoded << 8)) >> 20, cmparg = ((int32_t)(encoded << 20)) >> 20;
	struct futex_key key, key2;
	uint32_t old, val;
	bool pass;
	uint64_t f;
	long woken;

	if (encoded & (FUTEX_OP_OPARG_SHIFT << 28))
		oparg = oparg < 0 || oparg > 31 ? 0 : 1 << oparg;
	if (futex_key_get(uaddr, private, &key) || futex_key_get(uaddr2, private, &key2))
		return -EFAULT;
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
	switch (cmp) {
	case FUTEX_OP_CMP_EQ: pass = (int)old == cmparg; break;
	case FUTEX_OP_CMP_NE: pass = (int)old != cmparg; break;
	case FUTEX_OP_CMP_LT: pass = (int)old < cmparg; break;
	case FUTEX_OP_CMP_LE: pass = (int)old <= cmparg; break;
	case FUTEX_OP_CMP_GT: pass = (int)old > cmparg; break;
	case FUTEX_OP_CMP_GE: pass = (int)old >= cmparg; break;
	default:
		spin_unlock_irqrestore(&futex_lock, f);
		return -ENOSYS;
	}
	woken = futex_wake_locked(&key, nr_wake, FUTEX_BITSET_MATCH_ANY);
	if (pass)
		woken += futex_wake_locked(&key2, nr_wake2, FUTEX_BITSET_MATCH_ANY);
	spin_unlock_irqrestore(&futex_lock, f);
	return woken;
}

/* The monotonic deadline of a futex timeout: relative for FUTEX_WAIT, absolute
 * (monotonic, or realtime with FUTEX_CLOCK_REALTIME) for FUTEX_WAIT_BITSET. */
static int futex_deadline(const struct __kernel_timespec __user *uts, bool absolute,
			  bool realtime, uint64_t *deadline)
{
	struct __kernel_timespec ts;
	int64_t off;
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
	else if (realtime) {
		/* One read of the offset: converting by reading both clocks would move
		 * the deadline by the time between the reads. Past times give 1. */
		off = clock_realtime_offset_ns();
		*deadline = off < 0 ? ns + (uint64_t)-off : ns > (uint64_t)off ? ns - off : 1;
	} else
		*deadline = ns;
	if (!*deadline)
		*deadline = 1;
	return 0;
}

long sys_futex(uint32_t __user *uaddr, int op, uint32_t val,
	       const struct __kernel_timespec __user *utime, uint32_t __user *uaddr2, uint32_t val3)
{
	int cmd = op & FUTEX_CMD_MASK;
	bool realtime = op & FUTEX_CLOCK_REALTIME, private = op & FUTEX_PRIVATE_FLAG;
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
		return futex_wait((uint64_t)uaddr, private, val, val3, deadline);
	case FUTEX_WAKE:
		val3 = FUTEX_BITSET_MATCH_ANY;
		/* fall through */
	case FUTEX_WAKE_BITSET:
		if (!val3)
			return -EINVAL;
		return futex_wake((uint64_t)uaddr, private, (int)MIN(val, (uint32_t)INT32_MAX), val3);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if ((uint64_t)uaddr2 & 3)
			return -EINVAL;
		return futex_requeue((uint64_t)uaddr, (uint64_t)uaddr2, private, (int)MIN(val, (uint32_t)INT32_MAX),
				     (int)MIN((uint32_t)(uint64_t)utime, (uint32_t)INT32_MAX),
				     cmd == FUTEX_CMP_REQUEUE, val3);
	case FUTEX_WAKE_OP:
		if ((uint64_t)uaddr2 & 3)
			return -EINVAL;
		return futex_wake_op((uint64_t)uaddr, (uint64_t)uaddr2, private, (int)MIN(val, (uint32_t)INT32_MAX),
				     (int)MIN((uint32_t)(uint64_t)utime, (uint32_t)INT32_MAX), val3);
	default:
		return -ENOSYS;
	}
}
