/*
 * ktimer.c — one-shot kernel timers run from the timer tick (so at its 4 ms
 * granularity): armed timers sit on one list the tick scans; an expired one leaves
 * the list and its function runs with interrupts off and no lock held.
 *
 * ktimer_lock protects the list, every timer's deadline and link, and `running`
 * (the timer whose function a tick is calling), which ktimer_cancel waits out so
 * that a cancelled timer's owner may free it at once.
 */
#include "proc/task.h"

static spinlock_t ktimer_lock = SPINLOCK_INIT("ktimer");
static LIST_HEAD(ktimer_armed);
static struct ktimer *running;

/* Runs the functions of the timers whose deadline passed. From the timer tick,
 * interrupts off, no locks held. */
void ktimer_tick(uint64_t now)
{
	struct ktimer *t;

	if (list_empty(&ktimer_armed))
		return;
	spin_lock(&ktimer_lock);
	for (;;) {
		bool found = false;

		list_for_each_entry(t, &ktimer_armed, link)
			if (t->deadline <= now) {
				found = true;
				break;
			}
		if (!found)
			break;
		list_del(&t->link);
		t->deadline = 0;
		running = t;
		spin_unlock(&ktimer_lock);
		t->fn(t);
		spin_lock(&ktimer_lock);
		running = NULL;
	}
	spin_unlock(&ktimer_lock);
}

/* Arms (or moves) t to call t->fn at the monotonic deadline_ns. */
void ktimer_arm(struct ktimer *t, uint64_t deadline_ns)
{
	uint64_t flags = spin_lock_irqsave(&ktimer_lock);

	list_del(&t->link);
	t->deadline = deadline_ns ? deadline_ns : 1;
	list_add_tail(&t->link, &ktimer_armed);
	spin_unlock_irqrestore(&ktimer_lock, flags);
}

/* Disarms t and waits until no tick is still running its function. */
void ktimer_cancel(struct ktimer *t)
{
	uint64_t flags = spin_lock_irqsave(&ktimer_lock);

	for (;;) {
		list_del(&t->link);	/* again after the function, which may re-arm */
		t->deadline = 0;
		if (running != t)
			break;
		spin_unlock_irqrestore(&ktimer_lock, flags);
		cpu_relax();
		flags = spin_lock_irqsave(&ktimer_lock);
	}
	spin_unlock_irqrestore(&ktimer_lock, flags);
}
