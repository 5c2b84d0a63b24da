/*
 * devices: character devices and the tty layer against Linux: tty ioctls on the
 * console, a new session taking a serial line as its controlling tty (TIOCSCTTY,
 * TIOCSPGRP, VMIN/VTIME, O_NONBLOCK, SIGTTIN stops and EIO for background readers,
 * TOSTOP, TIOCNOTTY), a tty opened by a session leader becoming its controlling tty,
 * /dev/kmsg, syslog(2), and /dev/null, zero, full, urandom.
 *
 * Prints one line per checked call: the call as written, its result, the errno name.
 * The session test uses /dev/ttyS1: the job's own output never goes through it
 * directly, and the host sends nothing on it while a job runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CHECK_SEP "->"
#include "check.h"

static char buf[512];

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* tty ioctls on the console, which is not this process's controlling tty. */
static void check_console_ioctls(void)
{
	int fd, v = 0, sid = 0;
	struct winsize ws = { 0 };
	struct termios t;
	pid_t child;

	CHECK(open("/dev/tty", O_RDWR));
	fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
	CHECK(ioctl(fd, TIOCGPGRP, &v));
	CHECK(ioctl(fd, TIOCSPGRP, &v));
	CHECK(ioctl(fd, TIOCGSID, &sid));
	CHECK(ioctl(fd, TIOCNOTTY));
	CHECK(ioctl(fd, 0x54ff, &v));
	CHECK(ioctl(fd, TIOCGWINSZ, &ws));
	printf("winsize %d %d\n", ws.ws_row, ws.ws_col);
	CHECK(ioctl(fd, TIOCGWINSZ, (void *)8));
	CHECK(ioctl(fd, TCGETS, (void *)8));
	CHECK(ioctl(fd, FIONREAD, &v));
	CHECK(ioctl(fd, TIOCOUTQ, &v));
	CHECK(ioctl(fd, TIOCGETD, &v));
	printf("ldisc %d\n", v);
	CHECK(ioctl(fd, TCFLSH, 5));
	CHECK(ioctl(fd, TCFLSH, TCIFLUSH));
	CHECK(ioctl(fd, TCXONC, 9));
	CHECK(ioctl(fd, TCSBRK, 1));
	CHECK(ioctl(fd, TIOCEXCL));
	CHECK(ioctl(fd, TIOCNXCL));
	CHECK(tcgetattr(fd, &t));
	printf("iflag %o oflag %o cflag %o lflag %o ispeed %d\n", t.c_iflag, t.c_oflag,
	       t.c_cflag, t.c_lflag, (int)cfgetispeed(&t));
	child = fork();
	if (child == 0) {
		CHECK(ioctl(fd, TIOCSCTTY, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	close(fd);
}

/* In a child of the session leader: a read from another process group stops with
 * SIGTTIN; with SIGTTIN ignored it is EIO; TOSTOP and TIOCSPGRP from the background. */
static void check_background(int fd, struct termios *t)
{
	int st, v;
	pid_t g = fork();

	if (g == 0) {
		setpgid(0, 0);
		read(fd, buf, 1);
		_exit(0);
	}
	waitpid(g, &st, WUNTRACED);
	printf("bg read: stopped=%d sig=%d\n", WIFSTOPPED(st), WIFSTOPPED(st) ? WSTOPSIG(st) : 0);
	kill(g, SIGKILL);
	setpgid(0, 0);
	signal(SIGTTIN, SIG_IGN);
	CHECK(read(fd, buf, 1));
	CHECK(write(fd, "", 0));
	t->c_lflag |= TOSTOP;
	signal(SIGTTOU, SIG_IGN);
	CHECK(tcsetattr(fd, TCSANOW, t));
	v = getpgrp();
	CHECK(ioctl(fd, TIOCSPGRP, &v));
	t->c_lflag &= ~TOSTOP;
	CHECK(tcsetattr(fd, TCSANOW, t));
	fflush(stdout);
}

/* A new session takes /dev/ttyS1 as its controlling tty: pgrp and sid ioctls, bad
 * process groups, VMIN=0/VTIME=2 timing out, O_NONBLOCK, job control, TIOCNOTTY. */
static void check_session(void)
{
	int fd, v = 0, sid = 0;
	struct termios t;
	double t0, dt;
	pid_t bg;

	CHECK(setsid() > 0);
	fd = open("/dev/ttyS1", O_RDWR | O_NOCTTY);
	CHECK(ioctl(fd, TIOCSCTTY, 0));
	CHECK(ioctl(fd, TIOCGPGRP, &v) == 0 && v == getpgrp());
	CHECK(ioctl(fd, TIOCGSID, &sid) == 0 && sid == getsid(0));
	v = -1;
	CHECK(ioctl(fd, TIOCSPGRP, &v));
	v = 99999;
	CHECK(ioctl(fd, TIOCSPGRP, &v));
	v = 1;
	CHECK(ioctl(fd, TIOCSPGRP, &v));
	CHECK(ioctl(fd, TIOCSPGRP, (void *)8));
	CHECK(open("/dev/tty", O_RDWR) >= 0);
	tcgetattr(fd, &t);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 2;
	CHECK(tcsetattr(fd, TCSANOW, &t));
	t0 = now();
	CHECK(read(fd, buf, 10));
	dt = now() - t0;
	printf("vtime wait ok: %d\n", dt > 0.15 && dt < 1.0);
	CHECK(fcntl(fd, F_SETFL, O_NONBLOCK));
	CHECK(read(fd, buf, 10));
	fcntl(fd, F_SETFL, 0);
	fflush(stdout);
	bg = fork();
	if (bg == 0) {
		check_background(fd, &t);
		_exit(0);
	}
	waitpid(bg, NULL, 0);
	CHECK(ioctl(fd, TIOCGPGRP, &v) == 0 && v != getpgrp());
	v = getpgrp();
	CHECK(ioctl(fd, TIOCSPGRP, &v));
	CHECK(ioctl(fd, TIOCNOTTY));
	CHECK(ioctl(fd, TIOCGPGRP, &v));
	fflush(stdout);
}

/* A session leader without a controlling tty that opens a tty without O_NOCTTY gets it
 * as its controlling tty (foreground group = its own, /dev/tty opens). It gives the tty
 * up with TIOCNOTTY (which sends SIGHUP to the foreground group, here its own) before
 * exiting: a session leader exiting with a serial line as its
 * controlling tty hangs the line up on Linux, and init's control channel with it. */
static void check_open_acquires_ctty(void)
{
	int fd, sid = 0;

	CHECK(setsid() > 0);
	CHECK(open("/dev/tty", O_RDWR));
	fd = open("/dev/ttyS1", O_RDWR);
	CHECK(tcgetpgrp(fd) == getpgrp());
	CHECK(ioctl(fd, TIOCGSID, &sid) == 0 && sid == getsid(0));
	CHECK(ioctl(fd, TIOCSCTTY, 0));
	CHECK(open("/dev/tty", O_RDWR) >= 0);
	signal(SIGHUP, SIG_IGN);
	CHECK(ioctl(fd, TIOCNOTTY));
	CHECK(open("/dev/tty", O_RDWR));
	fflush(stdout);
}

/* /dev/kmsg: record-sized reads, its lseek rules, a write read back. */
static void check_kmsg(void)
{
	int fd = open("/dev/kmsg", O_RDWR | O_NONBLOCK);

	CHECK(read(fd, buf, 1));
	CHECK(lseek(fd, 0, SEEK_END));
	CHECK(read(fd, buf, sizeof(buf)));
	CHECK(lseek(fd, 0, SEEK_CUR));
	CHECK(lseek(fd, 1, SEEK_SET));
	CHECK(write(fd, "<3>devtest: hello\n", 18));
	CHECK(read(fd, buf, sizeof(buf)) > 0 && buf[0] == '3' && strstr(buf, ";devtest: hello\n") != NULL);
	CHECK(lseek(fd, 0, SEEK_SET));
	CHECK(read(fd, buf, sizeof(buf)) > 0);
	CHECK(lseek(fd, 0, SEEK_DATA));
	close(fd);
}

/* syslog(2): every action, with bad buffers and lengths. */
static void check_syslog(void)
{
	CHECK(klogctl(10, NULL, 0) > 0);
	CHECK(klogctl(3, NULL, 10));
	CHECK(klogctl(3, buf, -1));
	CHECK(klogctl(3, (void *)8, 10));
	CHECK(klogctl(3, buf, 0));
	CHECK(klogctl(99, NULL, 0));
	CHECK(klogctl(8, NULL, 0));
	CHECK(klogctl(8, NULL, 9));
	CHECK(klogctl(8, NULL, 7));
	CHECK(klogctl(9, NULL, 0) >= 0);
	CHECK(klogctl(0, NULL, 0));
	CHECK(klogctl(1, NULL, 0));
	CHECK(klogctl(4, buf, sizeof(buf)) > 0);
	CHECK(klogctl(3, buf, sizeof(buf)));
	CHECK(klogctl(5, NULL, 0));
	CHECK(klogctl(6, NULL, 0));
	CHECK(klogctl(7, NULL, 0));
}

/* /dev/full, /dev/null, /dev/urandom and /dev/zero. */
static void check_mem_devices(void)
{
	int fd = open("/dev/full", O_RDWR);

	CHECK(write(fd, "x", 1));
	CHECK(read(fd, buf, 4) == 4 && buf[0] == 0);
	close(fd);
	fd = open("/dev/null", O_RDWR);
	CHECK(lseek(fd, 100, SEEK_SET));
	CHECK(read(fd, buf, 4));
	CHECK(write(fd, buf, 4));
	close(fd);
	fd = open("/dev/urandom", O_RDWR);
	CHECK(read(fd, buf, 300));
	CHECK(write(fd, buf, 300));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	CHECK(read(fd, buf, 512) == 512 && buf[511] == 0);
	close(fd);
}

int main(void)
{
	pid_t child;

	setvbuf(stdout, NULL, _IONBF, 0);
	check_console_ioctls();
	child = fork();
	if (child == 0) {
		check_session();
		_exit(0);
	}
	waitpid(child, NULL, 0);
	child = fork();
	if (child == 0) {
		check_open_acquires_ctty();
		_exit(0);
	}
	waitpid(child, NULL, 0);
	check_kmsg();
	check_syslog();
	check_mem_devices();
	return 0;
}
