/*
 * clocks: clock_gettime/getres for every clock id (bad ones too), CPU-time clocks
 * of threads and processes, clock_nanosleep relative and absolute with EINTR and
 * the remaining time, sleeps on CPU-time clocks, the coarse clocks' tick steps,
 * interval timers (real, virtual, prof) and alarm, times and getrusage, against Linux.
 *
 * Prints one line per check; times are reduced to comparisons.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static int64_t now_ns(clockid_t id)
{
	struct timespec t;

	syscall(SYS_clock_gettime, id, &t);
	return ts_ns(&t);
}

/* Spends about ms of CPU time in user mode. */
static void burn(int ms)
{
	struct timespec a, b;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do {
		for (int i = 0; i < 100000; i++)
			x += i;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	} while (ts_ns(&b) - ts_ns(&a) < ms * 1000000LL);
}

/* gettime and getres of ids -1..16 and a few far ones, through the raw syscalls. */
static void check_ids(void)
{
	int ids[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 100, -1 };

	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct timespec t = { 0, 0 }, r = { -1, -1 };
		long g = syscall(SYS_clock_gettime, ids[i], &t);
		const char *gs = res(g);
		long rr = syscall(SYS_clock_getres, ids[i], &r);

		printf("clock %d: gettime %s getres %s res %ld.%09ld\n", ids[i], gs, res(rr),
		       rr ? 0L : (long)r.tv_sec, rr ? 0L : r.tv_nsec);
	}
	printf("gettime bad ptr: %s\n", res(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8)));
	printf("gettime null: %s\n", res(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL)));
	printf("getres null: %s\n", res(syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL)));
	printf("getres bad ptr: %s\n", res(syscall(SYS_clock_getres, CLOCK_MONOTONIC, (void *)8)));
	printf("getres bad clock null: %s\n", res(syscall(SYS_clock_getres, 100, NULL)));
}

/* Orderings between clocks and readings. */
static void check_orderings(void)
{
	int ids[] = { CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
		      CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_PROCESS_CPUTIME_ID,
		      CLOCK_THREAD_CPUTIME_ID, CLOCK_TAI };
	int64_t mono, boot, coarse, real, rcoarse;

	for (unsigned i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		int64_t a = now_ns(ids[i]), b;

		usleep(1000);
		b = now_ns(ids[i]);
		printf("clock %d never goes back: %d\n", ids[i], b >= a);
	}
	mono = now_ns(CLOCK_MONOTONIC);
	boot = now_ns(CLOCK_BOOTTIME);
	printf("boottime >= monotonic: %d\n", boot >= mono);
	coarse = now_ns(CLOCK_MONOTONIC_COARSE);
	mono = now_ns(CLOCK_MONOTONIC);
	printf("monotonic coarse within 20ms before monotonic: %d\n",
	       coarse <= mono && mono - coarse < 20000000);
	rcoarse = now_ns(CLOCK_REALTIME_COARSE);
	real = now_ns(CLOCK_REALTIME);
	printf("realtime coarse within 20ms before realtime: %d\n",
	       rcoarse <= real && real - rcoarse < 20000000);
	printf("realtime after 2020: %d\n", real > 1577836800LL * 1000000000);
	printf("tai within 1 min of realtime: %d\n", llabs(now_ns(CLOCK_TAI) - real) < 60000000000LL);
	{
		struct timeval tv;
		time_t t;

		gettimeofday(&tv, NULL);
		t = time(NULL);
		printf("gettimeofday and time agree with realtime: %d %d\n",
		       llabs((int64_t)tv.tv_sec * 1000000000 - real) < 2000000000LL,
		       llabs((int64_t)t * 1000000000 - real) < 2000000000LL);
	}
}

static void *burner(void *arg)
{
	clockid_t *out = arg;

	pthread_getcpuclockid(pthread_self(), out);
	burn(60);
	return NULL;
}

/* The CPU-time clocks, also as clock ids of threads and processes. */
static void check_cpu_clocks(void)
{
	int64_t t0 = now_ns(CLOCK_THREAD_CPUTIME_ID), p0 = now_ns(CLOCK_PROCESS_CPUTIME_ID), t1, p1;
	clockid_t self_id, proc_id, other_id;
	pthread_t th;
	struct timespec ts;
	int r;

	burn(50);
	t1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	p1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	printf("thread cputime grew >= 45ms: %d\n", t1 - t0 >= 45000000);
	printf("process cputime >= thread cputime: %d\n", p1 >= t1);
	printf("process cputime grew >= 45ms: %d\n", p1 - p0 >= 45000000);
	printf("pthread_getcpuclockid self: %d\n", pthread_getcpuclockid(pthread_self(), &self_id));
	r = clock_gettime(self_id, &ts);
	printf("thread clock id reads: %s close to own cputime: %d\n", res(r),
	       llabs(ts_ns(&ts) - now_ns(CLOCK_THREAD_CPUTIME_ID)) < 20000000);
	printf("clock_getcpuclockid 0: %d\n", clock_getcpuclockid(0, &proc_id));
	r = clock_gettime(proc_id, &ts);
	printf("process clock id reads: %s >= thread's: %d\n", res(r), ts_ns(&ts) >= t1);
	printf("clock_getcpuclockid getpid: %d\n", clock_getcpuclockid(getpid(), &proc_id));
	printf("clock_getcpuclockid no such pid: %s\n", errname(clock_getcpuclockid(99999999, &proc_id)));
	r = clock_getres(proc_id, &ts);
	printf("process clock getres: %s\n", res(r));
	printf("cpu clock which=3: %s\n", res(syscall(SYS_clock_gettime, (clockid_t)(~0u << 3 | 3), &ts)));
	printf("thread clock of no thread: %s\n",
	       res(syscall(SYS_clock_gettime, (clockid_t)(~99999999u << 3 | 6), &ts)));
	pthread_create(&th, NULL, burner, &other_id);
	pthread_join(th, NULL);
	usleep(100000);	/* the kernel may reap the thread a little after join returns */
	printf("dead thread's clock: %s\n", res(syscall(SYS_clock_gettime, other_id, &ts)));
	p1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	printf("process cputime includes exited thread: %d\n", p1 - t1 >= 55000000);
}

static volatile int alarms, vtalrms, profs;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* clock_nanosleep: relative, absolute, interrupted, and the clocks it refuses. */
static void check_nanosleep(void)
{
	struct timespec req = { 0, 20000000 }, rem = { 7, 7 }, abs;
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	int64_t t0;
	int r;

	t0 = now_ns(CLOCK_MONOTONIC);
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	printf("nanosleep monotonic 20ms: %d slept >= 20ms: %d\n", r, now_ns(CLOCK_MONOTONIC) - t0 >= 20000000);
	t0 = now_ns(CLOCK_MONOTONIC);
	r = clock_nanosleep(CLOCK_REALTIME, 0, &req, NULL);
	printf("nanosleep realtime 20ms: %d slept >= 20ms: %d\n", r, now_ns(CLOCK_MONOTONIC) - t0 >= 20000000);
	r = clock_nanosleep(CLOCK_BOOTTIME, 0, &req, NULL);
	printf("nanosleep boottime: %d\n", r);
	r = clock_nanosleep(CLOCK_TAI, 0, &req, NULL);
	printf("nanosleep tai: %d\n", r);
	clock_gettime(CLOCK_MONOTONIC, &abs);
	t0 = ts_ns(&abs);
	abs.tv_nsec += 30000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
	printf("nanosleep absolute monotonic: %d reached deadline: %d\n", r, now_ns(CLOCK_MONOTONIC) >= ts_ns(&abs));
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 30000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL);
	printf("nanosleep absolute realtime: %d reached deadline: %d\n", r, now_ns(CLOCK_REALTIME) >= ts_ns(&abs));
	abs.tv_sec = 1;
	abs.tv_nsec = 0;
	printf("nanosleep absolute past: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
	req.tv_nsec = 1000000000;
	printf("nanosleep bad nsec: %s\n", errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL)));
	req.tv_sec = -1;
	req.tv_nsec = 0;
	printf("nanosleep negative: %s\n", errname(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL)));
	req.tv_sec = 0;
	req.tv_nsec = 1000000;
	printf("nanosleep bad ptr: %s\n", errname(clock_nanosleep(CLOCK_MONOTONIC, 0, (void *)8, NULL)));
	printf("nanosleep thread cputime: %s\n", errname(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL)));
	printf("nanosleep monotonic raw: %s\n", errname(clock_nanosleep(CLOCK_MONOTONIC_RAW, 0, &req, NULL)));
	printf("nanosleep monotonic coarse: %s\n", errname(clock_nanosleep(CLOCK_MONOTONIC_COARSE, 0, &req, NULL)));
	printf("nanosleep realtime coarse: %s\n", errname(clock_nanosleep(CLOCK_REALTIME_COARSE, 0, &req, NULL)));
	printf("nanosleep bad clock: %s\n", errname(clock_nanosleep(100, 0, &req, NULL)));

	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);
	req.tv_sec = 2;
	req.tv_nsec = 0;
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	printf("nanosleep interrupted: %s alarm: %d rem in (1s, 2s): %d\n", errname(r), alarms,
	       rem.tv_sec == 1 || (rem.tv_sec == 0 && rem.tv_nsec > 0));
	setitimer(ITIMER_REAL, &it, NULL);
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_sec += 2;
	rem.tv_sec = 7;
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, &rem);
	printf("absolute nanosleep interrupted: %s rem untouched: %d\n", errname(r), rem.tv_sec == 7);
}

/* setitimer/getitimer/alarm: values read back, bad input. */
static void check_itimers(void)
{
	struct itimerval it = { { 0, 250000 }, { 1, 0 } }, old, cur;
	int rr;

	printf("setitimer real: %s\n", res(setitimer(ITIMER_REAL, &it, &old)));
	printf("getitimer real: %s", res(getitimer(ITIMER_REAL, &cur)));
	printf(" value in (0.9s, 1s]: %d interval kept: %d\n",
	       (cur.it_value.tv_sec == 0 && cur.it_value.tv_usec > 900000) ||
	       (cur.it_value.tv_sec == 1 && cur.it_value.tv_usec == 0),
	       cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 250000);
	printf("setitimer returns old: %s", res(setitimer(ITIMER_REAL, NULL, &old)));
	printf(" old value > 0.9s: %d\n", old.it_value.tv_sec == 1 || old.it_value.tv_usec > 900000);
	getitimer(ITIMER_REAL, &cur);
	printf("null new value disarms: %d\n", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);
	it.it_value.tv_usec = 1000000;
	printf("setitimer usec 1000000: %s\n", res(setitimer(ITIMER_REAL, &it, NULL)));
	it.it_value.tv_usec = -1;
	printf("setitimer usec -1: %s\n", res(setitimer(ITIMER_REAL, &it, NULL)));
	it.it_value.tv_usec = 0;
	printf("setitimer which 3: %s\n", res(setitimer(3, &it, NULL)));
	printf("getitimer which 3: %s\n", res(getitimer(3, &cur)));
	printf("getitimer bad ptr: %s\n", res(syscall(SYS_getitimer, ITIMER_REAL, (void *)8)));
	printf("setitimer bad ptr: %s\n", res(syscall(SYS_setitimer, ITIMER_REAL, (void *)8, NULL)));
	printf("alarm first: %u\n", alarm(5));
	rr = alarm(3);
	printf("alarm returns the previous rounded: %d\n", rr == 5);
	printf("alarm 0 returns: %u\n", alarm(0));
	printf("alarm none left: %u\n", alarm(0));
}

/* times and getrusage for the process, its children and one thread. */
static void check_usage(void)
{
	struct rusage ru, th;
	struct tms t;
	clock_t c0, c1;
	pid_t pid;
	int st;

	c0 = times(&t);
	burn(30);
	c1 = times(&t);
	printf("times grows: %d utime+stime > 0: %d\n", c1 >= c0, t.tms_utime + t.tms_stime > 0);
	printf("times null: %d\n", times(NULL) != (clock_t)-1);
	printf("times bad ptr: %s\n", res(syscall(SYS_times, (void *)8)));
	pid = fork();
	if (pid == 0) {
		burn(80);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	printf("getrusage children: %s", res(getrusage(RUSAGE_CHILDREN, &ru)));
	printf(" child cpu >= 70ms: %d\n",
	       ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec + ru.ru_stime.tv_sec * 1000000 +
	       ru.ru_stime.tv_usec >= 70000);
	times(&t);
	printf("times children >= 7 ticks: %d\n", t.tms_cutime + t.tms_cstime >= 7);
	printf("getrusage self: %s", res(getrusage(RUSAGE_SELF, &ru)));
	printf(" getrusage thread: %s", res(getrusage(RUSAGE_THREAD, &th)));
	printf(" self >= thread: %d\n",
	       ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec >= th.ru_utime.tv_sec * 1000000 + th.ru_utime.tv_usec);
	printf("getrusage who 5: %s\n", res(getrusage(5, &ru)));
	printf("getrusage who -3: %s\n", res(getrusage(-3, &ru)));
	printf("getrusage bad ptr: %s\n", res(syscall(SYS_getrusage, RUSAGE_SELF, (void *)8)));
}

static void on_vtalrm(int sig)
{
	(void)sig;
	vtalrms++;
}

static void on_prof(int sig)
{
	(void)sig;
	profs++;
}

static const char *yes(int b)
{
	return b ? "yes" : "no";
}

static int64_t tv_us(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000 + tv->tv_usec;
}

/* Spends about ms of CPU time in the kernel: reads of /dev/zero. The loop ends when
 * the timer fired or after 2 s of CPU time (see burn_until). */
static void burn_kernel(int ms)
{
	static char buf[1 << 16];
	int64_t t0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	FILE *f = fopen("/dev/zero", "r");

	while (now_ns(CLOCK_PROCESS_CPUTIME_ID) - t0 < ms * 1000000LL)
		if (read(fileno(f), buf, sizeof(buf)) < 0)
			break;
	fclose(f);
}

/* Burns CPU in user mode until *count reaches n, for at most 2 s of CPU time: Linux
 * charges CPU time to the timers by ticks, which QEMU drops under load, so a fixed
 * burn may not be enough there. */
static void burn_until(volatile int *count, int n)
{
	int64_t t0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);

	while (*count < n && now_ns(CLOCK_PROCESS_CPUTIME_ID) - t0 < 2000000000)
		burn(10);
}

/* ITIMER_VIRTUAL: counts user time, not sleeps; fires once or reloads; reads back. */
static void virtual_scenario(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 50000 } }, cur, old;
	pid_t pid;
	int st;

	printf("setitimer virtual: %s\n", res(setitimer(ITIMER_VIRTUAL, &it, NULL)));
	usleep(200000);
	printf("vtalrm while sleeping: %s\n", yes(vtalrms));
	getitimer(ITIMER_VIRTUAL, &cur);
	printf("virtual left after a sleep in (40ms, 60ms]: %s\n",
	       yes(tv_us(&cur.it_value) > 40000 && tv_us(&cur.it_value) <= 60000));
	burn_until(&vtalrms, 1);
	burn(100);
	printf("vtalrm fired: %s once: %s\n", yes(vtalrms), yes(vtalrms == 1));
	getitimer(ITIMER_VIRTUAL, &cur);
	printf("virtual one-shot disarmed: %s\n", yes(!cur.it_value.tv_sec && !cur.it_value.tv_usec));
	it.it_interval.tv_usec = 20000;
	vtalrms = 0;
	setitimer(ITIMER_VIRTUAL, &it, NULL);
	burn_until(&vtalrms, 4);
	printf("virtual interval fired 4 times: %s\n", yes(vtalrms >= 4));
	getitimer(ITIMER_VIRTUAL, &cur);
	printf("virtual interval kept: %s\n", yes(tv_us(&cur.it_interval) == 20000));
	printf("setitimer virtual off: %s", res(setitimer(ITIMER_VIRTUAL, NULL, &old)));
	printf(" old value in (0, 30ms]: %s old interval: %ld\n",
	       yes(tv_us(&old.it_value) > 0 && tv_us(&old.it_value) <= 30000), (long)tv_us(&old.it_interval));
	getitimer(ITIMER_VIRTUAL, &cur);
	printf("virtual off: value %ld interval %ld\n", (long)tv_us(&cur.it_value), (long)tv_us(&cur.it_interval));
	it.it_value.tv_usec = 0;
	it.it_interval.tv_usec = 30000;
	setitimer(ITIMER_VIRTUAL, &it, NULL);
	getitimer(ITIMER_VIRTUAL, &cur);
	printf("virtual zero value with interval: value %ld interval %ld\n", (long)tv_us(&cur.it_value),
	       (long)tv_us(&cur.it_interval));
	it.it_value.tv_sec = 1;
	it.it_interval.tv_usec = 0;
	setitimer(ITIMER_VIRTUAL, &it, NULL);
	getitimer(ITIMER_VIRTUAL, &cur);
	printf("virtual 1s reads in (0.9s, 1.01s]: %s\n",
	       yes(tv_us(&cur.it_value) > 900000 && tv_us(&cur.it_value) <= 1010000));
	pid = fork();
	if (pid == 0) {
		getitimer(ITIMER_VIRTUAL, &cur);
		_exit(cur.it_value.tv_sec || cur.it_value.tv_usec);
	}
	waitpid(pid, &st, 0);
	printf("fork child has no virtual timer: %s\n", yes(WIFEXITED(st) && WEXITSTATUS(st) == 0));
}

/* ITIMER_PROF: counts user and system time, not sleeps. */
static void prof_scenario(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	int64_t t0;

	printf("setitimer prof: %s\n", res(setitimer(ITIMER_PROF, &it, NULL)));
	usleep(200000);
	printf("sigprof while sleeping: %s\n", yes(profs));
	t0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	while (!profs && now_ns(CLOCK_PROCESS_CPUTIME_ID) - t0 < 2000000000)
		burn_kernel(10);
	printf("sigprof fired in kernel work: %s after >= 45ms: %s\n", yes(profs),
	       yes(now_ns(CLOCK_PROCESS_CPUTIME_ID) - t0 >= 45000000));
}

/* Runs a scenario in a child, a process whose CPU timers start unused. */
static void in_child(void (*scenario)(void))
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		signal(SIGVTALRM, on_vtalrm);
		signal(SIGPROF, on_prof);
		scenario();
		_exit(0);
	}
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		printf("scenario child status %#x\n", st);
}

/* ITIMER_VIRTUAL and ITIMER_PROF: they count CPU time, not sleeps, fire, reload;
 * bad input. */
static void check_cpu_itimers(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 1000000 } }, cur;

	in_child(virtual_scenario);
	in_child(prof_scenario);
	printf("setitimer virtual usec 1000000: %s\n", res(setitimer(ITIMER_VIRTUAL, &it, NULL)));
	it.it_value.tv_usec = 0;
	it.it_interval.tv_usec = -1;
	printf("setitimer prof interval usec -1: %s\n", res(setitimer(ITIMER_PROF, &it, NULL)));
	printf("getitimer virtual bad ptr: %s\n", res(syscall(SYS_getitimer, ITIMER_VIRTUAL, (void *)8)));
	printf("setitimer prof bad ptr: %s\n", res(syscall(SYS_setitimer, ITIMER_PROF, (void *)8, NULL)));
	printf("setitimer prof bad old ptr: %s\n", res(syscall(SYS_setitimer, ITIMER_PROF, NULL, (void *)8)));
	printf("getitimer which -1: %s\n", res(syscall(SYS_getitimer, -1, &cur)));
}

static volatile int stop_burning;

static void *spin_until_stopped(void *arg)
{
	clockid_t *out = arg;
	volatile unsigned long x = 0;

	pthread_getcpuclockid(pthread_self(), out);
	while (!stop_burning)
		x++;
	return NULL;
}

/* clock_nanosleep on CPU-time clocks: the process's (while a thread burns), a
 * child's, another thread's; the caller's own thread clock and bad ones refused. */
static void check_cpu_sleeps(void)
{
	struct timespec req = { 0, 50000000 }, rem = { 7, 7 }, abs;
	clockid_t other = 0, child_clock;
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	pthread_t th;
	int64_t t0;
	pid_t pid;
	int r, st;

	printf("process cpu sleep 0: %d\n", clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &(struct timespec){ 0, 0 }, NULL));
	abs.tv_sec = 0;
	abs.tv_nsec = 1;
	printf("process cpu sleep absolute past: %d\n", clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &abs, NULL));
	stop_burning = 0;
	pthread_create(&th, NULL, spin_until_stopped, &other);
	while (!other)
		sched_yield();
	t0 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
	r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, &rem);
	printf("process cpu sleep 50ms: %d advanced >= 50ms: %s\n", r, yes(now_ns(CLOCK_PROCESS_CPUTIME_ID) - t0 >= 50000000));
	t0 = now_ns(CLOCK_PROCESS_CPUTIME_ID) + 40000000;
	abs.tv_sec = t0 / 1000000000;
	abs.tv_nsec = t0 % 1000000000;
	r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &abs, NULL);
	printf("process cpu sleep absolute: %d reached: %s\n", r, yes(now_ns(CLOCK_PROCESS_CPUTIME_ID) >= t0));
	t0 = now_ns(other);
	r = clock_nanosleep(other, 0, &req, NULL);
	printf("sleep on another thread's clock: %d it advanced >= 50ms: %s\n", r, yes(now_ns(other) - t0 >= 50000000));
	clock_getcpuclockid(getpid(), &child_clock);
	printf("sleep on own pid clock: %d\n", clock_nanosleep(child_clock, 0, &req, NULL));
	stop_burning = 1;
	pthread_join(th, NULL);

	pid = fork();
	if (pid == 0) {
		burn(3000);
		_exit(0);
	}
	clock_getcpuclockid(pid, &child_clock);
	t0 = now_ns(child_clock);
	r = clock_nanosleep(child_clock, 0, &req, NULL);
	printf("sleep on a child's clock: %d it advanced >= 50ms: %s\n", r, yes(now_ns(child_clock) - t0 >= 50000000));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);

	signal(SIGALRM, on_alarm);
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	req.tv_sec = 10;
	req.tv_nsec = 0;
	r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, &rem);
	printf("process cpu sleep interrupted: %s alarm: %d rem in (9s, 10s]: %s\n", errname(r), alarms,
	       yes(rem.tv_sec == 9 || (rem.tv_sec == 10 && rem.tv_nsec == 0)));
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = now_ns(CLOCK_PROCESS_CPUTIME_ID) + 10000000000LL;
	abs.tv_sec = t0 / 1000000000;
	abs.tv_nsec = t0 % 1000000000;
	rem.tv_sec = 7;
	r = clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, TIMER_ABSTIME, &abs, &rem);
	printf("absolute process cpu sleep interrupted: %s rem untouched: %s\n", errname(r), yes(rem.tv_sec == 7));

	req.tv_sec = 0;
	req.tv_nsec = 1000000;
	printf("raw nanosleep thread cputime: %s\n", res(syscall(SYS_clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL)));
	pthread_getcpuclockid(pthread_self(), &other);
	printf("nanosleep own thread clock: %s\n", errname(clock_nanosleep(other, 0, &req, NULL)));
	printf("nanosleep own thread clock by tid: %s\n",
	       errname(clock_nanosleep((clockid_t)(~(unsigned)gettid() << 3 | 6), 0, &req, NULL)));
	printf("nanosleep own thread clock bad ptr: %s\n", errname(clock_nanosleep(other, 0, (void *)8, NULL)));
	printf("nanosleep process cputime bad ptr: %s\n",
	       errname(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, (void *)8, NULL)));
	req.tv_nsec = 1000000000;
	printf("nanosleep process cputime bad nsec: %s\n", errname(clock_nanosleep(CLOCK_PROCESS_CPUTIME_ID, 0, &req, NULL)));
	req.tv_nsec = 1000000;
	printf("nanosleep no such pid clock: %s\n",
	       errname(clock_nanosleep((clockid_t)(~99999999u << 3 | 2), 0, &req, NULL)));
	printf("nanosleep no such thread clock: %s\n",
	       errname(clock_nanosleep((clockid_t)(~99999999u << 3 | 6), 0, &req, NULL)));
	printf("nanosleep cpu clock which=3: %s\n",
	       errname(clock_nanosleep((clockid_t)(~0u << 3 | 3), 0, &req, NULL)));
	printf("nanosleep 0 on init's clock: %d\n", clock_nanosleep((clockid_t)(~1u << 3 | 2), 0,
		&(struct timespec){ 0, 0 }, NULL));
	printf("getres process prof/virt/sched: ");
	for (int w = 0; w < 3; w++) {
		struct timespec ts;
		int e = syscall(SYS_clock_getres, (clockid_t)(~0u << 3 | w), &ts);
		printf("%s %ld ", res(e), e ? 0L : ts.tv_nsec);
	}
	printf("\n");
	{
		struct timespec ts;
		int e = syscall(SYS_clock_getres, (clockid_t)(~0u << 3 | 5), &ts);
		printf("getres thread virt: %s %ld\n", res(e), e ? 0L : ts.tv_nsec);
	}
}

/* The coarse clocks step by whole ticks (4 ms at Debian's HZ 250). */
static void check_coarse(void)
{
	int ids[] = { CLOCK_MONOTONIC_COARSE, CLOCK_REALTIME_COARSE };

	for (int i = 0; i < 2; i++) {
		int64_t start = now_ns(CLOCK_MONOTONIC), prev = now_ns(ids[i]), min_step = INT64_MAX;
		int steps = 0;

		while (now_ns(CLOCK_MONOTONIC) - start < 60000000) {
			int64_t c = now_ns(ids[i]);

			if (c != prev) {
				if (c - prev < min_step)
					min_step = c - prev;
				steps++;
				prev = c;
			}
		}
		printf("coarse clock %d: stepped: %s smallest step >= 3.9ms: %s\n", ids[i], yes(steps > 0),
		       yes(min_step >= 3900000));
	}
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "itimers")) {	/* to run the CPU timers alone */
		check_cpu_itimers();
		return 0;
	}
	check_ids();
	check_orderings();
	check_cpu_clocks();
	check_nanosleep();
	check_itimers();
	check_cpu_itimers();
	check_cpu_sleeps();
	check_coarse();
	check_usage();
	return 0;
}
