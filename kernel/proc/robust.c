/*
 * robust.c — the robust futex list a thread registers with set_robust_list: when
 * it exits or execs, every lock word it still owns gets FUTEX_OWNER_DIED and one
 * waiter is woken, so the next locker sees EOWNERDEAD (Linux's exit_robust_list).
 */
#include "proc/task.h"
#include "mm/mm.h"
#include <linux/futex.h>

/* Longest list walked; a loop in user memory cannot keep the exit going. */
#define ROBUST_LIST_LIMIT 2048

/* Reads a list pointer; bit 0 says the lock is a PI futex. 0 or -EFAULT. */
static int robust_fetch(uint64_t uptr, uint64_t *entry, bool *pi)
{
	uint64_t v;

	if (get_user(v, (uint64_t __user *)uptr))
		return -EFAULT;
	*entry = v & ~1UL;
	*pi = v & 1;
	return 0;
}

/* Marks the lock word at uaddr as abandoned when t owns it and wakes a waiter;
 * for the lock in list_op_pending, wakes a waiter of a free lock too. Returns 0,
 * or -EFAULT to stop the walk. */
static int robust_owner_died(struct task *t, uint64_t uaddr, bool pi, bool pending)
{
	uint32_t uval, nval, mval;

	if (uaddr & 3)
		return -EFAULT;
	if (get_user(uval, (uint32_t __user *)uaddr))
		return -EFAULT;
	for (;;) {
		if (pending && !pi && !uval) {
			futex_wake_addr(uaddr, 1, FUTEX_BITSET_MATCH_ANY);
			return 0;
		}
		if ((uval & FUTEX_TID_MASK) != (uint32_t)t->pid)
			return 0;
		mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
		if (cmpxchg_user32((uint32_t __user *)uaddr, uval, mval, &nval))
			return -EFAULT;
		if (nval == uval)
			break;
		uval = nval;
	}
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake_addr(uaddr, 1, FUTEX_BITSET_MATCH_ANY);
	return 0;
}

/* Walks the exiting (or exec'ing) current task's robust list, releasing the locks
 * it still holds, and forgets the list. A bad list just ends the walk. */
void futex_exit_robust(struct task *t)
{
	uint64_t head = t->robust_list, entry, next, pending;
	bool pi, next_pi, pending_pi;
	int64_t offset;
	int limit = ROBUST_LIST_LIMIT;

	t->robust_list = 0;
	if (!head || !t->vm)
		return;
	if (robust_fetch(head, &entry, &pi) ||
	    get_user(offset, (int64_t __user *)(head + sizeof(uint64_t))) ||
	    robust_fetch(head + 2 * sizeof(uint64_t), &pending, &pending_pi))
		return;
	while (entry != head) {
		int rc = robust_fetch(entry, &next, &next_pi);

		if (entry != pending && robust_owner_died(t, entry + offset, pi, false))
			return;
		if (rc || !--limit)
			break;
		entry = next;
		pi = next_pi;
	}
	if (pending)
		robust_owner_died(t, pending + offset, pending_pi, true);
}
