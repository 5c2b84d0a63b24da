/*
 * pty: pseudo-terminals against Linux: posix_openpt/grantpt/unlockpt/ptsname and
 * the ptmx ioctls, the /dev/pts nodes, termios on both sides, canonical and raw
 * reads through the slave's line discipline (echo, erase, kill, EOF, ICRNL, ONLCR,
 * VMIN/VTIME), a child session with the slave as controlling tty receiving ^C, ^Z,
 * SIGWINCH and the hang-up when the master closes, master reads failing with EIO
 * after the slave closes, bad pointers and bad ioctls, an interactive busybox sh
 * driven through the master (only markers of its output are printed: prompts and
 * line editing differ in detail), and an interactive bash whose whole transcript is
 * printed (job numbers' pids masked): commands, a pipeline, a failing command and
 * $?, a background job with jobs, fg and ^C, and ^D to leave. Packet mode (TIOCPKT):
 * the data byte, flush and flow-control status bytes, POLLPRI.
 *
 * Prints one line per checked call: the call as written, its result, the errno name.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CHECK_WIDTH 48
#define CHECK_SEP "->"
#define CHECK_FLUSH 1
#include "check.h"

static char buf[4096];

/* Seconds on the monotonic clock. */
static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Print bytes with control characters escaped. */
static void show(const char *what, const char *s, long n)
{
	printf("%s: %ld \"", what, n);
	for (long i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (c == '\n')
			printf("\\n");
		else if (c == '\r')
			printf("\\r");
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\"\n");
	fflush(stdout);
}

/* Read what the fd has now (waiting up to 1 s for the first byte) and show it. */
static void drain(const char *what, int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	long n = 0, r;

	if (poll(&p, 1, 1000) > 0 && (p.revents & POLLIN)) {
		usleep(50000);
		r = read(fd, buf, sizeof(buf));
		n = r;
		if (r < 0) {
			printf("%s: read -> -1 %s\n", what, errname(errno));
			return;
		}
	}
	show(what, buf, n);
}

static int open_pair(int *slave)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	grantpt(m);
	unlockpt(m);
	*slave = open(ptsname(m), O_RDWR | O_NOCTTY);
	return m;
}

static void check_open(void)
{
	int m, s, v = -1;
	unsigned n = 99;
	struct stat st;
	DIR *d;
	struct dirent *e;
	char *name;

	CHECK(m = posix_openpt(O_RDWR | O_NOCTTY));
	CHECK(grantpt(m));
	name = ptsname(m);
	printf("ptsname: %s\n", name ? name : "(null)");
	CHECK(ioctl(m, TIOCGPTN, &n));
	printf("ptn: %u\n", n);
	CHECK(ioctl(m, TIOCGPTLCK, &v));
	printf("locked: %d\n", v);
	CHECK(open(name, O_RDWR | O_NOCTTY));
	CHECK(ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY));
	CHECK(unlockpt(m));
	CHECK(ioctl(m, TIOCGPTLCK, &v));
	printf("locked: %d\n", v);
	CHECK(s = open(name, O_RDWR | O_NOCTTY));
	CHECK(stat(name, &st));
	printf("slave: mode %o rdev %u:%u uid %u\n", st.st_mode, major(st.st_rdev),
	       minor(st.st_rdev), st.st_uid);
	CHECK(stat("/dev/ptmx", &st));
	printf("ptmx: mode %o rdev %u:%u\n", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	CHECK(stat("/dev/pts/ptmx", &st));
	printf("pts/ptmx: mode %o rdev %u:%u\n", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	CHECK(isatty(m));
	CHECK(isatty(s));
	printf("ttyname: %s\n", ttyname(s));
	v = 0;
	d = opendir("/dev/pts");
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.')
			v += !strcmp(e->d_name, "ptmx") ? 100 : 1;
	if (d)
		closedir(d);
	printf("/dev/pts: ptmx %d, ptys %d\n", v / 100, v % 100);
	CHECK(ioctl(m, TIOCGPTN, BAD));
	CHECK(ioctl(m, TIOCSPTLCK, BAD));
	CHECK(ioctl(m, TIOCGPTLCK, BAD));
	CHECK(ioctl(m, 0x54ff, &v));
	CHECK(ioctl(s, TIOCGPTN, &n));
	CHECK(ioctl(m, TIOCGWINSZ, BAD));
	CHECK(ioctl(m, TIOCSWINSZ, BAD));
	CHECK(ioctl(s, TCGETS, BAD));
	CHECK(ioctl(m, TCFLSH, 7));
	CHECK(ioctl(m, TIOCGSID, &v));
	CHECK(ioctl(m, TIOCGPGRP, &v));
	printf("master pgrp: %d\n", v);
	CHECK(write(m, BAD, 4));
	CHECK(write(s, "abcd", 4));
	CHECK(read(m, BAD, 4));
	CHECK(fcntl(m, F_SETFL, O_NONBLOCK));
	CHECK(read(m, buf, sizeof(buf)));
	CHECK(fcntl(m, F_SETFL, 0));
	v = open("/dev/null", O_RDONLY);
	CHECK(ptsname(v) == NULL);
	CHECK(unlockpt(v));
	CHECK(grantpt(v));
	close(v);
	CHECK(open("/dev/pts/77", O_RDWR));
	CHECK(v = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
	CHECK(fcntl(v, F_GETFD));
	CHECK(write(m, "peer\n", 5));
	CHECK(read(v, buf, sizeof(buf)));
	CHECK(fstat(v, &st));
	printf("peer: rdev %u:%u\n", major(st.st_rdev), minor(st.st_rdev));
	CHECK(close(v));
	CHECK(ioctl(s, TIOCGPTPEER, O_RDWR));
	CHECK(close(s));
	CHECK(close(m));
	CHECK(stat(name, &st));
	CHECK(m = posix_openpt(O_RDWR | O_NOCTTY));
	printf("ptsname again: %s\n", ptsname(m));
	close(m);
}

static void check_termios(void)
{
	int m, s;
	struct termios t, r;

	m = open_pair(&s);
	CHECK(tcgetattr(s, &t));
	printf("slave: iflag %o oflag %o cflag %o lflag %o vmin %d vtime %d\n", t.c_iflag,
	       t.c_oflag, t.c_cflag, t.c_lflag, t.c_cc[VMIN], t.c_cc[VTIME]);
	CHECK(tcgetattr(m, &r));
	printf("master: iflag %o oflag %o cflag %o lflag %o\n", r.c_iflag, r.c_oflag, r.c_cflag,
	       r.c_lflag);

	/* canonical input, echo, erase, kill, EOF, ICRNL, ONLCR, ECHOCTL */
	CHECK(write(m, "hello\n", 6));
	drain("slave read", s);
	drain("master echo", m);
	CHECK(write(m, "ab\x7f" "c\r", 5));
	drain("slave read", s);
	drain("master echo", m);
	CHECK(write(m, "xyz\x15q\n", 6));
	drain("slave read", s);
	drain("master echo", m);
	CHECK(write(m, "one two\x17three\n", 14));
	drain("slave read", s);
	drain("master echo", m);
	CHECK(write(m, "\x01\n", 2));
	drain("slave read", s);
	drain("master echo", m);
	CHECK(write(m, "eo\x04", 3));
	drain("slave read", s);
	CHECK(write(m, "\x04", 1));
	CHECK(read(s, buf, sizeof(buf)));
	drain("master echo", m);
	CHECK(write(s, "out\nline\n", 9));
	drain("master read", m);
	CHECK(ioctl(s, FIONREAD, &(int){0}));
	CHECK(write(m, "partial", 7));
	{
		int n = -1;

		CHECK(ioctl(s, FIONREAD, &n));
		printf("fionread canon: %d\n", n);
		CHECK(fcntl(s, F_SETFL, O_NONBLOCK));
		CHECK(read(s, buf, sizeof(buf)));
		CHECK(fcntl(s, F_SETFL, 0));
	}
	CHECK(tcflush(s, TCIFLUSH));
	drain("master echo", m);

	/* raw mode: termios round trip, VMIN/VTIME */
	r = t;
	cfmakeraw(&r);
	r.c_cc[VMIN] = 0;
	r.c_cc[VTIME] = 0;
	CHECK(tcsetattr(s, TCSANOW, &r));
	CHECK(tcgetattr(s, &r));
	printf("raw: iflag %o oflag %o cflag %o lflag %o\n", r.c_iflag, r.c_oflag, r.c_cflag,
	       r.c_lflag);
	CHECK(read(s, buf, sizeof(buf)));
	r.c_cc[VTIME] = 2;
	CHECK(tcsetattr(s, TCSANOW, &r));
	{
		double t0 = now();
		long n = read(s, buf, sizeof(buf));

		printf("vtime read: %ld waited %d\n", n, now() - t0 > 0.1);
	}
	r.c_cc[VMIN] = 3;
	r.c_cc[VTIME] = 0;
	CHECK(tcsetattr(s, TCSANOW, &r));
	CHECK(write(m, "a\rb\n", 4));
	CHECK(read(s, buf, sizeof(buf)));
	show("raw read", buf, 4);
	drain("master (no echo)", m);
	CHECK(write(s, "x\ny", 3));
	drain("master raw out", m);
	CHECK(tcsetattr(s, TCSANOW, &t));
	close(s);
	close(m);
}

static volatile sig_atomic_t got_sig;

static void on_sig(int sig)
{
	got_sig = sig;
}

/* Child: a session leader with the slave as its controlling tty, reporting each
 * signal it gets and what its tty does after the hang-up. */
static void session_child(const char *name, int report)
{
	int s, v = 0;
	sigset_t block, old;
	char line[200];
	struct winsize ws;
	int sigs[] = { SIGINT, SIGQUIT, SIGTSTP, SIGWINCH, SIGHUP };
	struct pollfd p;

	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		signal(sigs[i], on_sig);
		sigaddset(&block, sigs[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &old);
	setsid();
	s = open(name, O_RDWR);
	v = tcgetpgrp(s) == getpid();
	snprintf(line, sizeof(line), "child: ctty open %d fg is me %d sid ok %d\n", s >= 0, v,
		 tcgetsid(s) == getpid());
	write(report, line, strlen(line));
	for (int i = 0; i < 5; i++) {
		got_sig = 0;
		while (!got_sig)
			sigsuspend(&old);
		snprintf(line, sizeof(line), "child: got %s\n", strsignal(got_sig));
		if (got_sig == SIGWINCH) {
			ioctl(s, TIOCGWINSZ, &ws);
			snprintf(line, sizeof(line), "child: got %s %dx%d\n", strsignal(got_sig),
				 ws.ws_row, ws.ws_col);
		}
		write(report, line, strlen(line));
		if (got_sig == SIGHUP)
			break;
	}
	long r = read(s, line, 10);

	snprintf(line, sizeof(line), "child: after hangup read %ld", r);
	write(report, line, strlen(line));
	r = write(s, "x", 1);
	snprintf(line, sizeof(line), " write %ld %s", r, errname(errno));
	write(report, line, strlen(line));
	r = ioctl(s, TIOCGPGRP, &v);
	snprintf(line, sizeof(line), " ioctl %ld %s", r, errname(errno));
	write(report, line, strlen(line));
	r = ioctl(s, TIOCSPGRP, &v);
	snprintf(line, sizeof(line), " spgrp %ld %s", r, errname(errno));
	write(report, line, strlen(line));
	p = (struct pollfd){ s, POLLIN | POLLOUT, 0 };
	r = poll(&p, 1, 0);
	snprintf(line, sizeof(line), " poll %ld %#x", r, p.revents);
	write(report, line, strlen(line));
	r = open("/dev/tty", O_RDWR);
	snprintf(line, sizeof(line), " devtty %ld %s\n", r, errname(errno));
	write(report, line, strlen(line));
	_exit(0);
}

/* Reads one report line from the child and prints it. */
static void report_line(int fd)
{
	char c;
	int n = 0;

	while (n < (int)sizeof(buf) - 1 && read(fd, &c, 1) == 1 && c != '\n')
		buf[n++] = c;
	buf[n] = 0;
	printf("%s\n", buf);
	fflush(stdout);
}

static void check_session(void)
{
	int m, s, pipefd[2], v = 0, status;
	struct winsize ws = { 24, 80, 0, 0 };
	char name[64];
	pid_t child;

	m = open_pair(&s);
	strcpy(name, ptsname(m));
	close(s);
	pipe(pipefd);
	child = fork();
	if (child == 0) {
		close(pipefd[0]);
		close(m);
		session_child(name, pipefd[1]);
	}
	close(pipefd[1]);
	report_line(pipefd[0]);
	CHECK(ioctl(m, TIOCGPGRP, &v));
	printf("master sees child's group: %d\n", v == child);
	CHECK(ioctl(m, TIOCGSID, &v));
	printf("master sees child's session: %d\n", v == child);
	CHECK(write(m, "abc\x03", 4));
	report_line(pipefd[0]);
	drain("master echo", m);
	CHECK(write(m, "\x1c", 1));
	report_line(pipefd[0]);
	drain("master echo", m);
	CHECK(write(m, "\x1a", 1));
	report_line(pipefd[0]);
	drain("master echo", m);
	CHECK(ioctl(m, TIOCSWINSZ, &ws));
	report_line(pipefd[0]);
	CHECK(ioctl(m, TIOCGWINSZ, &ws));
	printf("winsize: %dx%d\n", ws.ws_row, ws.ws_col);
	CHECK(close(m));
	report_line(pipefd[0]);
	report_line(pipefd[0]);
	waitpid(child, &status, 0);
	printf("child status %#x\n", status);
	close(pipefd[0]);
}

static void check_slave_close(void)
{
	int m, s, n;
	struct pollfd p;

	m = open_pair(&s);
	CHECK(fcntl(m, F_SETFL, O_NONBLOCK));
	CHECK(read(m, buf, sizeof(buf)));
	p = (struct pollfd){ m, POLLIN | POLLOUT, 0 };
	CHECK(poll(&p, 1, 0));
	printf("master poll: %#x\n", p.revents);
	CHECK(write(s, "bye", 3));
	CHECK(close(s));
	p = (struct pollfd){ m, POLLIN | POLLOUT, 0 };
	CHECK(poll(&p, 1, 0));
	printf("master poll: %#x\n", p.revents);
	CHECK(n = read(m, buf, sizeof(buf)));
	show("master read", buf, n > 0 ? n : 0);
	CHECK(read(m, buf, sizeof(buf)));
	p = (struct pollfd){ m, POLLIN | POLLOUT, 0 };
	CHECK(poll(&p, 1, 0));
	printf("master poll: %#x\n", p.revents);
	CHECK(write(m, "zz\n", 3));
	CHECK(s = open(ptsname(m), O_RDWR | O_NOCTTY));
	CHECK(read(m, buf, sizeof(buf)));
	CHECK(read(s, buf, sizeof(buf)));
	p = (struct pollfd){ s, POLLIN | POLLOUT, 0 };
	CHECK(poll(&p, 1, 0));
	printf("slave poll: %#x\n", p.revents);
	CHECK(close(m));
	p = (struct pollfd){ s, POLLIN | POLLOUT, 0 };
	CHECK(poll(&p, 1, 0));
	printf("slave poll: %#x\n", p.revents);
	CHECK(read(s, buf, sizeof(buf)));
	CHECK(write(s, "x", 1));
	CHECK(ioctl(s, TCGETS, &(struct termios){ 0 }));
	CHECK(close(s));
}

/* Reads the master without waiting and shows the bytes. */
static void pkt_read(const char *what, int m, size_t n)
{
	long r = read(m, buf, n);

	if (r < 0)
		printf("%s: read -> -1 %s\n", what, errname(errno));
	else
		show(what, buf, r);
}

/* TIOCPKT on the master: each read starts with TIOCPKT_DATA or is one status byte. */
static void check_packet(void)
{
	int s, m = open_pair(&s), v = -1;
	struct pollfd p = { 0, POLLIN | POLLPRI, 0 };
	struct termios t;

	fcntl(m, F_SETFL, O_NONBLOCK);
	CHECK(ioctl(m, TIOCGPKT, &v));
	printf("TIOCGPKT: %d\n", v);
	CHECK(ioctl(m, TIOCPKT, &(int){ 1 }));
	CHECK(ioctl(m, TIOCGPKT, &v));
	printf("TIOCGPKT: %d\n", v);
	pkt_read("packet nothing", m, 100);
	CHECK(write(s, "hi", 2));
	pkt_read("packet data", m, 100);
	CHECK(write(s, "xyz", 3));
	pkt_read("packet read of 1", m, 1);
	pkt_read("packet read of 2", m, 2);
	pkt_read("packet rest", m, 100);
	CHECK(tcflush(s, TCIFLUSH));
	p.fd = m;
	CHECK(poll(&p, 1, 0));
	printf("poll revents %#x\n", p.revents);
	pkt_read("packet after TCIFLUSH", m, 100);
	CHECK(tcflush(s, TCOFLUSH));
	pkt_read("packet after TCOFLUSH", m, 100);
	CHECK(write(s, "d", 1));
	CHECK(tcflush(s, TCIOFLUSH));
	pkt_read("packet status before data", m, 100);
	pkt_read("packet then data", m, 100);
	tcgetattr(s, &t);
	t.c_iflag &= ~IXON;
	CHECK(tcsetattr(s, TCSANOW, &t));
	pkt_read("packet IXON off", m, 100);
	t.c_iflag |= IXON;
	CHECK(tcsetattr(s, TCSANOW, &t));
	CHECK(tcsetattr(s, TCSANOW, &t));
	pkt_read("packet IXON on", m, 100);
	t.c_cc[VSTOP] = 'x';
	CHECK(tcsetattr(s, TCSAFLUSH, &t));
	pkt_read("packet VSTOP changed, TCSAFLUSH", m, 100);
	t.c_lflag &= ~ICANON;
	CHECK(tcsetattr(s, TCSANOW, &t));
	pkt_read("packet ICANON off", m, 100);
	CHECK(tcflush(s, TCIFLUSH));
	CHECK(ioctl(m, TIOCPKT, &(int){ 7 }));
	pkt_read("packet on again keeps status", m, 100);
	CHECK(tcflush(s, TCIFLUSH));
	CHECK(ioctl(m, TIOCPKT, &(int){ 0 }));
	CHECK(ioctl(m, TIOCPKT, &(int){ 1 }));
	pkt_read("packet off and on drops status", m, 100);
	CHECK(ioctl(m, TIOCPKT, &(int){ 0 }));
	CHECK(tcflush(s, TCIFLUSH));
	CHECK(poll(&p, 1, 0));
	printf("poll revents %#x\n", p.revents);
	CHECK(ioctl(m, TIOCPKT, &(int){ 1 }));
	pkt_read("no status gathered while off", m, 100);
	CHECK(ioctl(m, TIOCPKT, &(int){ 0 }));
	CHECK(write(s, "plain", 5));
	pkt_read("packet off", m, 100);
	CHECK(ioctl(m, TIOCPKT, BAD));
	CHECK(ioctl(m, TIOCGPKT, BAD));
	CHECK(ioctl(s, TIOCPKT, &(int){ 1 }));
	CHECK(ioctl(s, TIOCGPKT, &v));
	CHECK(ioctl(m, TIOCPKT, &(int){ 1 }));
	CHECK(close(s));
	pkt_read("packet after slave close", m, 100);
	close(m);
}

/* Everything the shell wrote, and how far the checks have looked. */
static char seen[65536];
static size_t seen_len, seen_pos;

/* Reads the master until marker shows up after what earlier calls matched (or 5 s
 * pass, or EIO); 1 when it did. */
static int wait_for(int m, const char *marker)
{
	double end = now() + 5;
	struct pollfd p = { m, POLLIN, 0 };
	char *hit;
	long n;

	for (;;) {
		hit = strstr(seen + seen_pos, marker);
		if (hit) {
			seen_pos = hit - seen + strlen(marker);
			return 1;
		}
		if (now() > end || seen_len + 1 >= sizeof(seen))
			return 0;
		if (poll(&p, 1, 200) <= 0)
			continue;
		n = read(m, seen + seen_len, sizeof(seen) - 1 - seen_len);
		if (n <= 0)
			return 0;
		for (long i = 0; i < n; i++)
			if (!seen[seen_len + i])
				seen[seen_len + i] = ' ';
		seen_len += n;
		seen[seen_len] = 0;
	}
}

static void check_shell(void)
{
	int m, s, status;
	pid_t child;
	struct winsize ws = { 25, 80, 0, 0 };

	m = open_pair(&s);
	ioctl(m, TIOCSWINSZ, &ws);
	child = fork();
	if (child == 0) {
		char name[64];

		strcpy(name, ptsname(m));
		close(m);
		close(s);
		setsid();
		s = open(name, O_RDWR);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		setenv("PS1", "PROMPT> ", 1);
		execl("/bin/busybox", "sh", "-i", (char *)NULL);
		_exit(127);
	}
	printf("shell prompt: %d\n", wait_for(m, "PROMPT> "));
	close(s);
	CHECK(write(m, "echo A$((6*7))\n", 15));
	printf("shell output A42: %d\n", wait_for(m, "A42"));
	printf("shell prompt: %d\n", wait_for(m, "PROMPT> "));
	CHECK(write(m, "tty\n", 4));
	printf("shell tty: %d\n", wait_for(m, "/dev/pts/"));
	printf("shell prompt: %d\n", wait_for(m, "PROMPT> "));
	CHECK(write(m, "sleep 10; echo late\n", 20));
	usleep(300000);
	CHECK(write(m, "\x03", 1));
	printf("shell prompt after ^C: %d\n", wait_for(m, "PROMPT> "));
	printf("  late printed: %d\n", strstr(seen, "\nlate\r\n") != NULL);
	CHECK(write(m, "echo B$((1+1)) $(stty size)\n", 28));
	printf("shell output B2 25 80: %d\n", wait_for(m, "B2 25 80"));
	CHECK(write(m, "exit 3\n", 7));
	wait_for(m, "never");
	waitpid(child, &status, 0);
	printf("shell status %#x\n", status);
	if (getenv("PTY_DEBUG"))
		show("shell said", seen, seen_len);
	CHECK(read(m, buf, sizeof(buf)));
	close(m);
}

/* Starts `bash -i` on a new session with the slave of m as its terminal and a
 * fixed environment; returns its pid. */
static pid_t bash_start(int m)
{
	pid_t child = fork();

	if (child == 0) {
		char name[64];
		int s;

		strcpy(name, ptsname(m));
		close(m);
		setsid();
		s = open(name, O_RDWR);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		if (s > 2)
			close(s);
		clearenv();
		setenv("PS1", "bash$ ", 1);
		setenv("HOME", "/tmp", 1);
		setenv("TERM", "dumb", 1);
		setenv("PATH", "/usr/bin:/bin", 1);
		setenv("INPUTRC", "/dev/null", 1);
		execl("/bin/bash", "bash", "--norc", "--noprofile", "-i", (char *)NULL);
		_exit(127);
	}
	return child;
}

/* Shows what bash wrote since the last look, the pid after "[1] " as N. */
static void bash_show(const char *what, size_t from)
{
	char out[4096];
	size_t n = 0;

	for (size_t i = from; i < seen_pos && n < sizeof(out); i++) {
		out[n++] = seen[i];
		if (n < 4 || memcmp(out + n - 4, "[1] ", 4) || i + 1 >= seen_pos ||
		    seen[i + 1] < '0' || seen[i + 1] > '9' || n == sizeof(out))
			continue;
		out[n++] = 'N';
		while (i + 1 < seen_pos && seen[i + 1] >= '0' && seen[i + 1] <= '9')
			i++;
	}
	show(what, out, n);
}

/* Sends a line to bash and shows everything up to its next prompt. */
static void bash_run(int m, const char *what, const char *line)
{
	size_t from = seen_pos;

	if (write(m, line, strlen(line)) < 0)
		printf("%s: write %s\n", what, errname(errno));
	printf("%s prompt: %d\n", what, wait_for(m, "bash$ "));
	bash_show(what, from);
}

static void check_bash(void)
{
	int m, status;
	pid_t child;
	size_t from;
	struct winsize ws = { 25, 80, 0, 0 };

	seen_len = seen_pos = 0;
	seen[0] = 0;
	m = posix_openpt(O_RDWR | O_NOCTTY);
	grantpt(m);
	unlockpt(m);
	ioctl(m, TIOCSWINSZ, &ws);
	child = bash_start(m);
	printf("bash prompt: %d\n", wait_for(m, "bash$ "));
	bash_show("bash started", 0);
	bash_run(m, "bash echo", "echo A$((6*7)) \"$HOME\"\n");
	bash_run(m, "bash pipeline", "printf 'b\\na\\nc\\n' | sort -r | head -n 2 | tr a-z A-Z\n");
	bash_run(m, "bash failing", "ls /nonexistent; echo status=$?\n");
	bash_run(m, "bash false", "false || echo was false $?\n");
	bash_run(m, "bash background", "sleep 30 &\n");
	bash_run(m, "bash jobs", "jobs\n");
	from = seen_pos;
	CHECK(write(m, "fg\n", 3));
	printf("bash fg: %d\n", wait_for(m, "sleep 30\r\n"));
	usleep(300000);
	bash_show("bash fg", from);
	from = seen_pos;
	CHECK(write(m, "\x03", 1));
	printf("bash prompt after ^C: %d\n", wait_for(m, "bash$ "));
	bash_show("bash ^C", from);
	bash_run(m, "bash after ^C", "echo after=$? ; jobs\n");
	from = seen_pos;
	CHECK(write(m, "\x04", 1));
	wait_for(m, "never");
	seen_pos = seen_len;
	bash_show("bash ^D", from);
	waitpid(child, &status, 0);
	printf("bash status %#x\n", status);
	CHECK(read(m, buf, sizeof(buf)));
	close(m);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_open();
	check_termios();
	check_session();
	check_slave_close();
	check_packet();
	check_shell();
	check_bash();
	return 0;
}
