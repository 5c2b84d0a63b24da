/*
 * itimer.c — interval timers: alarm(2), setitimer(2) and getitimer(2).
 *
 * ITIMER_REAL: armed processes sit on one list that the timer tick scans; expiry
 * sends SIGALRM. ITIMER_VIRTUAL and ITIMER_PROF count the process's user and user +
 * system CPU time: each holds the CPU time at which it fires, which the tick of the
 * CPU running one of the process's threads compares with the process's time (so at
 * the tick's granularity, as Linux's run_posix_cpu_timers); expiry sends SIGVTALRM
 * or SIGPROF. As Linux, arming adds one tick to the value.
 */
#include "proc/task.h"
#include "mm/mm.h"
#include <linux/time.h>
#include <linux/time_types.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_USEC 1000ULL
#define TICK_NS (NSEC_PER_SEC / TIMER_HZ)

/* itimer_lock protects the armed list and every process's itimer fields. */
static spinlock_t itimer_lock = SPINLOCK_INIT("itimer");
static LIST_HEAD(itimer_armed);

/* Sends SIGALRM to processes whose timer expired and reloads periodic ones. Called
 * from the timer tick, interrupts off, no locks held. */
void itimer_tick(uint64_t now)
{
	struct process *p, *tmp;
	pid_t fire[8];
	int n = 0;

	if (list_empty(&itimer_armed))
		return;
	spin_lock(&itimer_lock);
	list_for_each_entry_safe(p, tmp, &itimer_armed, itimer_link) {
		if (p->itimer_deadline > now || n == ARRAY_SIZE(fire))
			continue;
		fire[n++] = p->tgid;
		if (p->itimer_interval) {
			p->itimer_deadline = now + p->itimer_interval;
		} else {
			p->itimer_deadline = 0;
			list_del(&p->itimer_link);
		}
	}
	spin_unlock(&itimer_lock);
	for (int i = 0; i < n; i++)
		signal_send_process(fire[i], SIGALRM);
}

/* See task.h. Interrupts off, no locks held. */
void itimer_cpu_tick(struct task *cur)
{
	static const int signals[2] = { SIGVTALRM, SIGPROF };
	struct process *p = cur->proc;
	uint64_t sample[2];
	bool fire[2] = { false, false };

	if (cur->is_kthread || !(READ_ONCE(p->cpu_itimer_expires[0]) | READ_ONCE(p->cpu_itimer_expires[1])))
		return;
	process_cpu_sample(p, &sample[0], &sample[1]);
	spin_lock(&itimer_lock);
	for (int i = 0; i < 2; i++) {
		uint64_t *expires = &p->cpu_itimer_expires[i];

		if (!*expires || sample[i] < *expires)
			continue;
		fire[i] = true;
		*expires = p->cpu_itimer_incr[i] ? *expires + p->cpu_itimer_incr[i] : 0;
	}
	spin_unlock(&itimer_lock);
	for (int i = 0; i < 2; i++)
		if (fire[i])
			signal_send_process(p->tgid, signals[i]);
}

/* Disarms p's timer (exit). */
void itimer_cancel(struct process *p)
{
	uint64_t f = spin_lock_irqsave(&itimer_lock);

	p->itimer_deadline = 0;
	list_del(&p->itimer_link);
	spin_unlock_irqrestore(&itimer_lock, f);
}

/* Sets the current process's timer to fire in value ns (0 = off), then every
 * interval ns; returns the old remaining time and interval. */
static void itimer_set(uint64_t value, uint64_t interval, uint64_t *old_value, uint64_t *old_interval)
{
	struct process *p = current->proc;
	uint64_t now = clock_monotonic_ns();
	uint64_t f = spin_lock_irqsave(&itimer_lock);

	*old_value = p->itimer_deadline > now ? p->itimer_deadline - now : (p->itimer_deadline ? 1 : 0);
	*old_interval = p->itimer_interval;
	list_del(&p->itimer_link);
	p->itimer_deadline = value ? now + value : 0;
	p->itimer_interval = value ? interval : 0;
	if (value)
		list_add_tail(&p->itimer_link, &itimer_armed);
	spin_unlock_irqrestore(&itimer_lock, f);
}

/* The CPU time that ITIMER_VIRTUAL (index 0) or ITIMER_PROF (1) of p counts. */
static uint64_t cpu_itimer_sample(struct process *p, int i)
{
	uint64_t sample[2];

	process_cpu_sample(p, &sample[0], &sample[1]);
	return sample[i];
}

/* What is left of a CPU timer expiring at expires when the clock reads now: one
 * tick when it is about to fire, as Linux. */
static uint64_t cpu_itimer_left(uint64_t expires, uint64_t now)
{
	if (!expires)
		return 0;
	return expires > now ? expires - now : TICK_NS;
}

/* Sets the current process's ITIMER_VIRTUAL (i = 0) or ITIMER_PROF (1) to fire
 * after value ns more of its CPU time (0 = off), then every interval ns; returns
 * the old remaining time and interval. Linux keeps the interval of a disarmed one. */
static void cpu_itimer_set(int i, uint64_t value, uint64_t interval, uint64_t *old_value,
			   uint64_t *old_interval)
{
	struct process *p = current->proc;
	uint64_t now = cpu_itimer_sample(p, i);
	uint64_t f = spin_lock_irqsave(&itimer_lock);

	*old_value = cpu_itimer_left(p->cpu_itimer_expires[i], now);
	*old_interval = p->cpu_itimer_incr[i];
	p->cpu_itimer_expires[i] = value ? now + value + TICK_NS : 0;
	p->cpu_itimer_incr[i] = interval;
	spin_unlock_irqrestore(&itimer_lock, f);
}

static uint64_t timeval_ns(const struct __kernel_old_timeval *tv)
{
	return tv->tv_sec * NSEC_PER_SEC + tv->tv_usec * NSEC_PER_USEC;
}

static struct __kernel_old_timeval ns_timeval(uint64_t ns)
{
	return (struct __kernel_old_timeval){ ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / NSEC_PER_USEC };
}

long sys_alarm(unsigned seconds)
{
	uint64_t old, interval;

	uint64_t secs;

	itimer_set(seconds * NSEC_PER_SEC, 0, &old, &interval);
	secs = old / NSEC_PER_SEC;
	if (old % NSEC_PER_SEC >= NSEC_PER_SEC / 2 || (!secs && old))
		secs++;
	return secs;
}

/* Copies the old timer out to user space. */
static long itimer_put(struct __kernel_old_itimerval __user *uv, uint64_t value, uint64_t interval)
{
	struct __kernel_old_itimerval v = { ns_timeval(interval), ns_timeval(value) };

	return uv && copy_to_user(uv, &v, sizeof(v)) ? -EFAULT : 0;
}

/* setitimer(2); a NULL new value disarms, as Linux. */
long sys_setitimer(int which, const struct __kernel_old_itimerval __user *unew,
		   struct __kernel_old_itimerval __user *uold)
{
	struct __kernel_old_itimerval nv = { 0 };
	uint64_t old, interval;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	if (unew && copy_from_user(&nv, unew, sizeof(nv)))
		return -EFAULT;
	if (nv.it_value.tv_sec < 0 || nv.it_value.tv_usec < 0 || nv.it_value.tv_usec >= 1000000 ||
	    nv.it_interval.tv_sec < 0 || nv.it_interval.tv_usec < 0 || nv.it_interval.tv_usec >= 1000000)
		return -EINVAL;
	if (which == ITIMER_REAL)
		itimer_set(timeval_ns(&nv.it_value), timeval_ns(&nv.it_interval), &old, &interval);
	else
		cpu_itimer_set(which - 1, timeval_ns(&nv.it_value), timeval_ns(&nv.it_interval),
			       &old, &interval);
	return itimer_put(uold, old, interval);
}

long sys_getitimer(int which, struct __kernel_old_itimerval __user *uv)
{
	struct process *p = current->proc;
	uint64_t now, value, interval, f;

	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return -EINVAL;
	now = which == ITIMER_REAL ? clock_monotonic_ns() : cpu_itimer_sample(p, which - 1);
	f = spin_lock_irqsave(&itimer_lock);
	if (which == ITIMER_REAL) {
		value = p->itimer_deadline > now ? p->itimer_deadline - now : 0;
		interval = p->itimer_interval;
	} else {
		value = cpu_itimer_left(p->cpu_itimer_expires[which - 1], now);
		interval = p->cpu_itimer_incr[which - 1];
	}
	spin_unlock_irqrestore(&itimer_lock, f);
	return itimer_put(uv, value, interval);
}
