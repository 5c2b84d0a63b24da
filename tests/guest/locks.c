/*
 * locks: advisory file locks against Linux: fcntl record locks (F_GETLK, F_SETLK,
 * F_SETLKW), OFD locks and flock(2) — their errors, conflicts between processes,
 * merging and splitting of ranges, release on close and at exit, blocking waits that
 * end when the holder lets go or a signal arrives (EINTR), and EDEADLK for two
 * processes waiting for each other.
 *
 * Prints one line per checked call: a name, its result, the errno name on failure.
 * Pids are printed as booleans (is it the holder's pid). Works on /tmp/lk.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHECK_WIDTH 40
#include "check.h"

#define PATH "/tmp/lk"

static pid_t parent;

static long setlk(int fd, int cmd, short type, short whence, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = whence, .l_start = start, .l_len = len };

	return fcntl(fd, cmd, &fl);
}

/* F_GETLK for a range: prints the conflicting lock (type, start, len, owner). */
static void getlk(const char *name, int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len };
	long r = fcntl(fd, cmd, &fl);

	printf("%-40s = %ld %s type %d whence %d start %ld len %ld pid %s\n", name, r,
	       r < 0 ? errname(errno) : "", fl.l_type, fl.l_whence, (long)fl.l_start,
	       (long)fl.l_len, fl.l_pid == parent ? "parent" : fl.l_pid == -1 ? "-1" :
	       fl.l_pid == 0 ? "0" : "other");
}

/* Runs fn in a child process and waits for it; returns its exit status. */
static int in_child(void (*fn)(void))
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WEXITSTATUS(status);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A one-shot 100 ms timer whose SIGALRM interrupts (no SA_RESTART). */
static void arm_alarm(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 100000 } };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static long ms_since(struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void check_errors(void)
{
	int fd = open(PATH, O_RDWR), ro = open(PATH, O_RDONLY), wo = open(PATH, O_WRONLY);
	int op = open(PATH, O_PATH);
	struct flock fl = { .l_type = F_RDLCK, .l_pid = 1 };

	R("getlk unlck", ({ struct flock f = { .l_type = F_UNLCK }; fcntl(fd, F_GETLK, &f); }));
	R("setlk bad type", setlk(fd, F_SETLK, 7, SEEK_SET, 0, 1));
	R("getlk bad type", ({ struct flock f = { .l_type = 9 }; fcntl(fd, F_GETLK, &f); }));
	R("setlk bad whence", setlk(fd, F_SETLK, F_RDLCK, 5, 0, 1));
	R("setlk negative start", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, -1, 1));
	R("setlk negative len past 0", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 3, -4));
	R("setlk len overflow", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 10, 0x7fffffffffffffffL));
	R("setlk start overflow", setlk(fd, F_SETLK, F_RDLCK, SEEK_END, 0x7fffffffffffffffL, 1));
	R("rdlck on wronly", setlk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	R("wrlck on rdonly", setlk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	R("unlck on rdonly", setlk(ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
	R("getlk wrlck on rdonly", ({ struct flock f = { .l_type = F_WRLCK }; fcntl(ro, F_GETLK, &f); }));
	R("setlk bad fd", setlk(99, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	R("setlk o_path", setlk(op, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	R("setlk efault", fcntl(fd, F_SETLK, (struct flock *)8));
	R("getlk efault", fcntl(fd, F_GETLK, (struct flock *)8));
	R("ofd setlk pid", fcntl(fd, F_OFD_SETLK, &fl));
	R("ofd getlk pid", fcntl(fd, F_OFD_GETLK, &fl));
	R("flock bad fd", flock(99, LOCK_SH));
	R("flock bad op", flock(fd, 0));
	R("flock bad op 3", flock(fd, LOCK_SH | LOCK_EX));
	R("flock o_path", flock(op, LOCK_SH));
	R("flock o_path bad op", flock(op, 77));
	R("flock un unlocked", flock(fd, LOCK_UN));
	R("flock rdonly ex", flock(ro, LOCK_EX));
	R("flock rdonly un", flock(ro, LOCK_UN));
	close(fd);
	close(ro);
	close(wo);
	close(op);
}

static int cfd;

static void child_probe_ranges(void)
{
	getlk("child getlk all", cfd, F_GETLK, F_WRLCK, 0, 0);
	getlk("child getlk rd at 20", cfd, F_GETLK, F_RDLCK, 20, 10);
	getlk("child getlk wr at 25", cfd, F_GETLK, F_WRLCK, 25, 1);
	getlk("child getlk free", cfd, F_GETLK, F_WRLCK, 12, 5);
	R("child setlk wr conflict", setlk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	R("child setlk rd on rd", setlk(cfd, F_SETLK, F_RDLCK, SEEK_SET, 20, 5));
	R("child setlk wr free", setlk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 12, 5));
	getlk("child ofd getlk", cfd, F_OFD_GETLK, F_WRLCK, 0, 1);
}

static void child_probe_after(void)
{
	getlk("child getlk 0..100", cfd, F_GETLK, F_WRLCK, 0, 100);
	getlk("child getlk 3..5", cfd, F_GETLK, F_WRLCK, 3, 2);
	getlk("child getlk 5..", cfd, F_GETLK, F_RDLCK, 5, 0);
	getlk("child getlk negative len", cfd, F_GETLK, F_WRLCK, 45, 1);
	getlk("child getlk seek_end", cfd, F_GETLK, F_WRLCK, 100, 1);
}

static void child_probe_free(void)
{
	getlk("child getlk after close", cfd, F_GETLK, F_WRLCK, 0, 0);
}

/* The parent's POSIX locks as another process sees them. */
static void check_posix(void)
{
	int fd = open(PATH, O_RDWR), fd2;

	cfd = fd;
	R("setlk wr 0..10", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	R("setlk rd 20..30", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10));
	R("setlk own overlap", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 25, 1));
	getlk("own getlk", fd, F_GETLK, F_WRLCK, 0, 0);
	in_child(child_probe_ranges);
	R("setlk wr 10..20 merges", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 10, 10));
	R("unlock 3..5 splits", setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 3, 2));
	R("rd lock 6..8 inside wr", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 6, 2));
	R("lock negative len", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 50, -10));
	R("lseek", lseek(fd, 0, SEEK_SET));
	R("lock seek_end", setlk(fd, F_SETLK, F_WRLCK, SEEK_END, 0, 0));
	in_child(child_probe_after);
	fd2 = open(PATH, O_RDONLY);
	R("close other fd drops locks", close(fd2));
	in_child(child_probe_free);
	close(fd);
}

static void child_lock_exit(void)
{
	R("child setlk wr", setlk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	R("child ofd setlk wr", setlk(cfd, F_OFD_SETLK, F_WRLCK, SEEK_SET, 1, 1));
}

static void child_hold_then_exit(void)
{
	setlk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0);
	usleep(300000);
}

static void child_hold_forever(void)
{
	setlk(cfd, F_SETLK, F_WRLCK, SEEK_SET, 0, 0);
	for (;;)
		pause();
}

/* Locks go at exit; F_SETLKW waits for the holder and ends with EINTR on a signal. */
static void check_wait(void)
{
	int fd = open(PATH, O_RDWR), status;
	struct timespec t0;
	pid_t pid;

	cfd = fd;
	in_child(child_lock_exit);
	R("lock after child exit", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	R("posix vs inherited ofd lock", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1));
	R("unlock all", setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	R("ofd unlock all", setlk(fd, F_OFD_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		child_hold_then_exit();
		_exit(0);
	}
	usleep(100000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	R("setlk while held", setlk(fd, F_SETLK, F_RDLCK, SEEK_SET, 7, 1));
	R("setlkw waits for exit", setlk(fd, F_SETLKW, F_RDLCK, SEEK_SET, 7, 1));
	R("waited", ms_since(&t0) >= 100);
	waitpid(pid, &status, 0);
	R("unlock", setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));
	pid = fork();
	if (pid == 0)
		child_hold_forever();
	usleep(100000);
	arm_alarm();
	R("setlkw eintr", setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
	arm_alarm();
	R("ofd setlkw eintr", setlk(fd, F_OFD_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	R("setlkw after kill", setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
	close(fd);
}

/* Two processes each waiting for the other's lock: the second F_SETLKW fails with
 * EDEADLK instead of sleeping; the first gets its lock once the other lets go. */
static void check_deadlock(void)
{
	int fd = open(PATH, O_RDWR), status;
	long unlocked;
	pid_t pid;

	R("parent lock byte 0", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1);
		R("child setlkw byte 0 after parent unlock", setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1));
		fflush(stdout);
		_exit(0);
	}
	usleep(200000);
	R("parent setlkw byte 1: deadlock", setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1));
	R("parent setlk byte 1", setlk(fd, F_SETLK, F_WRLCK, SEEK_SET, 1, 1));
	unlocked = setlk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
	waitpid(pid, &status, 0);	/* the child prints first, whoever runs first */
	R("parent unlock byte 0", unlocked);
	R("parent setlkw byte 1 after child", setlk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1));
	close(fd);
}

/* OFD locks: owned by the open file description, conflict with POSIX locks. */
static void check_ofd(void)
{
	int a = open(PATH, O_RDWR), b = open(PATH, O_RDWR), d = dup(a);

	cfd = a;
	R("ofd setlk a", setlk(a, F_OFD_SETLK, F_WRLCK, SEEK_SET, 0, 10));
	R("ofd setlk b conflict", setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	R("ofd setlk dup ok", setlk(d, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	R("posix setlk vs ofd", setlk(b, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
	getlk("ofd getlk b", b, F_OFD_GETLK, F_RDLCK, 0, 0);
	getlk("posix getlk b", b, F_GETLK, F_RDLCK, 0, 0);
	R("close a keeps ofd", close(a));
	R("ofd still held", setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	R("close dup drops ofd", close(d));
	R("ofd free", setlk(b, F_OFD_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	R("posix lock vs own ofd", setlk(b, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
	close(b);
}

static void child_flock_probe(void)
{
	int other = open(PATH, O_RDONLY);

	R("child flock ex nb", flock(other, LOCK_EX | LOCK_NB));
	R("child flock inherited un", flock(cfd, LOCK_UN));
	R("child flock ex nb after", flock(other, LOCK_EX | LOCK_NB));
}

/* flock: per open file description, conversion, LOCK_NB, release at last close. */
static void check_flock(void)
{
	int a = open(PATH, O_RDWR), b = open(PATH, O_RDONLY), d = dup(a), status;
	pid_t pid;

	cfd = a;
	R("flock ex", flock(a, LOCK_EX));
	R("flock ex again", flock(a, LOCK_EX | LOCK_NB));
	R("flock other ex nb", flock(b, LOCK_EX | LOCK_NB));
	R("flock other sh nb", flock(b, LOCK_SH | LOCK_NB));
	R("flock dup ex", flock(d, LOCK_EX | LOCK_NB));
	R("fcntl lock ignores flock", setlk(b, F_SETLK, F_RDLCK, SEEK_SET, 0, 0));
	R("convert to sh", flock(a, LOCK_SH));
	R("other sh nb", flock(b, LOCK_SH | LOCK_NB));
	R("convert to ex blocked", flock(a, LOCK_EX | LOCK_NB));
	R("other un", flock(b, LOCK_UN));
	R("converted lock gone, ex", flock(a, LOCK_EX | LOCK_NB));
	R("close a keeps (dup open)", close(a));
	R("other still blocked", flock(b, LOCK_SH | LOCK_NB));
	R("close dup releases", close(d));
	R("other sh now", flock(b, LOCK_SH | LOCK_NB));
	R("other un again", flock(b, LOCK_UN));
	a = open(PATH, O_RDWR);
	cfd = a;
	R("flock ex for child", flock(a, LOCK_EX));
	in_child(child_flock_probe);
	R("parent lock gone too", flock(b, LOCK_EX | LOCK_NB));
	R("parent a blocked", flock(a, LOCK_SH | LOCK_NB));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		usleep(200000);
		flock(b, LOCK_UN);
		_exit(0);
	}
	R("flock waits for child's unlock", flock(a, LOCK_SH));
	waitpid(pid, &status, 0);
	R("flock un", flock(a, LOCK_UN));
	pid = fork();
	if (pid == 0) {
		int c = open(PATH, O_RDONLY);

		flock(c, LOCK_EX);
		for (;;)
			pause();
	}
	usleep(100000);
	arm_alarm();
	R("flock eintr", flock(a, LOCK_EX));
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	R("flock after holder killed", flock(a, LOCK_EX | LOCK_NB));
	close(a);
	close(b);
}

int main(void)
{
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parent = getpid();
	fd = open(PATH, O_RDWR | O_CREAT | O_TRUNC, 0644);
	R("ftruncate", ftruncate(fd, 100));
	close(fd);
	check_errors();
	check_posix();
	check_wait();
	check_deadlock();
	check_ofd();
	check_flock();
	unlink(PATH);
	return 0;
}
