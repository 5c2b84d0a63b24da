/*
 * epoll: epoll_create/epoll_create1, epoll_ctl, epoll_wait, epoll_pwait and
 * epoll_pwait2 against Linux: their errors (bad fds, flags, ops, pointers, sizes,
 * loops of nested sets), level- and edge-triggered and one-shot items on pipes and
 * eventfds, sets inside sets, items removed when their file's last fd closes, an
 * eventfd written by a fork()ed child waking the parent, signals interrupting a wait.
 *
 * Prints one line per checked call: a name, its result, the errno name on failure;
 * events as hex masks and the item's data.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

/* Bad pointers, hidden from the compiler's checks. */
static void *volatile nullp;
static volatile unsigned long kptr = 0xffff800000000000UL;
static volatile int minus1 = -1, huge = 0x7fffffff;

#define KPTR ((void *)kptr)

static struct epoll_event evs[8];

/* epoll_wait with a timeout; prints the count and each event's mask and data. */
static void wait_print(const char *name, int ep, int max, int timeout)
{
	int n, i;

	memset(evs, 0, sizeof(evs));
	errno = 0;
	n = epoll_wait(ep, evs, max, timeout);
	printf("%-44s = %d %s", name, n, n < 0 ? errname(errno) : "");
	for (i = 0; i < n; i++)
		printf(" [%#x %lu]", evs[i].events, (unsigned long)evs[i].data.u64);
	printf("\n");
}

static int ctl(int ep, int op, int fd, unsigned events, unsigned long data)
{
	struct epoll_event ev = { .events = events, .data.u64 = data };

	return epoll_ctl(ep, op, fd, &ev);
}

static long ms_since(struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void check_create(void)
{
	int ep;

	R("epoll_create 0", epoll_create(0));
	R("epoll_create -1", epoll_create(-1));
	ep = epoll_create(1);
	printf("%-44s = %d\n", "epoll_create 1 ok", ep >= 0);
	R("  F_GETFD", fcntl(ep, F_GETFD));
	R("  F_GETFL", fcntl(ep, F_GETFL));
	show_fd_link("  link", ep);
	close(ep);
	R("epoll_create1 bad flag", epoll_create1(1));
	R("epoll_create1 O_NONBLOCK", epoll_create1(O_NONBLOCK));
	ep = epoll_create1(EPOLL_CLOEXEC);
	printf("%-44s = %d\n", "epoll_create1 cloexec ok", ep >= 0);
	R("  F_GETFD", fcntl(ep, F_GETFD));
	R("  read", ({ char c; read(ep, &c, 1); }));
	R("  write", write(ep, "x", 1));
	close(ep);
}

static void check_ctl_errors(void)
{
	int ep = epoll_create1(0), ep2 = epoll_create1(0), p[2], reg;
	struct epoll_event ev = { .events = EPOLLIN };

	pipe(p);
	reg = open("/tmp/ep-reg", O_RDWR | O_CREAT | O_TRUNC, 0600);
	R("ctl bad epfd", ctl(99, EPOLL_CTL_ADD, p[0], EPOLLIN, 0));
	R("ctl bad fd", ctl(ep, EPOLL_CTL_ADD, 99, EPOLLIN, 0));
	R("ctl -1 fd", ctl(ep, EPOLL_CTL_ADD, -1, EPOLLIN, 0));
	R("ctl epfd not epoll", ctl(p[0], EPOLL_CTL_ADD, p[1], EPOLLIN, 0));
	R("ctl epfd is a regular file", ctl(reg, EPOLL_CTL_ADD, p[1], EPOLLIN, 0));
	R("ctl add self", ctl(ep, EPOLL_CTL_ADD, ep, EPOLLIN, 0));
	R("ctl add regular file", ctl(ep, EPOLL_CTL_ADD, reg, EPOLLIN, 0));
	R("ctl bad op 0", ctl(ep, 0, p[0], EPOLLIN, 0));
	R("ctl bad op 4", ctl(ep, 4, p[0], EPOLLIN, 0));
	R("ctl add efault", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], BAD));
	R("ctl add kernel ptr", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], KPTR));
	R("ctl add NULL", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], NULL));
	R("ctl efault before ebadf", epoll_ctl(99, EPOLL_CTL_ADD, 98, NULL));
	R("ctl del NULL event (not there)", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL));
	R("ctl mod not there", ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN, 0));
	R("ctl add", ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
	R("ctl add again", ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
	R("ctl mod", ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLET, 2));
	R("ctl mod exclusive", ctl(ep, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 2));
	R("ctl del", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev));
	R("ctl del again", epoll_ctl(ep, EPOLL_CTL_DEL, p[0], &ev));
	R("ctl add no events", ctl(ep, EPOLL_CTL_ADD, p[0], 0, 3));
	R("ctl add write end", ctl(ep, EPOLL_CTL_ADD, p[1], EPOLLOUT | EPOLLRDHUP, 4));
	wait_print("wait write end ready", ep, 8, 0);
	R("ctl add excl + EPOLLPRI", ctl(ep2, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLPRI | EPOLLEXCLUSIVE, 0));
	R("ctl add excl + EPOLLONESHOT", ctl(ep2, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLONESHOT | EPOLLEXCLUSIVE, 0));
	R("ctl add excl of an epoll fd", ctl(ep2, EPOLL_CTL_ADD, ep, EPOLLIN | EPOLLEXCLUSIVE, 0));
	R("ctl add excl", ctl(ep2, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLEXCLUSIVE, 5));
	R("ctl mod of excl item", ctl(ep2, EPOLL_CTL_MOD, p[0], EPOLLIN, 5));
	R("ctl del excl item", epoll_ctl(ep2, EPOLL_CTL_DEL, p[0], NULL));
	R("ctl add unknown bits", ctl(ep2, EPOLL_CTL_ADD, p[0], 0x00ff0000 | EPOLLIN, 6));
	R("ctl mod rdhup", ctl(ep2, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLRDHUP, 6));
	close(reg);
	unlink("/tmp/ep-reg");
	close(p[0]);
	close(p[1]);
	close(ep);
	close(ep2);
}

static void check_wait_errors(void)
{
	int ep = epoll_create1(0), p[2], efd = eventfd(0, 0);
	struct timespec ts = { 0, 1000000000 };
	sigset_t set;

	sigemptyset(&set);
	pipe(p);
	R("wait maxevents 0", epoll_wait(ep, evs, 0, 0));
	R("wait maxevents -1", epoll_wait(ep, evs, minus1, 0));
	R("wait maxevents huge", epoll_wait(ep, evs, huge, 0));
	R("wait bad epfd", epoll_wait(99, evs, 1, 0));
	R("wait not epoll", epoll_wait(p[0], evs, 1, 0));
	R("wait einval before ebadf", epoll_wait(99, evs, 0, 0));
	R("wait kernel ptr", epoll_wait(ep, KPTR, 1, 0));
	R("wait NULL nothing ready", epoll_wait(ep, nullp, 1, 0));
	R("wait efault before ebadf", epoll_wait(99, KPTR, 1, 0));
	ctl(ep, EPOLL_CTL_ADD, efd, EPOLLIN, 7);
	eventfd_write(efd, 1);
	R("wait bad ptr, one ready", epoll_wait(ep, BAD, 1, 0));
	wait_print("wait again gets it", ep, 8, 0);
	R("pwait bad sigsetsize raw", syscall(SYS_epoll_pwait, ep, evs, 1, 0, &set, 7));
	R("pwait bad sigmask ptr", syscall(SYS_epoll_pwait, ep, evs, 1, 0, BAD, 8));
	R("pwait NULL mask any size", syscall(SYS_epoll_pwait, ep, evs, 1, 0, NULL, 3));
	R("pwait2 bad timeout ptr", syscall(SYS_epoll_pwait2, ep, evs, 1, BAD, NULL, 8));
	R("pwait2 nsec 1e9", syscall(SYS_epoll_pwait2, ep, evs, 1, &ts, NULL, 8));
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	R("pwait2 negative sec", syscall(SYS_epoll_pwait2, ep, evs, 1, &ts, NULL, 8));
	ts.tv_sec = 0;
	R("pwait2 zero", syscall(SYS_epoll_pwait2, ep, evs, 1, &ts, NULL, 8));
	R("pwait2 bad sigsetsize", syscall(SYS_epoll_pwait2, ep, evs, 1, &ts, &set, 9));
	R("pwait2 maxevents 0", syscall(SYS_epoll_pwait2, ep, evs, 0, &ts, NULL, 8));
	eventfd_write(efd, 1);
	R("pwait2 ready", syscall(SYS_epoll_pwait2, ep, evs, 1, &ts, NULL, 8));
	close(p[0]);
	close(p[1]);
	close(efd);
	close(ep);
}

/* Level-triggered, edge-triggered and one-shot items on a pipe's read end. */
static void check_triggers(void)
{
	int lt = epoll_create1(0), et = epoll_create1(0), os = epoll_create1(0), p[2];
	char buf[16];

	pipe(p);
	ctl(lt, EPOLL_CTL_ADD, p[0], EPOLLIN, 10);
	ctl(et, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLET, 20);
	ctl(os, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLONESHOT, 30);
	wait_print("lt empty", lt, 8, 0);
	wait_print("et empty", et, 8, 0);
	wait_print("os empty", os, 8, 0);
	write(p[1], "abcd", 4);
	wait_print("lt data", lt, 8, 0);
	wait_print("lt data again", lt, 8, 0);
	wait_print("et data", et, 8, 0);
	wait_print("et data again", et, 8, 0);
	wait_print("os data", os, 8, 0);
	wait_print("os data again", os, 8, 0);
	R("read 2", read(p[0], buf, 2));
	wait_print("lt after partial read", lt, 8, 0);
	wait_print("et after partial read", et, 8, 0);
	write(p[1], "ef", 2);
	wait_print("et after more data", et, 8, 0);
	wait_print("et after more data again", et, 8, 0);
	wait_print("os after more data (disabled)", os, 8, 0);
	R("os rearm", ctl(os, EPOLL_CTL_MOD, p[0], EPOLLIN | EPOLLONESHOT, 31));
	wait_print("os rearmed", os, 8, 0);
	wait_print("os rearmed again", os, 8, 0);
	R("read all", read(p[0], buf, sizeof(buf)));
	wait_print("lt drained", lt, 8, 0);
	wait_print("et drained", et, 8, 0);
	R("et mod to lt", ctl(et, EPOLL_CTL_MOD, p[0], EPOLLIN, 21));
	write(p[1], "g", 1);
	wait_print("former et now lt", et, 8, 0);
	wait_print("former et now lt again", et, 8, 0);
	R("lt mod to out only", ctl(lt, EPOLL_CTL_MOD, p[0], EPOLLOUT, 11));
	wait_print("read end polled for out", lt, 8, 0);
	close(p[1]);
	wait_print("writer closed: hup", lt, 8, 0);
	wait_print("writer closed: et hup+in", et, 8, 0);
	read(p[0], buf, sizeof(buf));
	wait_print("writer closed, drained", et, 8, 0);
	close(p[0]);
	close(lt);
	close(et);
	close(os);
}

/* Several ready items, fewer slots: round-robin of level-triggered items. */
static void check_many(void)
{
	int ep = epoll_create1(0), fds[3], i;

	for (i = 0; i < 3; i++) {
		fds[i] = eventfd(1, 0);
		ctl(ep, EPOLL_CTL_ADD, fds[i], EPOLLIN, 100 + i);
	}
	wait_print("three ready, max 2", ep, 2, 0);
	wait_print("three ready, max 2 again", ep, 2, 0);
	wait_print("three ready, max 8", ep, 8, 0);
	R("mod 101 to ET", ctl(ep, EPOLL_CTL_MOD, fds[1], EPOLLIN | EPOLLET, 201));
	wait_print("after mod", ep, 8, 0);
	wait_print("after mod again", ep, 8, 0);
	R("del 100", epoll_ctl(ep, EPOLL_CTL_DEL, fds[0], NULL));
	wait_print("after del", ep, 8, 0);
	for (i = 0; i < 3; i++)
		close(fds[i]);
	wait_print("all closed", ep, 8, 0);
	close(ep);
}

/* Items go when the file's last fd closes; a dup keeps the item alive. */
static void check_close(void)
{
	int ep = epoll_create1(0), a = eventfd(1, 0), b, d;

	ctl(ep, EPOLL_CTL_ADD, a, EPOLLIN, 300);
	b = dup(a);
	close(a);
	wait_print("closed fd, dup open: still reported", ep, 8, 0);
	R("del closed fd", epoll_ctl(ep, EPOLL_CTL_DEL, a, NULL));
	R("del via dup", epoll_ctl(ep, EPOLL_CTL_DEL, b, NULL));
	R("add dup", ctl(ep, EPOLL_CTL_ADD, b, EPOLLIN, 301));
	d = dup(b);
	R("add second fd of same file", ctl(ep, EPOLL_CTL_ADD, d, EPOLLIN, 302));
	wait_print("two items of one file", ep, 8, 0);
	close(b);
	close(d);
	wait_print("last fd closed: gone", ep, 8, 0);
	a = eventfd(1, 0);
	R("new file at old fd: add", ctl(ep, EPOLL_CTL_ADD, a, EPOLLIN, 303));
	wait_print("new file reported", ep, 8, 0);
	close(ep);
	R("file still fine after set closed", eventfd_write(a, 1));
	close(a);
}

/* A set inside a set, poll() on a set, loops and nesting depth. */
static void check_nested(void)
{
	int inner = epoll_create1(0), outer = epoll_create1(0), e = eventfd(0, 0), chain[7], i;
	struct pollfd pfd = { .fd = inner, .events = POLLIN | POLLOUT };

	ctl(inner, EPOLL_CTL_ADD, e, EPOLLIN, 400);
	R("add inner to outer", ctl(outer, EPOLL_CTL_ADD, inner, EPOLLIN, 401));
	R("add outer to inner (loop)", ctl(inner, EPOLL_CTL_ADD, outer, EPOLLIN, 402));
	wait_print("outer, inner idle", outer, 8, 0);
	R("poll inner idle", poll(&pfd, 1, 0));
	eventfd_write(e, 1);
	R("poll inner ready", poll(&pfd, 1, 0));
	printf("%-44s = %#x\n", "  revents", pfd.revents);
	wait_print("outer, inner ready", outer, 8, 0);
	wait_print("inner", inner, 8, 0);
	eventfd_t v;
	eventfd_read(e, &v);
	wait_print("outer, inner drained", outer, 8, 0);
	R("add outer ET to a third", ({ int t = epoll_create1(0); long r = ctl(t, EPOLL_CTL_ADD, outer, EPOLLIN | EPOLLET, 403); close(t); r; }));
	for (i = 0; i < 7; i++)
		chain[i] = epoll_create1(0);
	for (i = 1; i < 7; i++) {
		char name[48];

		snprintf(name, sizeof(name), "chain add %d into %d", i - 1, i);
		R(name, ctl(chain[i], EPOLL_CTL_ADD, chain[i - 1], EPOLLIN, i));
	}
	R("chain close the loop", ctl(chain[0], EPOLL_CTL_ADD, chain[6], EPOLLIN, 0));
	for (i = 0; i < 7; i++)
		close(chain[i]);
	close(inner);
	wait_print("outer after inner closed", outer, 8, 0);
	close(outer);
	close(e);
}

/* A child writes an eventfd the parent sleeps on in epoll_wait(-1). */
static void check_fork_wake(void)
{
	int ep = epoll_create1(0), efd = eventfd(0, 0), status;
	struct timespec t0;
	eventfd_t v = 0;
	pid_t pid;

	ctl(ep, EPOLL_CTL_ADD, efd, EPOLLIN, 500);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		eventfd_write(efd, 5);
		_exit(0);
	}
	wait_print("parent woken by child", ep, 8, -1);
	printf("%-44s = %d\n", "  slept >= 50 ms", ms_since(&t0) >= 50);
	R("  eventfd_read", eventfd_read(efd, &v));
	printf("%-44s = %lu\n", "  value", (unsigned long)v);
	waitpid(pid, &status, 0);
	/* the child shares the set: its item additions show in the parent's set */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int e2 = eventfd(1, 0);

		_exit(ctl(ep, EPOLL_CTL_ADD, e2, EPOLLIN, 501) == 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	printf("%-44s = %d\n", "child add status", WEXITSTATUS(status));
	wait_print("child's item gone with the child", ep, 8, 0);
	close(efd);
	close(ep);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Timeouts, and signals: EINTR even with SA_RESTART, the pwait mask. */
static void check_timeouts_signals(void)
{
	int ep = epoll_create1(0), p[2];
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { .it_value = { 0, 50000 } };
	struct timespec t0, ts = { 0, 30000000 };
	sigset_t set, old;

	pipe(p);
	ctl(ep, EPOLL_CTL_ADD, p[0], EPOLLIN, 600);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	wait_print("wait 30 ms", ep, 8, 30);
	printf("%-44s = %d\n", "  waited >= 30 ms", ms_since(&t0) >= 30);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	R("pwait2 30 ms", syscall(SYS_epoll_pwait2, ep, evs, 8, &ts, NULL, 8));
	printf("%-44s = %d\n", "  waited >= 30 ms", ms_since(&t0) >= 30);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	wait_print("wait -1 with SA_RESTART alarm", ep, 8, -1);
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	setitimer(ITIMER_REAL, &it, NULL);
	R("pwait alarm blocked, 100 ms", epoll_pwait(ep, evs, 8, 100, &set));
	sigprocmask(SIG_BLOCK, NULL, &old);
	printf("%-44s = %d\n", "  mask restored (alarm unblocked)", !sigismember(&old, SIGALRM));
	sigemptyset(&set);
	setitimer(ITIMER_REAL, &it, NULL);
	R("pwait alarm unblocked, -1", epoll_pwait(ep, evs, 8, -1, &set));
	write(p[1], "x", 1);
	R("pwait ready with mask", epoll_pwait(ep, evs, 8, -1, &set));
	close(p[0]);
	close(p[1]);
	close(ep);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_create();
	check_ctl_errors();
	check_wait_errors();
	check_triggers();
	check_many();
	check_close();
	check_nested();
	check_fork_wake();
	check_timeouts_signals();
	return 0;
}
