/*
 * threads: glibc's pthreads against Linux: clone3 argument checks, robust lists
 * (EOWNERDEAD after a thread or a process dies holding a lock), 16 threads x
 * 100,000 mutex handoffs, condition variables, pthread_cancel, signals to chosen
 * threads and to the process, thread exit vs exit_group, fork from a threaded
 * process, 1000 thread create+join, affinity, getcpu, futex timeouts on both clocks.
 *
 * Prints one line per check; no tid, pid, address or time is printed, only
 * comparisons.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define HANDOFF_THREADS 16
#define HANDOFFS 100000

static long clone3_raw(void *args, size_t size)
{
	return syscall(SYS_clone3, args, size);
}

/* clone3's size and argument checks, then a fork-like clone3. */
static void check_clone3(void)
{
	struct clone_args a;
	char big[128];
	int st;
	long pid;

	memset(&a, 0, sizeof(a));
	a.exit_signal = SIGCHLD;
	printf("clone3 size0: %s\n", res(clone3_raw(&a, 0)));
	printf("clone3 size63: %s\n", res(clone3_raw(&a, 63)));
	printf("clone3 size4097: %s\n", res(clone3_raw(&a, 4097)));
	printf("clone3 null: %s\n", res(clone3_raw(NULL, sizeof(a))));
	printf("clone3 badptr: %s\n", res(clone3_raw((void *)8, sizeof(a))));
	memset(big, 0, sizeof(big));
	memcpy(big, &a, sizeof(a));
	big[100] = 1;
	printf("clone3 nonzero tail: %s\n", res(clone3_raw(big, sizeof(big))));
	a.exit_signal = 0x100;
	printf("clone3 exit_signal 0x100: %s\n", res(clone3_raw(&a, sizeof(a))));
	a.exit_signal = SIGCHLD;
	a.flags = CLONE_THREAD;
	printf("clone3 thread without sighand: %s\n", res(clone3_raw(&a, sizeof(a))));
	a.flags = CLONE_SIGHAND;
	printf("clone3 sighand without vm: %s\n", res(clone3_raw(&a, sizeof(a))));
	a.flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
	printf("clone3 thread with exit_signal: %s\n", res(clone3_raw(&a, sizeof(a))));
	a.flags = CLONE_SIGHAND | CLONE_VM | CLONE_CLEAR_SIGHAND;
	printf("clone3 sighand+clear_sighand: %s\n", res(clone3_raw(&a, sizeof(a))));
	a.flags = 1ULL << 40;
	printf("clone3 unknown flag: %s\n", res(clone3_raw(&a, sizeof(a))));
	a.flags = 0;
	a.stack = (uint64_t)big;
	printf("clone3 stack without size: %s\n", res(clone3_raw(&a, sizeof(a))));
	a.stack = 0;
	a.stack_size = 4096;
	printf("clone3 size without stack: %s\n", res(clone3_raw(&a, sizeof(a))));
	a.stack_size = 0;
	a.flags = CLONE_NEWPID | CLONE_FS | CLONE_NEWNS;
	printf("clone3 newns+fs: %s\n", res(clone3_raw(&a, sizeof(a))));
	a.flags = 0;
	memset(big, 0, sizeof(big));
	memcpy(big, &a, sizeof(a));
	pid = clone3_raw(big, sizeof(big));
	if (pid == 0)
		_exit(7);
	printf("clone3 fork, zero tail: %s\n", res(pid));
	if (pid > 0) {
		waitpid(pid, &st, 0);
		printf("clone3 child exit: %d\n", WEXITSTATUS(st));
	}
}

/* set_robust_list/get_robust_list, as glibc registers them for each thread. */
static void check_robust_calls(void)
{
	void *head = NULL;
	size_t len = 0;

	const char *r = res(syscall(SYS_get_robust_list, 0, &head, &len));

	printf("get_robust_list self: %s len=%zu set=%d\n", r, len, head != NULL);
	printf("get_robust_list own tid: %s\n",
	       res(syscall(SYS_get_robust_list, gettid(), &head, &len)));
	printf("get_robust_list no such tid: %s\n",
	       res(syscall(SYS_get_robust_list, 99999999, &head, &len)));
	printf("get_robust_list bad head ptr: %s\n",
	       res(syscall(SYS_get_robust_list, 0, (void *)8, &len)));
	printf("set_robust_list len 23: %s\n", res(syscall(SYS_set_robust_list, head, 23)));
}

static pthread_mutex_t robust;

static void *lock_and_exit(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL;
}

static _Atomic int holder_ready;

static void *lock_sleep_exit(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	holder_ready++;
	usleep(100000);
	return NULL;
}

static void *lock_robust_wait(void *arg)
{
	int r = pthread_mutex_lock(&robust);

	*(int *)arg = r;
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(&robust);
	pthread_mutex_unlock(&robust);
	return NULL;
}

/* Robust mutexes: a thread dies holding one (with and without a waiter); a process
 * dies holding a process-shared one. */
static void check_robust_mutex(void)
{
	pthread_mutexattr_t at;
	pthread_mutex_t *shared;
	pthread_t t, w;
	int r, waiter_r = -1, st;
	pid_t pid;

	pthread_mutexattr_init(&at);
	pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &at);
	pthread_create(&t, NULL, lock_and_exit, NULL);
	pthread_join(t, NULL);
	r = pthread_mutex_lock(&robust);
	printf("robust after owner thread exit: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : errname(r));
	printf("robust consistent: %d\n", pthread_mutex_consistent(&robust));
	printf("robust unlock: %d\n", pthread_mutex_unlock(&robust));
	printf("robust relock: %d\n", pthread_mutex_lock(&robust));
	pthread_mutex_unlock(&robust);
	/* A holder dies while we wait on the lock: the kernel must wake us. */
	pthread_create(&t, NULL, lock_sleep_exit, NULL);
	while (!holder_ready)
		usleep(1000);
	r = pthread_mutex_lock(&robust);
	printf("robust waiter woken by owner death: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : errname(r));
	pthread_join(t, NULL);
	pthread_mutex_consistent(&robust);
	pthread_mutex_unlock(&robust);
	/* The woken thread takes it; a second waiter then gets a clean lock. */
	pthread_create(&t, NULL, lock_sleep_exit, NULL);
	while (holder_ready != 2)
		usleep(1000);
	pthread_create(&w, NULL, lock_robust_wait, &waiter_r);
	r = pthread_mutex_lock(&robust);
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(&robust);
	pthread_mutex_unlock(&robust);
	pthread_join(w, NULL);
	pthread_join(t, NULL);
	printf("robust two waiters: exactly one EOWNERDEAD: %d\n", (r == EOWNERDEAD) + (waiter_r == EOWNERDEAD) == 1);
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(shared, &at);
	pid = fork();
	if (pid == 0) {
		pthread_mutex_lock(shared);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	r = pthread_mutex_lock(shared);
	printf("robust after owner process exit: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : errname(r));
	r = pthread_mutex_unlock(shared);
	r = pthread_mutex_lock(shared);
	printf("robust unrecoverable after unlock without consistent: %s\n",
	       r == ENOTRECOVERABLE ? "ENOTRECOVERABLE" : errname(r));
	munmap(shared, 4096);
}

static pthread_mutex_t handoff_lock = PTHREAD_MUTEX_INITIALIZER;
static long handoff_count;

static void *handoff(void *arg)
{
	(void)arg;
	for (int i = 0; i < HANDOFFS; i++) {
		pthread_mutex_lock(&handoff_lock);
		handoff_count++;
		pthread_mutex_unlock(&handoff_lock);
	}
	return NULL;
}

/* 16 threads hand one mutex around 100,000 times each. */
static void check_handoffs(void)
{
	pthread_t t[HANDOFF_THREADS];

	for (int i = 0; i < HANDOFF_THREADS; i++)
		pthread_create(&t[i], NULL, handoff, NULL);
	for (int i = 0; i < HANDOFF_THREADS; i++)
		pthread_join(t[i], NULL);
	printf("handoffs: %ld\n", handoff_count);
}

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv_ping = PTHREAD_COND_INITIALIZER, cv_pong = PTHREAD_COND_INITIALIZER;
static int cv_turn, cv_rounds;

static void *ponger(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_lock);
	for (int i = 0; i < 10000; i++) {
		while (cv_turn != 1)
			pthread_cond_wait(&cv_ping, &cv_lock);
		cv_turn = 0;
		cv_rounds++;
		pthread_cond_signal(&cv_pong);
	}
	pthread_mutex_unlock(&cv_lock);
	return NULL;
}

static int bcast_gen, bcast_woken;

static void *bcast_waiter(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_lock);
	while (!bcast_gen)
		pthread_cond_wait(&cv_ping, &cv_lock);
	bcast_woken++;
	pthread_mutex_unlock(&cv_lock);
	return NULL;
}

/* Condition variables: 10,000 ping-pongs, a broadcast to 8 waiters, and a timed
 * wait on each clock. */
static void check_condvars(void)
{
	pthread_t t, ts[8];
	pthread_condattr_t ca;
	pthread_cond_t mono;
	struct timespec dl;
	int r;

	pthread_create(&t, NULL, ponger, NULL);
	pthread_mutex_lock(&cv_lock);
	for (int i = 0; i < 10000; i++) {
		cv_turn = 1;
		pthread_cond_signal(&cv_ping);
		while (cv_turn != 0)
			pthread_cond_wait(&cv_pong, &cv_lock);
	}
	pthread_mutex_unlock(&cv_lock);
	pthread_join(t, NULL);
	printf("cond ping-pong rounds: %d\n", cv_rounds);

	for (int i = 0; i < 8; i++)
		pthread_create(&ts[i], NULL, bcast_waiter, NULL);
	usleep(50000);
	pthread_mutex_lock(&cv_lock);
	bcast_gen = 1;
	pthread_cond_broadcast(&cv_ping);
	pthread_mutex_unlock(&cv_lock);
	for (int i = 0; i < 8; i++)
		pthread_join(ts[i], NULL);
	printf("cond broadcast woke: %d\n", bcast_woken);

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&mono, &ca);
	pthread_mutex_lock(&cv_lock);
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_nsec += 20000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	r = pthread_cond_timedwait(&mono, &cv_lock, &dl);
	printf("cond timedwait monotonic: %s\n", errname(r));
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_nsec += 20000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	r = pthread_cond_timedwait(&cv_pong, &cv_lock, &dl);
	printf("cond timedwait realtime: %s\n", errname(r));
	pthread_mutex_unlock(&cv_lock);
}

static volatile int cleanup_ran;

static void cleanup(void *arg)
{
	(void)arg;
	cleanup_ran++;
}

static void *cancel_in_sleep(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	for (;;)
		sleep(10);
	pthread_cleanup_pop(0);
	return NULL;
}

static void unlock_cv(void *arg)
{
	(void)arg;
	pthread_mutex_unlock(&cv_lock);
}

static void *cancel_in_condwait(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_lock);
	pthread_cleanup_push(cleanup, NULL);
	pthread_cleanup_push(unlock_cv, NULL);
	for (;;)
		pthread_cond_wait(&cv_pong, &cv_lock);
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

static void *cancel_async(void *arg)
{
	volatile unsigned long n = 0;

	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
	for (;;)
		n++;
	pthread_cleanup_pop(0);
	return NULL;
}

/* pthread_cancel of threads asleep, in a condition wait, and spinning (async). */
static void check_cancel(void)
{
	void *(*fns[3])(void *) = { cancel_in_sleep, cancel_in_condwait, cancel_async };
	const char *names[3] = { "sleep", "condwait", "async" };

	for (int i = 0; i < 3; i++) {
		pthread_t t;
		void *ret = NULL;

		cleanup_ran = 0;
		pthread_create(&t, NULL, fns[i], NULL);
		usleep(50000);
		printf("cancel %s: %d", names[i], pthread_cancel(t));
		pthread_join(t, &ret);
		printf(" joined canceled=%d cleanup=%d\n", ret == PTHREAD_CANCELED, cleanup_ran);
	}
	pthread_mutex_lock(&cv_lock);
	printf("condwait cancel released mutex: yes\n");
	pthread_mutex_unlock(&cv_lock);
}

#define SIG_THREADS 4
static _Atomic int sig_hits[SIG_THREADS + 1];
static pid_t worker_tid[SIG_THREADS];
static _Atomic int sig_stop, sig_ready;
static _Atomic pid_t usr2_tid;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	for (int i = 0; i < SIG_THREADS; i++)
		if (worker_tid[i] == gettid() && si->si_value.sival_int == i)
			sig_hits[i]++;
}

static void on_usr2(int sig)
{
	(void)sig;
	usr2_tid = gettid();
}

static void *sig_worker(void *arg)
{
	int idx = (int)(long)arg;
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	/* Only worker 2 takes SIGUSR2. */
	pthread_sigmask(idx == 2 ? SIG_UNBLOCK : SIG_BLOCK, &s, NULL);
	worker_tid[idx] = gettid();
	sig_ready++;
	while (!sig_stop)
		usleep(1000);
	return NULL;
}

/* rt_sigqueueinfo and rt_tgsigqueueinfo: pointers, ids, signals, and the si_code
 * only the kernel may use for others. */
static void check_sigqueueinfo(pid_t worker)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	printf("rt_tgsigqueueinfo sig 0: %s\n", res(syscall(SYS_rt_tgsigqueueinfo, getpid(), worker, 0, &si)));
	printf("rt_tgsigqueueinfo bad ptr: %s\n", res(syscall(SYS_rt_tgsigqueueinfo, getpid(), worker, 0, (void *)8)));
	printf("rt_tgsigqueueinfo bad ptr tid 0: %s\n", res(syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, 0, (void *)8)));
	printf("rt_tgsigqueueinfo tid 0: %s\n", res(syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, 0, &si)));
	printf("rt_tgsigqueueinfo tgid -1: %s\n", res(syscall(SYS_rt_tgsigqueueinfo, -1, worker, 0, &si)));
	printf("rt_tgsigqueueinfo wrong tgid: %s\n", res(syscall(SYS_rt_tgsigqueueinfo, getpid() + 100000, worker, 0, &si)));
	printf("rt_tgsigqueueinfo sig 65: %s\n", res(syscall(SYS_rt_tgsigqueueinfo, getpid(), worker, 65, &si)));
	printf("rt_sigqueueinfo sig 0: %s\n", res(syscall(SYS_rt_sigqueueinfo, getpid(), 0, &si)));
	printf("rt_sigqueueinfo pid 0: %s\n", res(syscall(SYS_rt_sigqueueinfo, 0, 0, &si)));
	printf("rt_sigqueueinfo pid -3: %s\n", res(syscall(SYS_rt_sigqueueinfo, -3, 0, &si)));
	printf("rt_sigqueueinfo no such pid: %s\n", res(syscall(SYS_rt_sigqueueinfo, 99999999, 0, &si)));
	printf("rt_sigqueueinfo bad ptr: %s\n", res(syscall(SYS_rt_sigqueueinfo, getpid(), 0, (void *)8)));
	si.si_code = SI_USER;
	printf("rt_sigqueueinfo SI_USER to self: %s\n", res(syscall(SYS_rt_sigqueueinfo, getpid(), 0, &si)));
	printf("rt_sigqueueinfo SI_USER to parent: %s\n", res(syscall(SYS_rt_sigqueueinfo, getppid(), 0, &si)));
	si.si_code = SI_TKILL;
	printf("rt_tgsigqueueinfo SI_TKILL to other thread: %s\n",
	       res(syscall(SYS_rt_tgsigqueueinfo, getpid(), worker, 0, &si)));
	printf("rt_tgsigqueueinfo SI_TKILL to self: %s\n",
	       res(syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), 0, &si)));
}

/* Signals to chosen threads (pthread_sigqueue, tgkill) and a process-directed
 * signal that only one thread does not block. */
static void check_thread_signals(void)
{
	struct sigaction sa = { 0 };
	pthread_t t[SIG_THREADS];
	sigset_t s, old;
	int ok = 1;

	sa.sa_sigaction = on_usr1;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGUSR2, on_usr2);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, &old);
	for (int i = 0; i < SIG_THREADS; i++)
		pthread_create(&t[i], NULL, sig_worker, (void *)(long)i);
	while (sig_ready < SIG_THREADS)
		usleep(1000);
	for (int round = 0; round < 25; round++)
		for (int i = 0; i < SIG_THREADS; i++)
			pthread_sigqueue(t[i], SIGUSR1, (union sigval){ .sival_int = i });
	usleep(100000);
	for (int i = 0; i < SIG_THREADS; i++)
		if (sig_hits[i] < 1)
			ok = 0;
	printf("pthread_sigqueue reached the chosen threads: %d\n", ok);
	kill(getpid(), SIGUSR2);
	for (int i = 0; i < 200 && !usr2_tid; i++)
		usleep(5000);
	printf("process signal went to the unblocking thread: %d\n", usr2_tid == worker_tid[2]);
	printf("tgkill wrong tgid: %s\n", res(syscall(SYS_tgkill, getpid() + 100000, worker_tid[0], 0)));
	printf("tgkill sig 0: %s\n", res(syscall(SYS_tgkill, getpid(), worker_tid[0], 0)));
	printf("tgkill bad sig: %s\n", res(syscall(SYS_tgkill, getpid(), worker_tid[0], 65)));
	printf("tgkill tid 0: %s\n", res(syscall(SYS_tgkill, getpid(), 0, SIGUSR1)));
	check_sigqueueinfo(worker_tid[0]);
	sig_stop = 1;
	for (int i = 0; i < SIG_THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	printf("tkill dead thread: %s\n", res(syscall(SYS_tkill, worker_tid[0], 0)));
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

static void *spin_forever(void *arg)
{
	(void)arg;
	for (;;)
		usleep(1000);
	return NULL;
}

static void *child_thread_exit(void *arg)
{
	(void)arg;
	usleep(50000);
	exit(5);
}

static void *trivial(void *arg)
{
	return (void *)((long)arg + 1);
}

/* Thread exit vs exit_group: the main thread's pthread_exit leaves the process
 * running; exit() in any thread ends all of them. */
static void check_exit_kinds(void)
{
	pthread_t t;
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		pthread_create(&t, NULL, child_thread_exit, NULL);
		pthread_exit(NULL);
	}
	waitpid(pid, &st, 0);
	printf("main pthread_exit, thread exit(5): exited=%d status=%d\n", WIFEXITED(st), WEXITSTATUS(st));
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 4; i++)
			pthread_create(&t, NULL, spin_forever, NULL);
		pthread_create(&t, NULL, child_thread_exit, NULL);
		pause();
		_exit(1);
	}
	waitpid(pid, &st, 0);
	printf("thread exit(5) with spinners: exited=%d status=%d\n", WIFEXITED(st), WEXITSTATUS(st));
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 4; i++)
			pthread_create(&t, NULL, spin_forever, NULL);
		usleep(20000);
		syscall(SYS_exit, 9);
	}
	usleep(100000);
	printf("leader exited alone, process alive: %d\n", waitpid(pid, &st, WNOHANG) == 0);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	printf("killed threaded process: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
}

/* fork while other threads run and hold a lock: only the caller lives on. */
static void check_fork_threaded(void)
{
	pthread_t t[4];
	pid_t pid;
	int st;

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, spin_forever, NULL);
	pid = fork();
	if (pid == 0) {
		pthread_t c;
		void *ret;
		int n = 0;
		FILE *f;
		char line[128];

		pthread_create(&c, NULL, trivial, (void *)41L);
		pthread_join(c, &ret);
		f = fopen("/proc/self/status", "r");
		while (f && fgets(line, sizeof(line), f))
			if (sscanf(line, "Threads: %d", &n) == 1)
				break;
		if (f)
			fclose(f);
		_exit(ret == (void *)42L && n == 1 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	printf("fork from threaded process: child status %d\n", WEXITSTATUS(st));
	for (int i = 0; i < 4; i++)
		pthread_cancel(t[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}

/* 1000 pthread create+join, results checked. */
static void check_many_threads(void)
{
	long sum = 0;

	for (long i = 0; i < 1000; i++) {
		pthread_t t;
		void *ret;

		if (pthread_create(&t, NULL, trivial, (void *)i))
			break;
		pthread_join(t, &ret);
		sum += (long)ret;
	}
	printf("1000 threads joined, sum %ld\n", sum);
}

/* Affinity, sched_yield and getcpu. */
static void check_sched(void)
{
	cpu_set_t set, one;
	unsigned cpu = 99, node = 99;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned long small;

	CPU_ZERO(&set);
	printf("sched_getaffinity: %s", res(sched_getaffinity(0, sizeof(set), &set)));
	printf(" count matches online cpus: %d\n", CPU_COUNT(&set) == n);
	printf("sched_getaffinity raw size: %ld\n", syscall(SYS_sched_getaffinity, 0, sizeof(set), &set));
	printf("sched_getaffinity len 4: %s\n", res(syscall(SYS_sched_getaffinity, 0, 4, &small)));
	printf("sched_getaffinity len 12: %s\n", res(syscall(SYS_sched_getaffinity, 0, 12, &set)));
	printf("sched_getaffinity bad ptr: %s\n", res(syscall(SYS_sched_getaffinity, 0, sizeof(set), (void *)8)));
	printf("sched_getaffinity no pid: %s\n", res(sched_getaffinity(99999999, sizeof(set), &set)));
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	printf("sched_setaffinity cpu0: %s\n", res(sched_setaffinity(0, sizeof(one), &one)));
	printf("sched_getcpu after pin: %d\n", sched_getcpu());
	CPU_ZERO(&one);
	printf("sched_setaffinity empty: %s\n", res(sched_setaffinity(0, sizeof(one), &one)));
	printf("sched_setaffinity bad ptr: %s\n", res(sched_setaffinity(0, sizeof(one), (void *)8)));
	printf("sched_setaffinity no pid: %s\n", res(sched_setaffinity(99999999, sizeof(set), &set)));
	sched_setaffinity(0, sizeof(set), &set);
	printf("sched_yield: %s\n", res(sched_yield()));
	printf("getcpu: %s", res(syscall(SYS_getcpu, &cpu, &node, NULL)));
	printf(" cpu in range: %d node: %u\n", (long)cpu < n, node);
	printf("getcpu null args: %s\n", res(syscall(SYS_getcpu, NULL, NULL, NULL)));
	printf("getcpu bad ptr: %s\n", res(syscall(SYS_getcpu, (void *)8, NULL, NULL)));
}

static long futex(uint32_t *uaddr, int op, uint32_t val, const struct timespec *ts, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, ts, NULL, val3);
}

static long ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

/* Futex timeouts: relative (WAIT, either clock) and absolute (WAIT_BITSET,
 * monotonic or realtime), bad timespecs, and the calls that refuse the clock flag. */
static void check_futex_timeouts(void)
{
	uint32_t word = 0;
	struct timespec rel = { 0, 30000000 }, abs, t0, bad = { 0, 1000000000 };
	long r, ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, 0);
	ms = ms_since(&t0);
	printf("futex wait relative: %s waited>=30ms: %d <2s: %d\n", res(r), ms >= 30, ms < 2000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, &rel, 0);
	ms = ms_since(&t0);
	printf("futex wait relative clock_realtime: %s waited>=30ms: %d\n", res(r), ms >= 30);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	abs = t0;
	abs.tv_nsec += 30000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, FUTEX_BITSET_MATCH_ANY);
	ms = ms_since(&t0);
	printf("futex wait_bitset absolute monotonic: %s waited>=29ms: %d\n", res(r), ms >= 29);
	clock_gettime(CLOCK_REALTIME, &abs);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	abs.tv_nsec += 30000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs, FUTEX_BITSET_MATCH_ANY);
	ms = ms_since(&t0);
	printf("futex wait_bitset absolute realtime: %s waited>=29ms: %d\n", res(r), ms >= 29);
	abs.tv_sec = 1;
	abs.tv_nsec = 0;
	printf("futex wait_bitset past deadline: %s\n",
	       res(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, FUTEX_BITSET_MATCH_ANY)));
	printf("futex wait_bitset past realtime deadline: %s\n",
	       res(futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 0, &abs, ~0u)));
	printf("futex wait bad nsec: %s\n", res(futex(&word, FUTEX_WAIT, 0, &bad, 0)));
	bad.tv_sec = -1;
	bad.tv_nsec = 0;
	printf("futex wait negative sec: %s\n", res(futex(&word, FUTEX_WAIT, 0, &bad, 0)));
	printf("futex wait bad timeout ptr: %s\n", res(futex(&word, FUTEX_WAIT, 0, (void *)8, 0)));
	printf("futex wait value mismatch: %s\n", res(futex(&word, FUTEX_WAIT, 1, &rel, 0)));
	printf("futex wait_bitset bitset 0: %s\n", res(futex(&word, FUTEX_WAIT_BITSET, 0, &rel, 0)));
	printf("futex wake clock_realtime: %s\n", res(futex(&word, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, 0)));
	printf("futex wake: %ld\n", futex(&word, FUTEX_WAKE, 1, NULL, 0));
	printf("futex misaligned: %s\n", res(futex((uint32_t *)((char *)&word + 1), FUTEX_WAKE, 1, NULL, 0)));
	printf("futex bad op: %s\n", res(futex(&word, 99, 1, NULL, 0)));
	printf("futex wait bad addr: %s\n", res(futex((uint32_t *)8, FUTEX_WAIT, 0, NULL, 0)));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_clone3();
	check_robust_calls();
	check_robust_mutex();
	check_handoffs();
	check_condvars();
	check_cancel();
	check_thread_signals();
	check_exit_kinds();
	check_fork_threaded();
	check_many_threads();
	check_sched();
	check_futex_timeouts();
	return 0;
}
