/*
 * eventfds: eventfd/eventfd2 against Linux: flags (EFD_SEMAPHORE, EFD_NONBLOCK,
 * EFD_CLOEXEC), the 8-byte rules, the counter's overflow limit, blocking reads and
 * writes ended by another process, poll masks, bad pointers and the anon_inode file
 * it is (/proc/self/fd link, fstat, lseek). timerfd: clocks, flags, one-shot and
 * periodic timers (expiration counts printed as lower bounds), absolute times,
 * gettime/settime's old value, poll and epoll, bad input. signalfd: flags, sizes,
 * the siginfo records of kill, sigqueue, a child's kill and SIGCHLD, mask updates,
 * poll and epoll. POSIX shared memory: shm_open on the /dev/shm tmpfs, a MAP_SHARED
 * mapping (faulted in before the fork) written by a child and read by the parent, data
 * written through the child's own fd, shm_unlink. statx, fstat and fstatfs of the
 * anon_inode files and of a memfd.
 *
 * Prints one line per checked call: a name, its result, the errno name on failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

/* read(2) of n bytes; prints the result and the value read. */
static void rd(const char *name, int fd, size_t n)
{
	uint64_t buf[2] = { 0xdead, 0xdead };
	ssize_t r;

	errno = 0;
	r = read(fd, buf, n);
	printf("%-44s = %ld %s value %#lx\n", name, (long)r, r < 0 ? errname(errno) : "",
	       (unsigned long)buf[0]);
}

static long wr(int fd, uint64_t v, size_t n)
{
	uint64_t buf[2] = { v, 0 };

	return write(fd, buf, n);
}

static void pollmask(const char *name, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT | POLLPRI | POLLRDNORM | POLLWRNORM };
	int r = poll(&p, 1, 0);

	printf("%-44s = %d revents %#x\n", name, r, p.revents);
}

static long ms_since(struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void check_eventfd_basic(void)
{
	char buf[64];
	struct stat st;
	int fd;

	R("eventfd2 bad flags", syscall(SYS_eventfd2, 0, 2));
	R("eventfd2 O_RDWR flag", syscall(SYS_eventfd2, 0, O_RDWR));
	R("eventfd2 all flags", ({ int f = syscall(SYS_eventfd2, 0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE); close(f); f >= 0; }));
	fd = syscall(SYS_eventfd, 0);
	printf("%-44s = %d\n", "eventfd ok", fd >= 0);
	R("  F_GETFD", fcntl(fd, F_GETFD));
	R("  F_GETFL", fcntl(fd, F_GETFL));
	show_fd_link("  link", fd);
	R("  fstat", fstat(fd, &st));
	printf("%-44s = mode %o nlink %ld size %ld blksize %ld\n", "  stat", st.st_mode,
	       (long)st.st_nlink, (long)st.st_size, (long)st.st_blksize);
	R("  lseek", lseek(fd, 5, SEEK_SET));
	pollmask("  poll zero", fd);
	R("  write 7", wr(fd, 7, 8));
	R("  write 4 bytes", wr(fd, 7, 4));
	R("  write 0 bytes", wr(fd, 7, 0));
	R("  write 16 bytes", wr(fd, 1, 16));
	R("  write -1", wr(fd, UINT64_MAX, 8));
	R("  write bad ptr", write(fd, BAD, 8));
	R("  write 0", wr(fd, 0, 8));
	pollmask("  poll eight", fd);
	rd("  read 4 bytes", fd, 4);
	rd("  read 16 bytes", fd, 16);
	close(fd);

	fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
	R("nonblock F_GETFD", fcntl(fd, F_GETFD));
	R("nonblock F_GETFL", fcntl(fd, F_GETFL));
	rd("  read 3", fd, 8);
	rd("  read empty", fd, 8);
	R("  write max", wr(fd, 0xfffffffffffffffeULL, 8));
	pollmask("  poll at max", fd);
	R("  write 1 over max", wr(fd, 1, 8));
	R("  write 0 at max", wr(fd, 0, 8));
	rd("  read max", fd, 8);
	R("  write 5", wr(fd, 5, 8));
	R("  read bad ptr", read(fd, BAD, 8));
	rd("  read after bad ptr (consumed)", fd, 8);
	R("  write half of max", wr(fd, 0x7fffffffffffffffULL, 8));
	R("  write half again", wr(fd, 0x7fffffffffffffffULL, 8));
	R("  write 1 more", wr(fd, 1, 8));
	rd("  read sum", fd, 8);
	close(fd);

	fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	rd("semaphore read", fd, 8);
	rd("semaphore read", fd, 8);
	rd("semaphore read empty", fd, 8);
	R("semaphore write 3", wr(fd, 3, 8));
	rd("semaphore read", fd, 8);
	pollmask("semaphore poll", fd);
	close(fd);
	R("read closed fd", read(fd, buf, 8));
}

/* A blocked read ended by a child's write, a blocked write ended by a child's read. */
static void check_eventfd_blocking(void)
{
	int fd = eventfd(0, 0), status;
	struct timespec t0;
	pid_t pid;

	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		wr(fd, 9, 8);
		_exit(0);
	}
	rd("blocking read woken by child", fd, 8);
	printf("%-44s = %d\n", "  slept >= 50 ms", ms_since(&t0) >= 50);
	waitpid(pid, &status, 0);

	R("fill to max", wr(fd, 0xfffffffffffffffeULL, 8));
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		uint64_t v;

		usleep(50000);
		read(fd, &v, 8);
		_exit(v == 0xfffffffffffffffeULL ? 0 : 1);
	}
	R("blocking write woken by child's read", wr(fd, 4, 8));
	printf("%-44s = %d\n", "  slept >= 50 ms", ms_since(&t0) >= 50);
	waitpid(pid, &status, 0);
	printf("%-44s = %d\n", "  child status", WEXITSTATUS(status));
	rd("  value", fd, 8);
	close(fd);
}

static long ts_ms(const struct timespec *ts)
{
	return ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

static long tfd_set(int fd, int flags, long value_ms, long interval_ms)
{
	struct itimerspec its = {
		.it_value = { value_ms / 1000, value_ms % 1000 * 1000000 },
		.it_interval = { interval_ms / 1000, interval_ms % 1000 * 1000000 },
	};

	return timerfd_settime(fd, flags, &its, NULL);
}

/* timerfd_gettime, printed as "armed" booleans and the exact interval; a periodic
 * timer (max_ms < 0: its period) may be caught at the instant of an expiry, so only
 * the bound is printed. */
static void tfd_get(const char *name, int fd, long max_ms)
{
	struct itimerspec cur;
	long r = timerfd_gettime(fd, &cur);
	bool periodic = max_ms < 0;

	max_ms = periodic ? -max_ms : max_ms;
	printf("%-44s = %ld %s value>0 %d value<=%ld %d interval %ld.%09ld\n", name, r,
	       r < 0 ? errname(errno) : "",
	       periodic || cur.it_value.tv_sec || cur.it_value.tv_nsec, max_ms,
	       ts_ms(&cur.it_value) <= max_ms, (long)cur.it_interval.tv_sec,
	       (long)cur.it_interval.tv_nsec);
}

/* Reads a count and prints whether it is at least min. */
static void tfd_read(const char *name, int fd, uint64_t min)
{
	uint64_t v = 0;
	ssize_t r;

	errno = 0;
	r = read(fd, &v, 8);
	printf("%-44s = %ld %s count>=%lu %d\n", name, (long)r, r < 0 ? errname(errno) : "",
	       (unsigned long)min, v >= min);
}

static void check_timerfd_errors(void)
{
	struct itimerspec its = { .it_value = { 1, 0 } }, bad = { .it_value = { 0, 1000000000 } };
	char buf[64];
	int fd, efd = eventfd(0, 0);
	struct stat st;

	R("timerfd_create bad clock", timerfd_create(99, 0));
	R("timerfd_create CPUTIME clock", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0));
	R("timerfd_create MONOTONIC_RAW", timerfd_create(CLOCK_MONOTONIC_RAW, 0));
	R("timerfd_create bad flags", timerfd_create(CLOCK_MONOTONIC, 1));
	R("timerfd_create O_RDWR flag", timerfd_create(CLOCK_MONOTONIC, O_RDWR));
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	printf("%-44s = %d\n", "timerfd_create ok", fd >= 0);
	R("  F_GETFD", fcntl(fd, F_GETFD));
	R("  F_GETFL", fcntl(fd, F_GETFL));
	show_fd_link("  link", fd);
	R("  fstat", fstat(fd, &st));
	printf("%-44s = mode %o\n", "  stat", st.st_mode);
	R("  lseek", lseek(fd, 3, SEEK_SET));
	tfd_get("  gettime disarmed", fd, 0);
	tfd_read("  read disarmed", fd, 0);
	R("  read 4 bytes", read(fd, buf, 4));
	R("  write", write(fd, buf, 8));
	R("  settime bad flags", timerfd_settime(fd, 4, &its, NULL));
	R("  settime nsec 1e9", timerfd_settime(fd, 0, &bad, NULL));
	bad.it_value.tv_nsec = 0;
	bad.it_interval.tv_nsec = -1;
	R("  settime interval nsec -1", timerfd_settime(fd, 0, &bad, NULL));
	bad.it_interval.tv_nsec = 0;
	bad.it_value.tv_sec = -1;
	R("  settime negative sec", timerfd_settime(fd, 0, &bad, NULL));
	R("  settime NULL", timerfd_settime(fd, 0, NULL, NULL));
	R("  settime bad ptr", timerfd_settime(fd, 0, BAD, NULL));
	R("  settime efault before ebadf", timerfd_settime(99, 0, BAD, NULL));
	R("  settime bad flags before ebadf", timerfd_settime(99, 4, &its, NULL));
	R("  settime bad fd", timerfd_settime(99, 0, &its, NULL));
	R("  settime on an eventfd", timerfd_settime(efd, 0, &its, NULL));
	R("  gettime bad fd", timerfd_gettime(99, (struct itimerspec *)buf));
	R("  gettime on an eventfd", timerfd_gettime(efd, (struct itimerspec *)buf));
	R("  gettime bad ptr", timerfd_gettime(fd, BAD));
	R("  settime bad old ptr", timerfd_settime(fd, 0, &its, BAD));
	tfd_get("  armed anyway", fd, 1000);
	R("  settime cancel-on-set, relative", timerfd_settime(fd, TFD_TIMER_CANCEL_ON_SET, &its, NULL));
	R("  disarm", tfd_set(fd, 0, 0, 0));
	tfd_get("  disarmed", fd, 0);
	close(fd);
	close(efd);
}

static void check_timerfd_timers(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0), ep = epoll_create1(0);
	struct itimerspec its, old;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 77 };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec t0, now;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	R("one-shot 200 ms", tfd_set(fd, 0, 200, 0));
	tfd_get("  gettime", fd, 200);
	R("  poll before", poll(&pfd, 1, 0));
	tfd_read("  blocking read", fd, 1);
	printf("%-44s = %d\n", "  slept >= 200 ms", ms_since(&t0) >= 200);
	tfd_get("  gettime after", fd, 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	tfd_read("  read again", fd, 0);
	R("periodic 10 ms", tfd_set(fd, 0, 10, 10));
	usleep(55000);
	R("  poll", poll(&pfd, 1, 0));
	tfd_read("  read", fd, 5);
	tfd_get("  gettime", fd, -10);
	its = (struct itimerspec){ .it_value = { 5, 0 } };
	R("  settime returns old", timerfd_settime(fd, 0, &its, &old));
	printf("%-44s = value<=10 %d interval %ld.%09ld\n", "  old", ts_ms(&old.it_value) <= 10,
	       (long)old.it_interval.tv_sec, (long)old.it_interval.tv_nsec);
	tfd_read("  settime reset the count", fd, 0);
	tfd_get("  one-shot 5 s", fd, 5000);
	clock_gettime(CLOCK_MONOTONIC, &now);
	its = (struct itimerspec){ .it_value = { now.tv_sec, now.tv_nsec } };
	its.it_value.tv_nsec += 100000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	R("absolute +100 ms", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	tfd_get("  gettime", fd, 100);
	fcntl(fd, F_SETFL, 0);
	tfd_read("  blocking read", fd, 1);
	its = (struct itimerspec){ .it_value = { 0, 1 } };
	R("absolute in the past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	tfd_read("  read", fd, 1);
	close(fd);

	fd = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK);
	clock_gettime(CLOCK_REALTIME, &now);
	its = (struct itimerspec){ .it_value = { now.tv_sec + 1, now.tv_nsec } };
	R("realtime absolute +1 s, cancel-on-set", timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL));
	tfd_get("  gettime", fd, 1000);
	tfd_read("  read now", fd, 0);
	its = (struct itimerspec){ .it_value = { now.tv_sec - 10, 0 } };
	R("realtime absolute in the past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL));
	fcntl(fd, F_SETFL, 0);	/* Linux counts the expiry from its timer interrupt */
	tfd_read("  blocking read", fd, 1);
	close(fd);

	fd = timerfd_create(CLOCK_BOOTTIME, TFD_NONBLOCK);
	R("boottime periodic 20 ms", tfd_set(fd, 0, 20, 20));
	R("  epoll add", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	R("  epoll_wait", epoll_wait(ep, &ev, 1, -1));
	printf("%-44s = %#x %lu\n", "  event", ev.events, (unsigned long)ev.data.u64);
	tfd_read("  read", fd, 1);
	R("  epoll_wait again", epoll_wait(ep, &ev, 1, -1));
	tfd_read("  read", fd, 1);
	R("  disarm", tfd_set(fd, 0, 0, 0));
	R("  epoll_wait disarmed", epoll_wait(ep, &ev, 1, 50));
	close(fd);
	close(ep);
}

/* Reads one record and prints its main fields (pids as "is it who we expect"). */
static void sfd_read(const char *name, int fd, pid_t from)
{
	struct signalfd_siginfo ssi;
	ssize_t r;

	memset(&ssi, 0, sizeof(ssi));
	errno = 0;
	r = read(fd, &ssi, sizeof(ssi));
	printf("%-44s = %ld %s signo %u code %d pid_ok %d uid %u status %d int %d\n", name,
	       (long)r, r < 0 ? errname(errno) : "", ssi.ssi_signo, ssi.ssi_code,
	       ssi.ssi_pid == (uint32_t)from, ssi.ssi_uid, ssi.ssi_status, ssi.ssi_int);
}

static void check_signalfd(void)
{
	sigset_t m, old, m2;
	struct signalfd_siginfo two[2];
	struct pollfd pfd;
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 88 };
	char buf[64];
	int fd, efd = eventfd(0, 0), ep = epoll_create1(0), status;
	struct stat st;
	pid_t pid;

	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	sigaddset(&m, SIGUSR2);
	sigaddset(&m, SIGCHLD);
	sigprocmask(SIG_BLOCK, &m, &old);
	R("signalfd4 bad flags", syscall(SYS_signalfd4, -1, &m, 8, 1));
	R("signalfd4 size 7", syscall(SYS_signalfd4, -1, &m, 7, 0));
	R("signalfd4 size 16", syscall(SYS_signalfd4, -1, &m, 16, 0));
	R("signalfd4 bad mask ptr", syscall(SYS_signalfd4, -1, BAD, 8, 0));
	R("signalfd4 bad fd", syscall(SYS_signalfd4, 99, &m, 8, 0));
	R("signalfd4 -2", syscall(SYS_signalfd4, -2, &m, 8, 0));
	R("signalfd4 on an eventfd", syscall(SYS_signalfd4, efd, &m, 8, 0));
	R("signalfd bad size", syscall(SYS_signalfd, -1, &m, 4));
	fd = signalfd(-1, &m, SFD_NONBLOCK | SFD_CLOEXEC);
	printf("%-44s = %d\n", "signalfd ok", fd >= 0);
	R("  F_GETFD", fcntl(fd, F_GETFD));
	R("  F_GETFL", fcntl(fd, F_GETFL));
	show_fd_link("  link", fd);
	R("  fstat", fstat(fd, &st));
	printf("%-44s = mode %o\n", "  stat", st.st_mode);
	R("  lseek", lseek(fd, 3, SEEK_SET));
	R("  write", write(fd, buf, 8));
	sfd_read("  read empty", fd, 0);
	R("  read 64 bytes", read(fd, buf, 64));
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	R("  poll empty", poll(&pfd, 1, 0));
	kill(getpid(), SIGUSR1);
	R("  poll after kill", poll(&pfd, 1, 0));
	printf("%-44s = %#x\n", "  revents", pfd.revents);
	sfd_read("  read kill", fd, getpid());
	sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 42 });
	sfd_read("  read sigqueue", fd, getpid());
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	R("  read two at once", read(fd, two, sizeof(two)));
	printf("%-44s = %u %u\n", "  signos", two[0].ssi_signo, two[1].ssi_signo);
	kill(getpid(), SIGUSR1);
	R("  read bad ptr", read(fd, BAD, sizeof(two[0])));
	sfd_read("  consumed by the bad read", fd, 0);

	sigemptyset(&m2);
	sigaddset(&m2, SIGUSR2);
	sigaddset(&m2, SIGKILL);
	R("mask update to USR2 (+KILL)", signalfd(fd, &m2, 0) == fd);
	kill(getpid(), SIGUSR1);
	sfd_read("  USR1 not in the mask", fd, 0);
	R("  signalfd with KILL only", ({ sigset_t k; sigemptyset(&k); sigaddset(&k, SIGKILL); int f = signalfd(-1, &k, 0); close(f); f >= 0; }));
	R("mask back", signalfd(fd, &m, 0) == fd);
	sfd_read("  USR1 now", fd, getpid());

	R("epoll add", epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev));
	R("  epoll_wait empty", epoll_wait(ep, &ev, 1, 0));
	kill(getpid(), SIGUSR2);
	R("  epoll_wait after kill", epoll_wait(ep, &ev, 1, 0));
	printf("%-44s = %#x %lu\n", "  event", ev.events, (unsigned long)ev.data.u64);
	sfd_read("  read", fd, getpid());

	fcntl(fd, F_SETFL, 0);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR1);
		_exit(3);
	}
	R("  epoll_wait -1 for the child's kill", epoll_wait(ep, &ev, 1, -1));
	sfd_read("  blocking read: child's kill", fd, pid);
	sfd_read("  blocking read: SIGCHLD", fd, pid);
	waitpid(pid, &status, 0);
	printf("%-44s = %d\n", "  child status", WEXITSTATUS(status));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	sfd_read("  nothing left", fd, 0);
	close(fd);
	close(ep);
	close(efd);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void check_shm(void)
{
	struct stat st;
	char *p;
	int fd, status;
	pid_t pid;

	R("stat /dev/shm", stat("/dev/shm", &st));
	printf("%-44s = dir %d mode %o\n", "  /dev/shm", S_ISDIR(st.st_mode), st.st_mode & 07777);
	fd = shm_open("/evt-shm", O_CREAT | O_EXCL | O_RDWR, 0600);
	printf("%-44s = %d\n", "shm_open create ok", fd >= 0);
	R("  shm_open again O_EXCL", shm_open("/evt-shm", O_CREAT | O_EXCL | O_RDWR, 0600));
	R("  F_GETFD (cloexec)", fcntl(fd, F_GETFD));
	R("  ftruncate 8192", ftruncate(fd, 8192));
	R("  stat /dev/shm/evt-shm", stat("/dev/shm/evt-shm", &st));
	printf("%-44s = reg %d mode %o size %ld\n", "  file", S_ISREG(st.st_mode),
	       st.st_mode & 07777, (long)st.st_size);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	printf("%-44s = %d\n", "  mmap shared ok", p != MAP_FAILED);
	p[0] = p[4096] = 0;	/* faulted in before the fork */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int cfd = shm_open("/evt-shm", O_RDWR, 0);

		strcpy(p, "from the child");
		strcpy(p + 4096, "second page");
		pwrite(cfd, "via the fd", 10, 100);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("%-44s = %s / %s\n", "  parent's mapping sees", p, p + 4096);
	munmap(p, 8192);
	close(fd);
	fd = shm_open("/evt-shm", O_RDONLY, 0);
	{
		char buf[16] = "";

		R("  pread via a new shm_open", pread(fd, buf, 10, 100));
		printf("%-44s = %s\n", "  data", buf);
	}
	close(fd);
	R("  shm_unlink", shm_unlink("/evt-shm"));
	R("  shm_unlink again", shm_unlink("/evt-shm"));
	R("  shm_open missing", shm_open("/evt-shm", O_RDWR, 0));
}

/* Prints the statx fields of fd that do not depend on the boot (ids and times only
 * compared), checks fstat agrees; *first gets the eventfd's for comparison. */
static void anon_statx(const char *what, int fd, struct statx *first)
{
	struct statx sx;
	struct stat st;
	char name[64];

	memset(&sx, 0xa5, sizeof(sx));
	snprintf(name, sizeof(name), "statx %s AT_EMPTY_PATH", what);
	R(name, statx(fd, "", AT_EMPTY_PATH, STATX_ALL, &sx));
	printf("%-44s = mask %x mode %o nlink %u uid %u gid %u size %llu blocks %llu\n", "  fields",
	       sx.stx_mask, sx.stx_mode, sx.stx_nlink, sx.stx_uid, sx.stx_gid,
	       (unsigned long long)sx.stx_size, (unsigned long long)sx.stx_blocks);
	printf("%-44s = blksize %u rdev %u:%u dev major %u attributes %llx\n", "  fields",
	       sx.stx_blksize, sx.stx_rdev_major, sx.stx_rdev_minor, sx.stx_dev_major,
	       (unsigned long long)sx.stx_attributes);
	if (!first->stx_ino)
		*first = sx;
	printf("%-44s = ino %d dev %d mnt_id %d, ino set %d mnt_id set %d\n", "  same as the eventfd's",
	       sx.stx_ino == first->stx_ino, sx.stx_dev_minor == first->stx_dev_minor,
	       sx.stx_mnt_id == first->stx_mnt_id, sx.stx_ino != 0, sx.stx_mnt_id != 0);
	printf("%-44s = %d %d, ctime set %d\n", "  atime == mtime == ctime",
	       sx.stx_atime.tv_sec == sx.stx_mtime.tv_sec &&
	       sx.stx_atime.tv_nsec == sx.stx_mtime.tv_nsec,
	       sx.stx_mtime.tv_sec == sx.stx_ctime.tv_sec &&
	       sx.stx_mtime.tv_nsec == sx.stx_ctime.tv_nsec, sx.stx_ctime.tv_sec > 0);
	R("  fstat", fstat(fd, &st));
	printf("%-44s = ino %d dev %d mode %d nlink %d blksize %d mtime %d\n", "  fstat agrees",
	       st.st_ino == sx.stx_ino,
	       major(st.st_dev) == sx.stx_dev_major && minor(st.st_dev) == sx.stx_dev_minor,
	       st.st_mode == sx.stx_mode, st.st_nlink == sx.stx_nlink,
	       st.st_blksize == sx.stx_blksize, st.st_mtim.tv_sec == sx.stx_mtime.tv_sec);
}

/* statx, fstat, newfstatat and fstatfs of the anon_inode files (on Linux eventfd,
 * timerfd, signalfd and epoll share one inode) and of a memfd, with bad input. */
static void check_anon_stat(void)
{
	struct statx first = { 0 }, sx;
	struct statfs sf;
	struct stat st;
	sigset_t mask;
	int efd = eventfd(0, 0), tfd = timerfd_create(CLOCK_MONOTONIC, 0), sfd, epfd, mfd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR2);
	sfd = signalfd(-1, &mask, 0);
	epfd = epoll_create1(0);
	mfd = memfd_create("stat", 0);
	anon_statx("eventfd", efd, &first);
	anon_statx("timerfd", tfd, &first);
	anon_statx("signalfd", sfd, &first);
	anon_statx("epoll", epfd, &first);
	anon_statx("memfd", mfd, &first);
	R("statx memfd, STATX_BASIC_STATS", statx(mfd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
	printf("%-44s = %x\n", "  mask", sx.stx_mask);
	R("statx memfd, STATX_BTIME", statx(mfd, "", AT_EMPTY_PATH, STATX_BTIME, &sx));
	printf("%-44s = %x, btime set %d, not after ctime %d\n", "  mask", sx.stx_mask,
	       sx.stx_btime.tv_sec > 0, sx.stx_btime.tv_sec <= sx.stx_ctime.tv_sec);
	R("statx eventfd, no AT_EMPTY_PATH", statx(efd, "", 0, STATX_ALL, &sx));
	R("statx eventfd, path x", statx(efd, "x", AT_EMPTY_PATH, STATX_ALL, &sx));
	R("statx eventfd, bad buffer", statx(efd, "", AT_EMPTY_PATH, STATX_ALL, BAD));
	R("statx eventfd, bad path", statx(efd, BAD, AT_EMPTY_PATH, STATX_ALL, &sx));
	R("statx eventfd, bad flags", statx(efd, "", AT_EMPTY_PATH | 0x40000000, STATX_ALL, &sx));
	R("statx eventfd, reserved mask", statx(efd, "", AT_EMPTY_PATH, 0x80000000, &sx));
	R("statx eventfd, mask 0", statx(efd, "", AT_EMPTY_PATH, 0, &sx));
	R("statx closed fd", statx(999, "", AT_EMPTY_PATH, STATX_ALL, &sx));
	R("newfstatat eventfd AT_EMPTY_PATH", fstatat(efd, "", &st, AT_EMPTY_PATH));
	printf("%-44s = mode %o nlink %ld\n", "  stat", st.st_mode, (long)st.st_nlink);
	R("newfstatat timerfd, no AT_EMPTY_PATH", fstatat(tfd, "", &st, 0));
	R("fstat eventfd, bad buffer", fstat(efd, BAD));
	R("fstatfs eventfd", fstatfs(efd, &sf));
	printf("%-44s = type %lx bsize %ld namelen %ld\n", "  statfs", (long)sf.f_type,
	       (long)sf.f_bsize, (long)sf.f_namelen);
	R("fstatfs epoll", fstatfs(epfd, &sf));
	printf("%-44s = type %lx\n", "  statfs", (long)sf.f_type);
	close(efd);
	close(tfd);
	close(sfd);
	close(epfd);
	close(mfd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_eventfd_basic();
	check_eventfd_blocking();
	check_timerfd_errors();
	check_timerfd_timers();
	check_signalfd();
	check_shm();
	check_anon_stat();
	return 0;
}
