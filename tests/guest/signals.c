/*
 * signals: processes and signals against Linux: an SA_SIGINFO handler (FPU state
 * preserved around it), nanosleep interrupted (EINTR, remaining time) and stopped and
 * continued (restarted for its full time), death by signal, stop/continue seen by
 * waitpid and waitid, pending and ignored signals, alarm and interval timers, vfork,
 * #! scripts, wait/kill/clock errors, threads with condition variables and futex
 * requeue/wake-op/timeouts, exec from a thread, and the signal masks of ppoll and
 * pselect6.
 *
 * Prints one line per check; times are reduced to "within bounds" flags, and no pid,
 * tid or address is printed. Run it by its full path: it re-executes argv[0].
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

static volatile int got;
static volatile double fval;
static char *self;

/* SA_SIGINFO handler that records the signal and uses the FPU. */
static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	got = sig;
	fval = 1.5 * 3.0;
}

/* Milliseconds between two monotonic times. */
static long ms_between(struct timespec *a, struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* A handler runs for kill(self) and the interrupted code's FPU values survive; a
 * nanosleep interrupted by a handled signal fails with EINTR and a remainder. */
static void check_handler_eintr(void)
{
	struct sigaction sa = { 0 };
	struct timespec req = { 2, 0 }, rem = { 0, 0 };
	volatile double d = 2.25;
	pid_t parent = getpid(), c;
	int r, st;

	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	printf("handler got=%d d=%g fval=%g\n", got, d * 2, fval);
	c = fork();
	if (c == 0) {
		struct timespec t = { 0, 100000000 };

		nanosleep(&t, NULL);
		kill(parent, SIGUSR1);
		_exit(7);
	}
	r = nanosleep(&req, &rem);
	printf("nanosleep=%d errno=%s rem>0=%d\n", r, r ? errname(errno) : "-", rem.tv_sec > 0);
	printf("wait=%d ", waitpid(c, &st, 0) == c);
	printf("exited=%d code=%d\n", WIFEXITED(st), WEXITSTATUS(st));
}

/* Death by SIGTERM; SIGSTOP and SIGCONT seen through WUNTRACED and WCONTINUED; a
 * nanosleep stopped and continued still sleeps its full time. */
static void check_stop_continue(void)
{
	int st;
	pid_t c = fork();

	if (c == 0) {
		pause();
		_exit(0);
	}
	kill(c, SIGTERM);
	waitpid(c, &st, 0);
	printf("signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
	c = fork();
	if (c == 0)
		for (;;)
			pause();
	kill(c, SIGSTOP);
	waitpid(c, &st, WUNTRACED);
	printf("stopped=%d sig=%d\n", WIFSTOPPED(st), WSTOPSIG(st));
	kill(c, SIGCONT);
	waitpid(c, &st, WCONTINUED);
	printf("continued=%d\n", WIFCONTINUED(st));
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	printf("killed=%d\n", WTERMSIG(st));
	c = fork();
	if (c == 0) {
		struct timespec a, b, req = { 0, 500000000 };
		int r;

		clock_gettime(CLOCK_MONOTONIC, &a);
		r = nanosleep(&req, NULL);
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("stopped nanosleep r=%d full time=%d\n", r, ms_between(&a, &b) >= 500);
		_exit(0);
	}
	usleep(100000);
	kill(c, SIGSTOP);
	usleep(100000);
	kill(c, SIGCONT);
	waitpid(c, &st, 0);
	printf("stopped sleeper exit=%d\n", WEXITSTATUS(st));
}

/* A blocked signal stays pending; setting it to SIG_IGN discards it. */
static void check_pending(void)
{
	sigset_t set, pend;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	raise(SIGUSR2);
	sigpending(&pend);
	printf("pending usr2=%d\n", sigismember(&pend, SIGUSR2));
	signal(SIGUSR2, SIG_IGN);
	sigpending(&pend);
	printf("after ignore=%d\n", sigismember(&pend, SIGUSR2));
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Error returns of process calls, and the open-files limit a job inherits. */
static void check_errors(void)
{
	struct rlimit rl;
	struct timespec ts;
	int r;

	getrlimit(RLIMIT_NOFILE, &rl);
	printf("nofile %ld %ld\n", (long)rl.rlim_cur, (long)rl.rlim_max);
	if (fork() == 0) {
		setpgid(0, 0);
		r = setsid();
		printf("setsid as group leader=%d %s\n", r, errname(errno));
		_exit(0);
	}
	wait(NULL);
	r = waitpid(-1, NULL, WNOHANG);
	printf("waitpid no children: %d %s\n", r, errname(errno));
	r = waitpid(-1, NULL, 0x1000);
	printf("waitpid bad options: %d %s\n", r, errname(errno));
	r = kill(30000, 0);
	printf("kill missing pid: %d %s\n", r, errname(errno));
	printf("tgkill self 0: %d\n", (int)syscall(SYS_tgkill, getpid(), gettid(), 0));
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	r = clock_gettime(99, &ts);
	printf("cputime ok=%d, bad clock=%d %s\n", ts.tv_sec >= 0, r, errname(errno));
}

/* vfork, a #! script, and exec of a missing file. */
static void check_vfork_exec(void)
{
	FILE *f = fopen("/tmp/sig-t.sh", "w");
	int st;
	pid_t c;

	fputs("#!/bin/sh\necho \"script $1\"\nexit 5\n", f);
	fclose(f);
	chmod("/tmp/sig-t.sh", 0755);
	c = vfork();
	if (c == 0)
		_exit(3);
	waitpid(c, &st, 0);
	printf("vfork=%d\n", WEXITSTATUS(st));
	c = fork();
	if (c == 0) {
		execl("/tmp/sig-t.sh", "sig-t.sh", "arg1", NULL);
		_exit(99);
	}
	waitpid(c, &st, 0);
	printf("script=%d\n", WEXITSTATUS(st));
	c = fork();
	if (c == 0) {
		execl("/nonexistent", "x", NULL);
		_exit(errno == ENOENT ? 2 : 1);
	}
	waitpid(c, &st, 0);
	printf("exec missing: enoent=%d\n", WEXITSTATUS(st) == 2);
	unlink("/tmp/sig-t.sh");
}

/* waitid: WNOWAIT leaves the zombie, P_ALL reaps it, ECHILD, WNOHANG with nothing to
 * report, CLD_KILLED, and EINVAL without any of WEXITED/WSTOPPED/WCONTINUED. */
static void check_waitid(void)
{
	siginfo_t si;
	pid_t c = fork();
	int r;

	if (c == 0)
		_exit(9);
	memset(&si, 0xff, sizeof(si));
	r = waitid(P_PID, c, &si, WEXITED | WNOWAIT);
	printf("nowait r=%d code=%d status=%d pid_ok=%d\n", r, si.si_code, si.si_status,
	       si.si_pid == c);
	r = waitid(P_ALL, 0, &si, WEXITED);
	printf("reap r=%d code=%d status=%d\n", r, si.si_code, si.si_status);
	r = waitid(P_ALL, 0, &si, WEXITED);
	printf("echild r=%d %s\n", r, errname(errno));
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	r = waitid(P_PID, c, &si, WEXITED | WNOHANG);
	printf("nohang r=%d pid=%d\n", r, si.si_pid);
	kill(c, SIGKILL);
	r = waitid(P_PID, c, &si, WEXITED);
	printf("killed r=%d code=%d (CLD_KILLED=%d) status=%d\n", r, si.si_code, CLD_KILLED,
	       si.si_status);
	r = waitid(P_ALL, 0, &si, 0);
	printf("einval r=%d %s\n", r, errname(errno));
}

static volatile int alarms;

/* SIGALRM handler: count. */
static void on_alarm(int s)
{
	(void)s;
	alarms++;
}

/* alarm(1) fires after about a second; a 50 ms interval timer fires repeatedly;
 * alarm(0) cancels; an unhandled SIGALRM kills. */
static void check_timers(void)
{
	struct itimerval it = { { 0, 50000 }, { 0, 50000 } }, g;
	struct timespec a, b;
	int st;
	pid_t c;

	signal(SIGALRM, on_alarm);
	clock_gettime(CLOCK_MONOTONIC, &a);
	alarm(1);
	pause();
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("alarm fired n=%d after >=1s=%d\n", alarms, ms_between(&a, &b) >= 990);
	setitimer(ITIMER_REAL, &it, NULL);
	while (alarms < 5)
		pause();
	getitimer(ITIMER_REAL, &g);
	printf("periodic n=%d interval=%ld\n", alarms, (long)g.it_interval.tv_usec);
	it.it_value.tv_usec = it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	printf("alarm(0) left=%u\n", alarm(0));
	c = fork();
	if (c == 0) {
		signal(SIGALRM, SIG_DFL);
		alarm(1);
		pause();
		_exit(0);
	}
	waitpid(c, &st, 0);
	printf("unhandled alarm: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int ready, count, f1, f2;

/* Thread: return twice its argument. */
static void *thread_double(void *arg)
{
	return (void *)((long)arg * 2);
}

/* Thread: wait for ready under the condition variable, then count. */
static void *thread_cond(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!ready)
		pthread_cond_wait(&cond, &lock);
	count++;
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Thread: FUTEX_WAIT on f1, then add 10. */
static void *thread_futex(void *arg)
{
	(void)arg;
	syscall(SYS_futex, &f1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	__sync_fetch_and_add(&count, 10);
	return NULL;
}

/* pthread join value, a condition-variable broadcast to 4 threads, futex
 * CMP_REQUEUE and WAKE_OP, and a FUTEX_WAIT timeout. */
static void check_threads(void)
{
	struct timespec ts = { 0, 10000000 };
	pthread_t t[4];
	void *ret;
	long r;

	pthread_create(&t[0], NULL, thread_double, (void *)21);
	pthread_join(t[0], &ret);
	printf("thread ret=%ld\n", (long)ret);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, thread_cond, NULL);
	usleep(50000);
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("condvar count=%d\n", count);
	pthread_create(&t[0], NULL, thread_futex, NULL);
	pthread_create(&t[1], NULL, thread_futex, NULL);
	usleep(50000);
	r = syscall(SYS_futex, &f1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, &f2, 0);
	printf("requeue=%ld\n", r);
	usleep(20000);
	r = syscall(SYS_futex, &f2, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &f1,
		    FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0));
	printf("wake_op=%ld f1=%d\n", r, f1);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	printf("count=%d\n", count);
	r = syscall(SYS_futex, &f2, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
	printf("timeout=%ld %s\n", r, errname(errno));
}

/* Thread: sleep a little, then exec this program with "done". */
static void *thread_exec(void *arg)
{
	(void)arg;
	usleep(50000);
	printf("non-leader thread execs: %d\n", syscall(SYS_gettid) != getpid());
	execl(self, self, "done", NULL);
	printf("exec %s: %s\n", self, errname(errno));
	exit(1);
}

/* Thread: sleep forever in small steps. */
static void *thread_spin(void *arg)
{
	(void)arg;
	for (;;)
		usleep(1000);
	return NULL;
}

/* exec from a non-leader thread and from the leader while another thread runs: the
 * new program is single-threaded with tid == pid. */
static void check_thread_exec(void)
{
	pthread_t t;
	int st;
	pid_t c = fork();

	if (c == 0) {
		pthread_create(&t, NULL, thread_exec, NULL);
		for (;;)
			pause();
	}
	waitpid(c, &st, 0);
	printf("exec from thread: exit=%d\n", WEXITSTATUS(st));
	c = fork();
	if (c == 0) {
		pthread_create(&t, NULL, thread_spin, NULL);
		usleep(20000);
		execl(self, self, "done", NULL);
		_exit(1);
	}
	waitpid(c, &st, 0);
	printf("exec with a thread running: exit=%d\n", WEXITSTATUS(st));
}

static volatile int usr2_blocked_in_handler = -1;

/* Records the signal and whether SIGUSR2 is blocked while the handler runs. */
static void on_usr1(int sig)
{
	sigset_t m;

	sigprocmask(SIG_BLOCK, NULL, &m);
	usr2_blocked_in_handler = sigismember(&m, SIGUSR2);
	got = sig;
}

/* Prints a raw syscall's result and errno name. */
static void show(const char *name, long r)
{
	printf("%s: %ld %s\n", name, r, r < 0 ? errname(errno) : "");
}

static int usr1_blocked(void)
{
	sigset_t m;

	sigprocmask(SIG_BLOCK, NULL, &m);
	return sigismember(&m, SIGUSR1);
}

static int usr1_pending(void)
{
	sigset_t m;

	sigpending(&m);
	return sigismember(&m, SIGUSR1);
}

/* One ppoll (or pselect6) with mask on a pipe's read end: prints its result, and
 * whether the handler ran, SIGUSR1 is still blocked and still pending after it. */
static void wait_with_mask(const char *name, int fd, const sigset_t *mask, long ms, bool sel)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };
	struct pollfd p = { fd, POLLIN, 0 };
	fd_set in;
	int r;

	got = 0;
	usr2_blocked_in_handler = -1;
	FD_ZERO(&in);
	FD_SET(fd, &in);
	errno = 0;
	r = sel ? pselect(fd + 1, &in, NULL, NULL, &ts, mask) : ppoll(&p, 1, &ts, mask);
	printf("%s: r=%d %s handler=%d usr2 blocked in handler=%d usr1 blocked=%d pending=%d\n",
	       name, r, r < 0 ? errname(errno) : "", got, usr2_blocked_in_handler,
	       usr1_blocked(), usr1_pending());
}

/* ppoll and pselect6 put their signal mask in place for the wait only: a signal it
 * unblocks ends the wait with EINTR and its handler runs (seeing the temporary
 * mask), one it blocks waits until after the call; a ready fd wins over a pending
 * signal, which stays pending under the old mask. Bad masks: EINVAL, EFAULT. */
static void check_sigmask_waits(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t empty, usr1, both;
	struct timespec ts = { 0, 0 };
	struct pollfd p;
	int pp[2];

	pipe(pp);
	p = (struct pollfd){ pp[0], POLLIN, 0 };
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&empty);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&both);
	sigaddset(&both, SIGUSR1);
	sigaddset(&both, SIGUSR2);
	sigprocmask(SIG_SETMASK, &both, NULL);
	show("ppoll bad size", syscall(SYS_ppoll, &p, 1, &ts, &empty, 7));
	show("ppoll bad mask", syscall(SYS_ppoll, &p, 1, &ts, (void *)8, 8));
	show("pselect bad pack", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts, (void *)8));
	show("pselect bad size", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts,
					 (unsigned long[]){ (unsigned long)&empty, 7 }));
	show("pselect bad mask", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts,
					 (unsigned long[]){ 8, 8 }));
	show("pselect no mask in pack", syscall(SYS_pselect6, 0, NULL, NULL, NULL, &ts,
						(unsigned long[]){ 0, 7 }));
	raise(SIGUSR1);
	wait_with_mask("ppoll mask blocking usr1", pp[0], &usr1, 50, false);
	wait_with_mask("ppoll empty mask", pp[0], &empty, 1000, false);
	raise(SIGUSR1);
	wait_with_mask("pselect empty mask", pp[0], &empty, 1000, true);
	raise(SIGUSR1);
	wait_with_mask("ppoll no mask", pp[0], NULL, 50, false);
	write(pp[1], "x", 1);
	wait_with_mask("ppoll ready, empty mask", pp[0], &empty, 1000, false);
	wait_with_mask("pselect ready, empty mask", pp[0], &empty, 1000, true);
	sigprocmask(SIG_SETMASK, &empty, NULL);
	printf("after unblock: handler=%d\n", got);
	sigprocmask(SIG_SETMASK, &empty, NULL);
	close(pp[0]);
	close(pp[1]);
	signal(SIGUSR1, SIG_DFL);
}

int main(int argc, char **argv)
{
	self = argv[0];
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "done")) {
		printf("after exec: tid==pid %d\n", syscall(SYS_gettid) == getpid());
		return 4;
	}
	check_handler_eintr();
	check_stop_continue();
	check_pending();
	check_errors();
	check_vfork_exec();
	check_waitid();
	check_timers();
	check_threads();
	check_thread_exec();
	check_sigmask_waits();
	return 0;
}
