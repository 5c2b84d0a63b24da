/*
 * unixio: AF_UNIX beyond plain send/recv, against Linux: SIOCINQ/FIONREAD/SIOCOUTQ,
 * SO_RCVTIMEO/SO_SNDTIMEO (rounding, bad values, EAGAIN after the timeout, EINTR
 * from a signal even with SA_RESTART), sendmmsg/recvmmsg (MSG_WAITFORONE, timeouts,
 * bad input), a datagram sender blocked on its peer's full queue woken by poll,
 * epoll and a blocking send once the peer reads, and unreachable sockets holding
 * each other's fds in flight being freed (many cycles, no fd or memory exhaustion).
 *
 * Prints one line per checked call: a name, its result, the errno name on failure.
 * Timings are printed only as comparisons.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/sockios.h>
#include "check.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int inq(int fd)
{
	int v = -7;

	return ioctl(fd, SIOCINQ, &v) < 0 ? -errno : v;
}

static int outq(int fd)
{
	int v = -7;

	return ioctl(fd, SIOCOUTQ, &v) < 0 ? -errno : v;
}

static void test_ioctl(void)
{
	int sv[2], ds[2], qs[2], l, v = 0;
	char buf[256] = { 0 };

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	R("stream SIOCINQ empty", inq(sv[1]));
	R("stream SIOCOUTQ empty", outq(sv[0]));
	send(sv[0], buf, 100, 0);
	send(sv[0], buf, 50, 0);
	R("stream SIOCINQ 100+50", inq(sv[1]));
	R("stream FIONREAD 100+50", ioctl(sv[1], FIONREAD, &v) < 0 ? -errno : v);
	R("stream SIOCOUTQ while queued > 0", outq(sv[0]) > 0);
	R("stream SIOCOUTQ of the reader", outq(sv[1]));
	recv(sv[1], buf, 30, 0);
	R("stream SIOCINQ after reading 30", inq(sv[1]));
	recv(sv[1], buf, 100, 0);
	R("stream SIOCINQ after reading 100", inq(sv[1]));
	recv(sv[1], buf, 100, 0);
	R("stream SIOCINQ drained", inq(sv[1]));
	R("stream SIOCOUTQ drained", outq(sv[0]));
	R("SIOCINQ bad pointer", ioctl(sv[1], SIOCINQ, BAD));
	R("SIOCOUTQ bad pointer", ioctl(sv[1], SIOCOUTQ, BAD));
	R("TCGETS on a socket", ioctl(sv[1], TCGETS, buf));
	R("ioctl 0x1234 on a socket", ioctl(sv[1], 0x1234, buf));
	R("FIONBIO on a socket", ioctl(sv[1], FIONBIO, &(int){ 1 }));
	R("FIONBIO made it non-blocking", recv(sv[1], buf, 1, 0));
	close(sv[0]);
	R("stream SIOCINQ after peer close", inq(sv[1]));
	close(sv[1]);

	socketpair(AF_UNIX, SOCK_DGRAM, 0, ds);
	send(ds[0], buf, 10, 0);
	send(ds[0], buf, 20, 0);
	R("dgram SIOCINQ: the first datagram", inq(ds[1]));
	recv(ds[1], buf, sizeof(buf), 0);
	R("dgram SIOCINQ: the second", inq(ds[1]));
	send(ds[0], buf, 0, 0);
	recv(ds[1], buf, sizeof(buf), 0);
	R("dgram SIOCINQ: an empty datagram", inq(ds[1]));
	recv(ds[1], buf, sizeof(buf), 0);
	R("dgram SIOCINQ empty", inq(ds[1]));
	close(ds[0]);
	close(ds[1]);

	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, qs);
	send(qs[0], buf, 10, 0);
	send(qs[0], buf, 20, 0);
	R("seqpacket SIOCINQ: all packets", inq(qs[1]));
	close(qs[0]);
	close(qs[1]);

	l = socket(AF_UNIX, SOCK_STREAM, 0);
	R("unbound SIOCINQ", inq(l));
	bind(l, (struct sockaddr *)&(struct sockaddr_un){ AF_UNIX, "\0unixio-l" },
	     offsetof(struct sockaddr_un, sun_path) + 9);
	listen(l, 5);
	R("listener SIOCINQ", inq(l));
	R("listener SIOCOUTQ", outq(l));
	close(l);
}

static int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void show_timeo(const char *name, int fd, int opt)
{
	struct timeval tv = { -7, -7 };
	socklen_t l = sizeof(tv);
	int r = getsockopt(fd, SOL_SOCKET, opt, &tv, &l);

	if (r < 0)
		printf("%-44s = -1 %s\n", name, errname(errno));
	else
		printf("%-44s = len %d %ld.%06ld\n", name, (int)l, (long)tv.tv_sec,
		       (long)tv.tv_usec);
}

static int set_timeo(int fd, int opt, long sec, long usec)
{
	struct timeval tv = { sec, usec };

	return setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

/* A call that should fail with EAGAIN after about ms milliseconds. */
#define TIMED(name, ms, expr) do { \
	long _t0 = now_ms(); \
	errno = 0; \
	long _r = (long)(expr); \
	long _dt = now_ms() - _t0; \
	printf("%-44s = %ld %s waited enough %d not too long %d\n", name, _r, \
	       _r < 0 ? errname(errno) : "", _dt >= (ms) - 5, _dt < (ms) + 2000); \
} while (0)

static void test_timeo(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	int sv[2], ds[2], n = 0;
	char buf[4096] = { 0 };
	struct timeval tv;
	socklen_t l;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	show_timeo("SO_RCVTIMEO default", sv[0], SO_RCVTIMEO);
	show_timeo("SO_SNDTIMEO default", sv[0], SO_SNDTIMEO);
	R("SO_RCVTIMEO 0.1", set_timeo(sv[0], SO_RCVTIMEO, 0, 100000));
	show_timeo("SO_RCVTIMEO 0.1 read", sv[0], SO_RCVTIMEO);
	R("SO_RCVTIMEO 0.000001", set_timeo(sv[0], SO_RCVTIMEO, 0, 1));
	show_timeo("SO_RCVTIMEO rounded up to a tick", sv[0], SO_RCVTIMEO);
	R("SO_RCVTIMEO 2.999999", set_timeo(sv[0], SO_RCVTIMEO, 2, 999999));
	show_timeo("SO_RCVTIMEO 2.999999 read", sv[0], SO_RCVTIMEO);
	R("SO_SNDTIMEO 7.5", set_timeo(sv[0], SO_SNDTIMEO, 7, 500000));
	show_timeo("SO_SNDTIMEO 7.5 read", sv[0], SO_SNDTIMEO);
	show_timeo("SO_RCVTIMEO unchanged", sv[0], SO_RCVTIMEO);
	R("SO_RCVTIMEO usec 1000000", set_timeo(sv[0], SO_RCVTIMEO, 1, 1000000));
	R("SO_RCVTIMEO usec -1", set_timeo(sv[0], SO_RCVTIMEO, 1, -1));
	show_timeo("SO_RCVTIMEO kept after EDOM", sv[0], SO_RCVTIMEO);
	R("SO_RCVTIMEO short optlen", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, 8));
	R("SO_RCVTIMEO bad pointer", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, BAD, 16));
	R("SO_RCVTIMEO long optlen", setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO,
						&(struct timeval[2]){ { 0, 8000 } }, 32));
	show_timeo("SO_RCVTIMEO long optlen read", sv[0], SO_RCVTIMEO);
	l = 8;
	R("getsockopt SO_RCVTIMEO len 8", getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, &l));
	R("getsockopt SO_RCVTIMEO len 8: len", l);
	l = 16;
	R("getsockopt SO_RCVTIMEO bad pointer", getsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, BAD, &l));
	R("SO_RCVTIMEO_NEW 0.2", set_timeo(sv[0], 66, 0, 200000));
	show_timeo("SO_RCVTIMEO after _NEW", sv[0], SO_RCVTIMEO);
	R("SO_RCVTIMEO 0 (forever)", set_timeo(sv[0], SO_RCVTIMEO, 0, 0));
	show_timeo("SO_RCVTIMEO 0 read", sv[0], SO_RCVTIMEO);
	R("SO_RCVTIMEO -1 (never waits)", set_timeo(sv[0], SO_RCVTIMEO, -1, 0));
	show_timeo("SO_RCVTIMEO -1 read", sv[0], SO_RCVTIMEO);
	TIMED("recv with SO_RCVTIMEO -1", 0, recv(sv[0], buf, 1, 0));

	set_timeo(sv[0], SO_RCVTIMEO, 0, 100000);
	TIMED("stream recv after SO_RCVTIMEO 0.1", 100, recv(sv[0], buf, 1, 0));
	TIMED("stream read after SO_RCVTIMEO 0.1", 100, read(sv[0], buf, 1));
	send(sv[1], "xy", 2, 0);
	R("stream recv with data and a timeout", recv(sv[0], buf, 10, 0));
	R("recv MSG_DONTWAIT ignores the timeout", recv(sv[0], buf, 10, MSG_DONTWAIT));
	sigaction(SIGALRM, &sa, NULL);
	set_timeo(sv[0], SO_RCVTIMEO, 5, 0);
	setitimer(ITIMER_REAL, &it, NULL);
	R("recv with a timeout, SA_RESTART signal", recv(sv[0], buf, 1, 0));
	R("alarms", alarms);
	fcntl(sv[1], F_SETFL, O_NONBLOCK);
	while (send(sv[1], buf, sizeof(buf), 0) > 0)
		n++;
	R("stream filled", n > 10);
	fcntl(sv[1], F_SETFL, 0);
	set_timeo(sv[1], SO_SNDTIMEO, 0, 100000);
	TIMED("stream send after SO_SNDTIMEO 0.1", 100, send(sv[1], buf, sizeof(buf), 0));
	TIMED("stream write after SO_SNDTIMEO 0.1", 100, write(sv[1], buf, sizeof(buf)));
	close(sv[0]);
	close(sv[1]);

	socketpair(AF_UNIX, SOCK_DGRAM, 0, ds);
	set_timeo(ds[0], SO_RCVTIMEO, 0, 60000);
	TIMED("dgram recv after SO_RCVTIMEO 0.06", 60, recv(ds[0], buf, 1, 0));
	close(ds[0]);
	close(ds[1]);
}

/* SO_RCVTIMEO on accept and SO_SNDTIMEO on connect to a full backlog: EAGAIN at
 * the deadline, EINTR when a signal comes first (even with SA_RESTART). */
static void test_connect_timeo(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	struct sockaddr_un a = { AF_UNIX, "" };
	socklen_t alen = offsetof(struct sockaddr_un, sun_path) + 12;
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c[4], fl;

	memcpy(a.sun_path, "\0unixio-tmo", 12);
	bind(l, (struct sockaddr *)&a, alen);
	listen(l, 0);
	set_timeo(l, SO_RCVTIMEO, 0, 100000);
	TIMED("accept after SO_RCVTIMEO 0.1", 100, accept(l, NULL, NULL));
	fl = fcntl(l, F_GETFL);
	fcntl(l, F_SETFL, fl | O_NONBLOCK);
	TIMED("non-blocking accept with a timeout", 0, accept(l, NULL, NULL));
	fcntl(l, F_SETFL, fl);
	sigaction(SIGALRM, &sa, NULL);
	set_timeo(l, SO_RCVTIMEO, 5, 0);
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	R("accept with a timeout, SA_RESTART signal", accept(l, NULL, NULL));
	R("alarms", alarms);
	for (int i = 0; i < 4; i++)
		c[i] = socket(AF_UNIX, SOCK_STREAM, 0);
	R("connect 1 to backlog 0", connect(c[0], (struct sockaddr *)&a, alen));
	set_timeo(c[1], SO_SNDTIMEO, 0, 100000);
	TIMED("connect to a full backlog, SO_SNDTIMEO 0.1", 100, connect(c[1], (struct sockaddr *)&a, alen));
	fcntl(c[2], F_SETFL, O_NONBLOCK);
	TIMED("non-blocking connect to a full backlog", 0, connect(c[2], (struct sockaddr *)&a, alen));
	set_timeo(c[3], SO_SNDTIMEO, 5, 0);
	alarms = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	R("connect with a timeout, SA_RESTART signal", connect(c[3], (struct sockaddr *)&a, alen));
	R("alarms", alarms);
	set_timeo(l, SO_RCVTIMEO, 0, 100000);
	fl = accept(l, NULL, NULL);
	R("accept the queued one", fl >= 0);
	close(fl);
	R("connect after room was made", connect(c[1], (struct sockaddr *)&a, alen));
	for (int i = 0; i < 4; i++)
		close(c[i]);
	close(l);
}

static int peek_off(int fd)
{
	int v = -7;
	socklen_t l = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, SO_PEEK_OFF, &v, &l) < 0 ? -errno * 1000 : v;
}

/* One recv with flags, its bytes, msg_flags and the peek offset after it. */
static void peek_show(const char *name, int fd, size_t n, int flags)
{
	char data[64] = { 0 };
	struct iovec iov = { data, n };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	long r = recvmsg(fd, &mh, flags | MSG_DONTWAIT);

	printf("%-44s = %ld %s \"%.*s\" flags %#x off %d\n", name, r, r < 0 ? errname(errno) : "",
	       r > 0 ? (int)MIN(r, (long)n) : 0, data, mh.msg_flags, peek_off(fd));
}

/* SO_PEEK_OFF on AF_UNIX: peeks start at the offset and move it on, reads move it
 * back; streams peek across packets, datagrams skip the ones it lies past. */
static void test_peek_off(void)
{
	int sv[2], ds[2], nl = socket(AF_NETLINK, SOCK_RAW, 15);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	R("stream SO_PEEK_OFF default", peek_off(sv[0]));
	R("set SO_PEEK_OFF 0", setsockopt(sv[0], SOL_SOCKET, SO_PEEK_OFF, &(int){ 0 }, sizeof(int)));
	send(sv[1], "abcdef", 6, 0);
	send(sv[1], "ghij", 4, 0);
	peek_show("stream peek 3", sv[0], 3, MSG_PEEK);
	peek_show("stream peek 4 across packets", sv[0], 4, MSG_PEEK);
	peek_show("stream read 2", sv[0], 2, 0);
	peek_show("stream peek 10 from the offset", sv[0], 10, MSG_PEEK);
	peek_show("stream peek past the data", sv[0], 10, MSG_PEEK);
	peek_show("stream read 10", sv[0], 10, 0);
	send(sv[1], "klm", 3, 0);
	peek_show("stream peek after all was read", sv[0], 10, MSG_PEEK);
	R("set SO_PEEK_OFF -1", setsockopt(sv[0], SOL_SOCKET, SO_PEEK_OFF, &(int){ -1 }, sizeof(int)));
	peek_show("stream peek with the offset off", sv[0], 2, MSG_PEEK);
	peek_show("and again", sv[0], 2, MSG_PEEK);
	R("set SO_PEEK_OFF -5", setsockopt(sv[0], SOL_SOCKET, SO_PEEK_OFF, &(int){ -5 }, sizeof(int)));
	R("SO_PEEK_OFF after -5", peek_off(sv[0]));
	R("set SO_PEEK_OFF 2", setsockopt(sv[0], SOL_SOCKET, SO_PEEK_OFF, &(int){ 2 }, sizeof(int)));
	peek_show("stream peek at 2", sv[0], 5, MSG_PEEK);
	R("SO_PEEK_OFF short optlen", setsockopt(sv[0], SOL_SOCKET, SO_PEEK_OFF, &(int){ 1 }, 2));
	R("SO_PEEK_OFF bad pointer", setsockopt(sv[0], SOL_SOCKET, SO_PEEK_OFF, BAD, sizeof(int)));
	close(sv[0]);
	close(sv[1]);

	for (int type = SOCK_DGRAM; type <= SOCK_SEQPACKET; type += SOCK_SEQPACKET - SOCK_DGRAM) {
		printf("%s:\n", type == SOCK_DGRAM ? "dgram" : "seqpacket");
		socketpair(AF_UNIX, type, 0, ds);
		R("SO_PEEK_OFF default", peek_off(ds[0]));
		setsockopt(ds[0], SOL_SOCKET, SO_PEEK_OFF, &(int){ 0 }, sizeof(int));
		send(ds[1], "one", 3, 0);
		send(ds[1], "two2", 4, 0);
		send(ds[1], "three", 5, 0);
		peek_show("peek 10", ds[0], 10, MSG_PEEK);
		peek_show("peek 10 again", ds[0], 10, MSG_PEEK);
		peek_show("peek 2 truncated", ds[0], 2, MSG_PEEK);
		peek_show("peek into the third", ds[0], 10, MSG_PEEK);
		peek_show("peek past them all", ds[0], 10, MSG_PEEK);
		peek_show("read 10", ds[0], 10, 0);
		peek_show("peek 1 MSG_TRUNC", ds[0], 1, MSG_PEEK | MSG_TRUNC);
		peek_show("read 2", ds[0], 2, 0);
		peek_show("peek at the offset", ds[0], 10, MSG_PEEK);
		peek_show("read 10", ds[0], 10, 0);
		peek_show("read empty", ds[0], 10, 0);
		close(ds[0]);
		close(ds[1]);
	}
	R("netlink set SO_PEEK_OFF", setsockopt(nl, SOL_SOCKET, SO_PEEK_OFF, &(int){ 0 }, sizeof(int)));
	R("netlink SO_PEEK_OFF", peek_off(nl));
	close(nl);
}

static void mmsg_setup(struct mmsghdr *m, struct iovec *iov, char (*bufs)[64], int n)
{
	memset(m, 0, n * sizeof(*m));
	for (int i = 0; i < n; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = 64;
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
		m[i].msg_len = 777;
	}
}

static void show_lens(const char *name, struct mmsghdr *m, int n)
{
	printf("%-44s =", name);
	for (int i = 0; i < n; i++)
		printf(" %u", m[i].msg_len);
	printf("\n");
}

static void test_mmsg(void)
{
	struct mmsghdr m[5];
	struct iovec iov[5];
	char bufs[5][64];
	struct timespec ts;
	int ds[2], sv[2];

	socketpair(AF_UNIX, SOCK_DGRAM, 0, ds);
	mmsg_setup(m, iov, bufs, 5);
	strcpy(bufs[0], "one");
	strcpy(bufs[1], "two!");
	strcpy(bufs[2], "three");
	iov[0].iov_len = 3;
	iov[1].iov_len = 4;
	iov[2].iov_len = 5;
	R("sendmmsg 3", sendmmsg(ds[0], m, 3, 0));
	show_lens("sendmmsg 3 lengths", m, 4);
	mmsg_setup(m, iov, bufs, 5);
	R("recvmmsg 5 dontwait", recvmmsg(ds[1], m, 5, MSG_DONTWAIT, NULL));
	show_lens("recvmmsg lengths", m, 4);
	printf("%-44s = %.3s %.4s %.5s\n", "recvmmsg data", bufs[0], bufs[1], bufs[2]);
	R("recvmmsg empty dontwait", recvmmsg(ds[1], m, 5, MSG_DONTWAIT, NULL));
	R("sendmmsg vlen 0", sendmmsg(ds[0], m, 0, 0));
	R("recvmmsg vlen 0", recvmmsg(ds[1], m, 0, 0, NULL));
	R("sendmmsg bad fd", sendmmsg(99, m, 1, 0));
	R("sendmmsg not a socket", sendmmsg(0, m, 1, 0));
	R("recvmmsg bad fd", recvmmsg(99, m, 1, 0, NULL));
	R("sendmmsg bad array", sendmmsg(ds[0], BAD, 2, 0));
	R("recvmmsg bad array", recvmmsg(ds[1], BAD, 2, MSG_DONTWAIT, NULL));
	mmsg_setup(m, iov, bufs, 5);
	m[1].msg_hdr.msg_iov = BAD;
	R("sendmmsg second bad", sendmmsg(ds[0], m, 2, 0));
	show_lens("sendmmsg second bad lengths", m, 2);
	mmsg_setup(m, iov, bufs, 5);
	R("sendmmsg 2 more", sendmmsg(ds[0], m, 2, 0));
	m[1].msg_hdr.msg_iov = BAD;
	R("recvmmsg second bad", recvmmsg(ds[1], m, 3, MSG_DONTWAIT, NULL));
	mmsg_setup(m, iov, bufs, 5);
	R("recvmmsg the rest", recvmmsg(ds[1], m, 3, MSG_DONTWAIT, NULL));
	ts = (struct timespec){ 0, -1 };
	R("recvmmsg bad timeout nsec", recvmmsg(ds[1], m, 1, 0, &ts));
	ts = (struct timespec){ -1, 0 };
	R("recvmmsg negative timeout", recvmmsg(ds[1], m, 1, 0, &ts));
	R("recvmmsg bad timeout pointer", recvmmsg(ds[1], m, 1, 0, BAD));
	R("recvmmsg bad timeout, bad fd", recvmmsg(99, m, 1, 0, BAD));
	mmsg_setup(m, iov, bufs, 5);
	R("sendmmsg 4", sendmmsg(ds[0], m, 4, 0));
	R("recvmmsg WAITFORONE 5", recvmmsg(ds[1], m, 5, MSG_WAITFORONE, NULL));
	R("sendmmsg 3 again", sendmmsg(ds[0], m, 3, 0));
	ts = (struct timespec){ 10, 0 };
	R("recvmmsg 2 with a timeout", recvmmsg(ds[1], m, 2, 0, &ts));
	R("recvmmsg timeout left < 10s", ts.tv_sec < 10 || (ts.tv_sec == 10 && ts.tv_nsec == 0));
	R("recvmmsg 1 more, WAITFORONE", recvmmsg(ds[1], m, 5, MSG_WAITFORONE, NULL));
	close(ds[0]);
	R("recvmmsg after peer close", recvmmsg(ds[1], m, 5, MSG_DONTWAIT, NULL));
	close(ds[1]);

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	mmsg_setup(m, iov, bufs, 5);
	iov[0].iov_len = 10;
	iov[1].iov_len = 20;
	R("stream sendmmsg 2", sendmmsg(sv[0], m, 2, 0));
	mmsg_setup(m, iov, bufs, 5);
	R("stream recvmmsg WAITFORONE", recvmmsg(sv[1], m, 5, MSG_WAITFORONE, NULL));
	show_lens("stream recvmmsg lengths", m, 2);
	close(sv[0]);
	R("stream recvmmsg at EOF", recvmmsg(sv[1], m, 3, 0, NULL));
	show_lens("stream recvmmsg at EOF lengths", m, 3);
	close(sv[1]);
}

/* a connects to b (bound, not connected back) and fills b's queue. */
static void dgram_full(int *a, int *b, const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
	int n = 0;

	strcpy(sa.sun_path + 1, name);
	*b = socket(AF_UNIX, SOCK_DGRAM, 0);
	*a = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	bind(*b, (struct sockaddr *)&sa, len);
	connect(*a, (struct sockaddr *)&sa, len);
	while (send(*a, "d", 1, 0) == 1)
		n++;
	printf("%-44s = %d %s\n", "datagrams until the queue is full", n, errname(errno));
}

/* Forks a child that reads one datagram from b after ms milliseconds. */
static pid_t reader_later(int b, int ms)
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		usleep(ms * 1000);
		recv(b, &c, 1, 0);
		_exit(0);
	}
	return pid;
}

static void test_dgram_wake(void)
{
	struct pollfd p;
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET }, out;
	int a, b, ep, st;
	pid_t pid;

	dgram_full(&a, &b, "unixio-full");
	p = (struct pollfd){ a, POLLOUT, 0 };
	R("poll POLLOUT with the peer full", poll(&p, 1, 0));
	pid = reader_later(b, 100);
	R("poll POLLOUT woken by the reader", poll(&p, 1, 5000));
	R("poll revents", p.revents);
	waitpid(pid, &st, 0);
	R("send after the wakeup", send(a, "e", 1, 0));
	R("send again: full", send(a, "e", 1, 0));

	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, a, &ev);
	R("epoll_wait EPOLLOUT with the peer full", epoll_wait(ep, &out, 1, 0));
	pid = reader_later(b, 100);
	R("epoll_wait EPOLLOUT woken by the reader", epoll_wait(ep, &out, 1, 5000));
	R("epoll events", out.events);
	waitpid(pid, &st, 0);
	R("send after the epoll wakeup", send(a, "e", 1, 0));

	fcntl(a, F_SETFL, 0);
	pid = reader_later(b, 100);
	R("blocking send woken by the reader", send(a, "f", 1, 0));
	waitpid(pid, &st, 0);
	set_timeo(a, SO_SNDTIMEO, 0, 80000);
	TIMED("dgram send after SO_SNDTIMEO 0.08", 80, send(a, "g", 1, 0));
	close(b);
	R("poll after the peer closed", poll(&p, 1, 1000));
	R("poll revents after the peer closed", p.revents);
	R("send to the closed peer", send(a, "h", 1, 0));
	close(ep);
	close(a);
}

/* Sends fd over sock with SCM_RIGHTS. */
static long send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { "x", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0);
}

static int lowest_free_fd(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

static long memfree_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

/* Cycles of in-flight sockets: each round leaves unreachable sockets behind that
 * only garbage collection frees. 20000 rounds exhaust memory otherwise. */
static void test_gc(void)
{
	int i, ok = 1, sv[2], tv[2], base = lowest_free_fd();
	long before = memfree_kb();

	for (i = 0; i < 20000 && ok; i++) {
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
			ok = 0;
			break;
		}
		/* a socket in its own queue */
		ok = send_fd(sv[0], sv[1]) == 1 && send_fd(sv[1], sv[0]) == 1;
		close(sv[0]);
		close(sv[1]);
		if (!ok || socketpair(AF_UNIX, SOCK_DGRAM, 0, tv) < 0) {
			ok = 0;
			break;
		}
		/* two pairs holding each other */
		if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0) {
			ok = 0;
			break;
		}
		ok = send_fd(tv[0], sv[0]) == 1 && send_fd(sv[1], tv[1]) == 1 &&
		     send_fd(sv[0], tv[0]) == 1;
		close(sv[0]);
		close(sv[1]);
		close(tv[0]);
		close(tv[1]);
	}
	printf("%-44s = %d %s\n", "in-flight cycles created and dropped", i,
	       ok ? "" : errname(errno));
	R("no fd left behind", lowest_free_fd() == base);
	R("less than 16 MiB less free memory", before - memfree_kb() < 16384);

	/* A reachable in-flight socket survives collection and still works. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	socketpair(AF_UNIX, SOCK_STREAM, 0, tv);
	send(tv[1], "alive", 5, 0);
	R("send a socket with data in flight", send_fd(sv[0], tv[0]));
	close(tv[0]);
	for (i = 0; i < 200; i++) {
		int cv[2];

		socketpair(AF_UNIX, SOCK_STREAM, 0, cv);
		send_fd(cv[0], cv[1]);
		send_fd(cv[1], cv[0]);
		close(cv[0]);
		close(cv[1]);
	}
	{
		char c = 0, cbuf[CMSG_SPACE(sizeof(int))], data[8] = { 0 };
		struct iovec iov = { &c, 1 };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		int got = -1;

		R("receive the in-flight socket", recvmsg(sv[1], &mh, 0));
		if (mh.msg_controllen >= CMSG_LEN(sizeof(int)))
			memcpy(&got, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
		R("its data survived", recv(got, data, sizeof(data), MSG_DONTWAIT));
		printf("%-44s = %s\n", "data", data);
		R("its peer is still connected", send(tv[1], "z", 1, 0));
		R("and it reads that", recv(got, data, sizeof(data), MSG_DONTWAIT));
		close(got);
	}
	close(sv[0]);
	close(sv[1]);
	close(tv[1]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	test_ioctl();
	test_timeo();
	test_connect_timeo();
	test_peek_off();
	test_mmsg();
	test_dgram_wake();
	test_gc();
	return 0;
}
