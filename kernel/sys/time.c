/*
 * time.c — clocks and sleeps: clock_gettime/getres, gettimeofday, time, nanosleep,
 * clock_nanosleep, times and getrusage.
 */
#include "proc/task.h"
#include "mm/mm.h"
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/times.h>
#include <linux/resource.h>

#define NSEC_PER_SEC 1000000000ULL
#define COARSE_NS (1000000000ULL / TIMER_HZ)

/* CPU time of the whole process: live threads plus exited ones. */
static uint64_t process_cpu_ns(void)
{
	struct rusage ru;

	proc_rusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * NSEC_PER_SEC +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
}

/* A CPU-time clock id (clock_getcpuclockid, pthread_getcpuclockid) as Linux
 * encodes it: ~pid << 3, bit 2 for a thread, the low bits PROF, VIRT or SCHED. */
#define CPUCLOCK_PID(id) (~((id) >> 3))
#define CPUCLOCK_THREAD(id) ((id) & 4)
#define CPUCLOCK_WHICH(id) ((id) & 3)
#define CPUCLOCK_VIRT 1
#define CPUCLOCK_SCHED 2
#define CPUCLOCK_FD 3		/* a dynamic (posix-clock device) clock, not a CPU clock */
#define PROCESS_CLOCK ((int)(~0u << 3) | CPUCLOCK_SCHED)	/* CLOCK_PROCESS_CPUTIME_ID */

/* The task a CPU-time clock names: a thread of the caller's process, or any task
 * standing for its process (gettime) or a process leader (getres). Needs tasks_lock. */
static struct task *cpu_clock_task(int id, bool gettime)
{
	pid_t pid = CPUCLOCK_PID(id);
	struct task *t;

	if (!pid)
		return CPUCLOCK_THREAD(id) ? current : current->group_leader;
	list_for_each_entry(t, &all_tasks, all_link) {
		if (t->pid != pid || t->is_kthread || t->state == TASK_DEAD)
			continue;
		if (CPUCLOCK_THREAD(id))
			return t->tgid == current->tgid ? t : NULL;
		return gettime || t == t->group_leader ? t : NULL;
	}
	return NULL;
}

/* Reads a CPU-time clock: user time for VIRT, user + system otherwise. */
static int cpu_clock_read(int id, bool gettime, uint64_t *ns)
{
	uint64_t f, u, st, user = 0, all = 0;
	struct task *t, *th;

	if (CPUCLOCK_WHICH(id) >= 3)
		return -EINVAL;
	f = spin_lock_irqsave(&tasks_lock);
	t = cpu_clock_task(id, gettime);
	if (t && CPUCLOCK_THREAD(id)) {
		task_times(t, &u, &st);
		user = u;
		all = u + st;
	} else if (t) {
		user = t->proc->dead_utime_ns;
		all = user + t->proc->dead_stime_ns;
		list_for_each_entry(th, &all_tasks, all_link) {
			if (th->proc != t->proc || th->state == TASK_ZOMBIE || th->state == TASK_DEAD)
				continue;
			task_times(th, &u, &st);
			user += u;
			all += u + st;
		}
	}
	spin_unlock_irqrestore(&tasks_lock, f);
	if (!t)
		return -EINVAL;
	*ns = CPUCLOCK_WHICH(id) == CPUCLOCK_VIRT ? user : all;
	return 0;
}

/* Reads clock id in ns; -EINVAL for clocks we do not have. */
static int clock_read(int id, uint64_t *ns)
{
	if (id < 0)
		return cpu_clock_read(id, true, ns);
	switch (id) {
	case CLOCK_REALTIME_COARSE:
		*ns = clock_realtime_coarse_ns();
		return 0;
	case CLOCK_MONOTONIC_COARSE:
		*ns = clock_monotonic_coarse_ns();
		return 0;
	case CLOCK_REALTIME:
	case CLOCK_TAI:		/* no TAI offset is ever set */
	case CLOCK_REALTIME_ALARM:
		*ns = clock_realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*ns = clock_monotonic_ns();
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
		*ns = process_cpu_ns();
		return 0;
	case CLOCK_THREAD_CPUTIME_ID:
		*ns = task_cpu_time_ns(current);
		return 0;
	default:
		return -EINVAL;
	}
}

static struct __kernel_timespec ns_to_timespec(uint64_t ns)
{
	return (struct __kernel_timespec){ .tv_sec = ns / NSEC_PER_SEC, .tv_nsec = ns % NSEC_PER_SEC };
}

long sys_clock_gettime(int id, struct __kernel_timespec __user *uts)
{
	struct __kernel_timespec ts;
	uint64_t ns;
	int err = clock_read(id, &ns);

	if (err)
		return err;
	ts = ns_to_timespec(ns);
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_clock_getres(int id, struct __kernel_timespec __user *uts)
{
	struct __kernel_timespec ts = { 0, 1 };
	uint64_t ns;
	int err = id < 0 ? cpu_clock_read(id, false, &ns) : clock_read(id, &ns);

	if (err)
		return err;
	/* The coarse clocks step by ticks; so do the CPU clocks PROF and VIRT, which
	 * Linux samples at ticks. */
	if (id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE ||
	    (id < 0 && CPUCLOCK_WHICH(id) != CPUCLOCK_SCHED))
		ts.tv_nsec = COARSE_NS;
	if (uts && copy_to_user(uts, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

long sys_gettimeofday(struct __kernel_old_timeval __user *tv, void __user *tz)
{
	uint64_t ns = clock_realtime_ns();
	struct __kernel_old_timeval v = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC / 1000 };
	struct { int minuteswest, dsttime; } zone = { 0, 0 };

	if (tv && copy_to_user(tv, &v, sizeof(v)))
		return -EFAULT;
	if (tz && copy_to_user(tz, &zone, sizeof(zone)))
		return -EFAULT;
	return 0;
}

long sys_time(long __user *tloc)
{
	long now = clock_realtime_ns() / NSEC_PER_SEC;

	if (tloc && put_user(now, tloc))
		return -EFAULT;
	return now;
}

/* Reads a user timespec for a sleep; -EFAULT or -EINVAL for a bad one. */
static int timespec_get(const struct __kernel_timespec __user *uts, uint64_t *ns)
{
	struct __kernel_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long long)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts.tv_sec > UINT64_MAX / NSEC_PER_SEC / 2 ? UINT64_MAX / 2 :
	      (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

static long sleep_until(uint64_t deadline, struct __kernel_timespec __user *rem);

/* restart_syscall(2) after a stop or an ignored signal: the same sleep goes on. */
static long sleep_restart(void)
{
	return sleep_until(current->restart_deadline, current->restart_rem);
}

/* Sleeps shorter than this do not wait for the timer tick, which would make them up
 * to a tick (4 ms) long where Linux's high-resolution timers end them within tens
 * of microseconds: loops of short sleeps (libdrm waits for udev's device nodes with
 * 50 sleeps of 20 us per missing node) would take a hundred times as long. */
#define SHORT_SLEEP_NS 1000000ULL

/* A short sleep: gives the CPU to whoever else can run until the deadline (spinning
 * when nobody can). 0 at the deadline, -ERESTARTSYS on a signal. */
static int short_sleep_until(uint64_t deadline)
{
	while (clock_monotonic_ns() < deadline) {
		if (signal_pending_current())
			return -ERESTARTSYS;
		schedule();
	}
	return 0;
}

/* Ends a sleep a signal interrupted: the time left goes to rem (when given) and
 * restart_syscall resumes it by calling fn, which sleeps on until deadline. */
static long sleep_interrupted(struct __kernel_timespec __user *rem, uint64_t left,
			      long (*fn)(void), uint64_t deadline)
{
	if (rem) {
		struct __kernel_timespec ts = ns_to_timespec(left);
		if (copy_to_user(rem, &ts, sizeof(ts)))
			return -EFAULT;
	}
	current->restart_fn = fn;
	current->restart_deadline = deadline;
	current->restart_rem = rem;
	return -ERESTART_RESTARTBLOCK;
}

/* Sleeps until the monotonic deadline or a signal. On a signal the remaining time
 * goes to rem (when given); the call ends with EINTR when a handler runs, else it
 * resumes through restart_syscall (ERESTART_RESTARTBLOCK), as Linux. */
static long sleep_until(uint64_t deadline, struct __kernel_timespec __user *rem)
{
	struct wait_queue never;
	uint64_t now = clock_monotonic_ns();
	int err;

	if (deadline <= now + SHORT_SLEEP_NS) {
		err = short_sleep_until(deadline);
	} else {
		wait_queue_init(&never);
		err = wait_event_interruptible_timeout(&never, false, deadline);
	}
	if (err != -ERESTARTSYS)
		return 0;
	now = clock_monotonic_ns();
	return sleep_interrupted(rem, deadline > now ? deadline - now : 0, sleep_restart, deadline);
}

long sys_restart_syscall(void)
{
	long (*fn)(void) = current->restart_fn;

	current->restart_fn = NULL;
	return fn ? fn() : -EINTR;
}

long sys_nanosleep(const struct __kernel_timespec __user *req, struct __kernel_timespec __user *rem)
{
	uint64_t ns;
	int err = timespec_get(req, &ns);

	if (err)
		return err;
	return sleep_until(clock_monotonic_ns() + ns + 1, rem);
}

static long cpu_sleep_until(int id, uint64_t target, struct __kernel_timespec __user *rem);

/* restart_syscall(2) of an interrupted relative sleep on a CPU-time clock. */
static long cpu_sleep_restart(void)
{
	return cpu_sleep_until(current->restart_clock, current->restart_deadline, current->restart_rem);
}

/* Sleeps until CPU-time clock id reads target or a signal comes. Its owner's
 * threads run elsewhere and nothing wakes us when the clock gets there: we sleep
 * as long as the clock needs at the fastest (every CPU busy for its owner), at
 * least a tick, and read it again (Linux also checks CPU timers at ticks). A clock
 * whose owner is gone never gets there: then only a signal ends the sleep. On a
 * signal, the time left goes to rem and the call restarts as sleep_until's. */
static long cpu_sleep_until(int id, uint64_t target, struct __kernel_timespec __user *rem)
{
	struct wait_queue never;
	uint64_t now = target;

	wait_queue_init(&never);
	for (;;) {
		uint64_t deadline = 0;	/* none: the clock's owner is gone */

		if (!cpu_clock_read(id, true, &now)) {
			if (now >= target)
				return 0;
			deadline = clock_monotonic_ns() + MAX((target - now) / cpu_count, COARSE_NS);
		}
		if (wait_event_interruptible_timeout(&never, false, deadline) == -ERESTARTSYS)
			break;
	}
	current->restart_clock = id;
	return sleep_interrupted(rem, target > now ? target - now : 0, cpu_sleep_restart, target);
}

/* clock_nanosleep on a CPU-time clock, with Linux's checks in Linux's order:
 * dynamic clocks cannot sleep, the request is read, the caller's own thread clock
 * is refused, then the clock must name a process or a thread of ours. An
 * interrupted absolute sleep restarts unless a handler ran. */
static long cpu_clock_nanosleep(int id, int flags, const struct __kernel_timespec __user *req,
				struct __kernel_timespec __user *rem)
{
	uint64_t ns, now;
	long err;

	if (CPUCLOCK_WHICH(id) == CPUCLOCK_FD)
		return -EOPNOTSUPP;
	err = timespec_get(req, &ns);
	if (err)
		return err;
	if (CPUCLOCK_THREAD(id) && (CPUCLOCK_PID(id) == 0 || CPUCLOCK_PID(id) == current->pid))
		return -EINVAL;
	err = cpu_clock_read(id, false, &now);
	if (err)
		return err;
	if (flags & TIMER_ABSTIME) {
		err = cpu_sleep_until(id, ns, NULL);
		return err == -ERESTART_RESTARTBLOCK ? -ERESTARTNOHAND : err;
	}
	return cpu_sleep_until(id, now + ns, rem);
}

long sys_clock_nanosleep(int id, int flags, const struct __kernel_timespec __user *req,
			 struct __kernel_timespec __user *rem)
{
	uint64_t ns, now;
	int err;

	if (id < 0 || id == CLOCK_PROCESS_CPUTIME_ID)
		return cpu_clock_nanosleep(id < 0 ? id : PROCESS_CLOCK, flags, req, rem);
	err = clock_read(id, &now);
	if (err)
		return err;
	/* The other clocks have no timers on Linux either (THREAD_CPUTIME, RAW, COARSE). */
	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC && id != CLOCK_BOOTTIME && id != CLOCK_TAI &&
	    id != CLOCK_REALTIME_ALARM && id != CLOCK_BOOTTIME_ALARM)
		return -EOPNOTSUPP;
	err = timespec_get(req, &ns);
	if (err)
		return err;
	if (flags & TIMER_ABSTIME) {
		uint64_t mono = clock_monotonic_ns();
		return sleep_until(ns > now ? mono + (ns - now) : mono + 1, NULL);
	}
	return sleep_until(clock_monotonic_ns() + ns + 1, rem);
}

/* Clock ticks (USER_HZ = 100) of a duration in ns. */
static long ns_to_clock_t(uint64_t ns)
{
	return ns / (NSEC_PER_SEC / 100);
}

long sys_times(struct tms __user *ubuf)
{
	struct rusage self, children;
	struct tms t;

	proc_rusage(RUSAGE_SELF, &self);
	proc_rusage(RUSAGE_CHILDREN, &children);
#define TV_NS(tv) ((tv).tv_sec * NSEC_PER_SEC + (tv).tv_usec * 1000ULL)
	t.tms_utime = ns_to_clock_t(TV_NS(self.ru_utime));
	t.tms_stime = ns_to_clock_t(TV_NS(self.ru_stime));
	t.tms_cutime = ns_to_clock_t(TV_NS(children.ru_utime));
	t.tms_cstime = ns_to_clock_t(TV_NS(children.ru_stime));
#undef TV_NS
	if (ubuf && copy_to_user(ubuf, &t, sizeof(t)))
		return -EFAULT;
	return ns_to_clock_t(clock_monotonic_ns()) + 1;
}

long sys_getrusage(int who, struct rusage __user *uru)
{
	struct rusage ru;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	proc_rusage(who, &ru);
	return copy_to_user(uru, &ru, sizeof(ru)) ? -EFAULT : 0;
}
