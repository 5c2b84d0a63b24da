/*
 * unix: AF_UNIX sockets against Linux: socket/socketpair errors, stream, datagram and
 * seqpacket data (boundaries, MSG_PEEK, MSG_TRUNC, MSG_WAITALL, MSG_DONTWAIT),
 * bind to paths and abstract names, autobind, listen backlogs, accept4 flags,
 * connect errors, shutdown and closed peers (EOF, EPIPE and SIGPIPE), poll masks,
 * socket options, SCM_RIGHTS (fds passed between forked processes and read through,
 * MSG_CTRUNC, MSG_CMSG_CLOEXEC) and SCM_CREDENTIALS, and bad input of every call.
 *
 * Prints one line per checked call: a name, its result, the errno name on failure.
 * No inode numbers or pids are printed (pids only as comparisons). Works in /tmp/us.
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define DIR "/tmp/us"

static int sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

static socklen_t mkaddr(struct sockaddr_un *a, const char *path, int abstract)
{
	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	if (abstract) {
		strcpy(a->sun_path + 1, path);
		return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path);
	}
	strcpy(a->sun_path, path);
	return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static int pollmask(int fd)
{
	struct pollfd p = { fd, POLLIN | POLLOUT | POLLRDHUP | POLLPRI, 0 };

	if (poll(&p, 1, 0) < 0)
		return -1;
	return p.revents;
}

static void P(const char *name, int fd)
{
	printf("%-44s = %#x\n", name, pollmask(fd));
}

static int getint(int fd, int opt)
{
	int v = -7;
	socklen_t l = sizeof(v);

	if (getsockopt(fd, SOL_SOCKET, opt, &v, &l) < 0)
		return -errno;
	return v;
}

static void show_name(const char *what, int fd, int peer)
{
	struct sockaddr_un a;
	socklen_t l = sizeof(a);
	int r;

	memset(&a, 0x55, sizeof(a));
	r = peer ? getpeername(fd, (void *)&a, &l) : getsockname(fd, (void *)&a, &l);
	if (r < 0) {
		printf("%-44s = -1 %s\n", what, errname(errno));
		return;
	}
	printf("%-44s = len %d family %d path0 %d path '%s'\n", what, (int)l, a.sun_family,
	       l > 2 ? a.sun_path[0] : -1, l > 3 && a.sun_path[0] ? a.sun_path : "");
}

static void test_create(void)
{
	int fd;

	R("socket(-1)", socket(-1, SOCK_STREAM, 0));
	R("socket(1000)", socket(1000, SOCK_STREAM, 0));
	R("socket(AF_MAX)", socket(46, SOCK_STREAM, 0));
	R("socket(unix, type 0)", socket(AF_UNIX, 0, 0));
	R("socket(unix, type 11)", socket(AF_UNIX, 11, 0));
	R("socket(unix, type -1)", socket(AF_UNIX, -1, 0));
	R("socket(unix, stream|0x100)", socket(AF_UNIX, SOCK_STREAM | 0x100, 0));
	R("socket(unix, rdm)", socket(AF_UNIX, SOCK_RDM, 0));
	R("socket(unix, packet)", socket(AF_UNIX, SOCK_PACKET, 0));
	R("socket(unix, stream, 2)", socket(AF_UNIX, SOCK_STREAM, 2));
	fd = socket(AF_UNIX, SOCK_STREAM, AF_UNIX);
	R("socket(unix, stream, PF_UNIX) ok", fd >= 0);
	close(fd);
	fd = socket(AF_UNIX, SOCK_RAW, 0);
	R("socket(unix, raw) SO_TYPE", getint(fd, SO_TYPE));
	close(fd);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	R("seqpacket cloexec", fcntl(fd, F_GETFD));
	R("seqpacket nonblock", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	R("seqpacket O_RDWR", fcntl(fd, F_GETFL) & O_ACCMODE);
	R("seqpacket SO_TYPE", getint(fd, SO_TYPE));
	R("seqpacket SO_DOMAIN", getint(fd, SO_DOMAIN));
	R("seqpacket SO_PROTOCOL", getint(fd, SO_PROTOCOL));
	close(fd);
	int sv[2] = { -5, -5 };
	R("socketpair(inet)", socketpair(1000, SOCK_STREAM, 0, sv));
	R("socketpair(type 0)", socketpair(AF_UNIX, 0, 0, sv));
	R("socketpair(bad flags)", socketpair(AF_UNIX, SOCK_STREAM | 0x10000, 0, sv));
	R("socketpair(proto 7)", socketpair(AF_UNIX, SOCK_STREAM, 7, sv));
	R("socketpair(bad ptr)", socketpair(AF_UNIX, SOCK_STREAM, 0, BAD));
}

static void test_opts(void)
{
	int sv[2], p[2], v;
	socklen_t l;
	struct ucred uc;
	struct stat st;
	char link[64];

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	R("fstat S_IFSOCK", fstat(sv[0], &st) == 0 && S_ISSOCK(st.st_mode));
	R("fstat mode", st.st_mode & 07777);
	R("fstat size", st.st_size);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", sv[0]);
	memset(link + 32, 0, 32);
	R("readlink fd", readlink(link, link + 32, 31) > 0 && !strncmp(link + 32, "socket:[", 8));
	R("lseek", lseek(sv[0], 0, SEEK_SET));
	R("SO_TYPE", getint(sv[0], SO_TYPE));
	R("SO_DOMAIN", getint(sv[0], SO_DOMAIN));
	R("SO_PROTOCOL", getint(sv[0], SO_PROTOCOL));
	R("SO_ERROR", getint(sv[0], SO_ERROR));
	R("SO_ACCEPTCONN", getint(sv[0], SO_ACCEPTCONN));
	R("SO_PASSCRED", getint(sv[0], SO_PASSCRED));
	R("SO_SNDBUF", getint(sv[0], SO_SNDBUF));
	R("SO_RCVBUF", getint(sv[0], SO_RCVBUF));
	v = 1;
	R("set SO_SNDBUF 1", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	R("SO_SNDBUF", getint(sv[0], SO_SNDBUF));
	v = 10000;
	R("set SO_SNDBUF 10000", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	R("SO_SNDBUF", getint(sv[0], SO_SNDBUF));
	v = 1 << 30;
	R("set SO_SNDBUF 1<<30", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	R("SO_SNDBUF", getint(sv[0], SO_SNDBUF));
	v = -5;
	R("set SO_SNDBUF -5", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	R("SO_SNDBUF", getint(sv[0], SO_SNDBUF));
	v = 1;
	R("set SO_RCVBUF 1", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)));
	R("SO_RCVBUF", getint(sv[0], SO_RCVBUF));
	v = 300000;
	R("set SO_RCVBUFFORCE 300000", setsockopt(sv[0], SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)));
	R("SO_RCVBUF", getint(sv[0], SO_RCVBUF));
	v = 1;
	R("set SO_PASSCRED", setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &v, sizeof(v)));
	R("SO_PASSCRED", getint(sv[0], SO_PASSCRED));
	R("set SO_TYPE", setsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, sizeof(v)));
	R("set optname 9999", setsockopt(sv[0], SOL_SOCKET, 9999, &v, sizeof(v)));
	R("set optlen 2", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, 2));
	R("set optlen -1", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, -1));
	R("set bad optval", setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, BAD, 4));
	R("set level SOL_IP", setsockopt(sv[0], 0, 1, &v, sizeof(v)));
	R("set bad fd", setsockopt(99, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	R("set pipe fd", setsockopt(p[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)));
	l = sizeof(v);
	R("get optname 9999", getsockopt(sv[0], SOL_SOCKET, 9999, &v, &l));
	R("get level SOL_IP", getsockopt(sv[0], 0, 1, &v, &l));
	l = -1;
	R("get optlen -1", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &l));
	l = 2;
	v = 0x55555555;
	R("get optlen 2", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &l));
	printf("%-44s = %d %#x\n", "optlen 2 result", (int)l, v);
	l = 100;
	R("get optlen 100", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, &l));
	printf("%-44s = %d\n", "optlen 100 result", (int)l);
	R("get bad optlen ptr", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, &v, BAD));
	l = 4;
	R("get bad optval", getsockopt(sv[0], SOL_SOCKET, SO_TYPE, BAD, &l));
	R("get bad fd", getsockopt(99, SOL_SOCKET, SO_TYPE, &v, &l));
	R("get pipe fd", getsockopt(p[0], SOL_SOCKET, SO_TYPE, &v, &l));
	l = sizeof(uc);
	R("SO_PEERCRED", getsockopt(sv[1], SOL_SOCKET, SO_PEERCRED, &uc, &l));
	printf("%-44s = len %d pid-is-self %d uid %d gid %d\n", "peercred", (int)l,
	       uc.pid == getpid(), (int)uc.uid, (int)uc.gid);
	close(sv[0]);
	close(sv[1]);
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	l = sizeof(uc);
	R("SO_PEERCRED unconnected", getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &l));
	printf("%-44s = len %d pid %d uid %d gid %d\n", "peercred", (int)l, uc.pid, (int)uc.uid,
	       (int)uc.gid);
	close(s);
	close(p[0]);
	close(p[1]);
}

static void test_stream(void)
{
	int sv[2], n;
	char buf[256];
	pid_t pid;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	P("poll fresh pair", sv[0]);
	R("write 5", write(sv[0], "hello", 5));
	R("write 6", write(sv[0], " world", 6));
	P("poll readable", sv[1]);
	R("recv PEEK 3", recv(sv[1], buf, 3, MSG_PEEK));
	R("recv PEEK 100", recv(sv[1], buf, 100, MSG_PEEK));
	R("read 4", read(sv[1], buf, 4));
	R("read 100", n = read(sv[1], buf, 100));
	printf("%-44s = '%.*s'\n", "data", n, buf);
	R("recv DONTWAIT empty", recv(sv[1], buf, 10, MSG_DONTWAIT));
	R("read 0", read(sv[1], buf, 0));
	R("recv 0 DONTWAIT", recv(sv[1], buf, 0, MSG_DONTWAIT));
	R("write bad buf", write(sv[0], BAD, 10));
	R("read bad buf (nothing queued)", recv(sv[1], BAD, 10, MSG_DONTWAIT));
	R("send 3", send(sv[0], "abc", 3, 0));
	R("read bad buf", read(sv[1], BAD, 10));
	R("data kept after EFAULT", recv(sv[1], buf, 10, MSG_DONTWAIT));
	R("sendto with addr on connected", sendto(sv[0], "x", 1, 0, (void *)buf, 110));
	R("recv MSG_OOB", recv(sv[1], buf, 10, MSG_OOB | MSG_DONTWAIT));
	/* MSG_WAITALL gathers two writes of a child. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		write(sv[0], "12345", 5);
		usleep(50000);
		write(sv[0], "67890", 5);
		_exit(0);
	}
	R("recv WAITALL 10", n = recv(sv[1], buf, 10, MSG_WAITALL));
	printf("%-44s = '%.*s'\n", "data", n, buf);
	waitpid(pid, NULL, 0);
	/* Non-blocking fill. */
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	long total = 0;
	memset(buf, 'z', sizeof(buf));
	while ((n = write(sv[0], buf, sizeof(buf))) > 0)
		total += n;
	printf("%-44s = %d %s\n", "fill until", n, errname(errno));
	R("filled something", total > 1000);
	P("poll full writer", sv[0]);
	R("send DONTWAIT full", send(sv[0], "x", 1, MSG_DONTWAIT));
	long drained = 0;
	while ((n = recv(sv[1], buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		drained += n;
	R("drained all", drained == total);
	P("poll drained writer", sv[0]);
	/* shutdown */
	R("shutdown(3)", shutdown(sv[0], 3));
	R("shutdown(-1)", shutdown(sv[0], -1));
	R("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	P("poll after own SHUT_WR", sv[0]);
	P("poll peer after SHUT_WR", sv[1]);
	R("read peer EOF", read(sv[1], buf, 10));
	sigpipes = 0;
	R("write after SHUT_WR", write(sv[0], "x", 1));
	R("sigpipes", sigpipes);
	R("send NOSIGNAL after SHUT_WR", send(sv[0], "x", 1, MSG_NOSIGNAL));
	R("sigpipes", sigpipes);
	R("peer can still write", write(sv[1], "back", 4));
	R("read it", read(sv[0], buf, 10));
	R("shutdown SHUT_RD", shutdown(sv[0], SHUT_RD));
	P("poll after SHUT_RDWR", sv[0]);
	P("poll peer", sv[1]);
	R("read after SHUT_RD", read(sv[0], buf, 10));
	R("peer write after SHUT_RD", send(sv[1], "x", 1, MSG_NOSIGNAL));
	close(sv[0]);
	close(sv[1]);
	/* Closed peer. */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "left", 4);
	close(sv[0]);
	P("poll peer closed, data left", sv[1]);
	R("read data", read(sv[1], buf, 10));
	R("read EOF", read(sv[1], buf, 10));
	P("poll peer closed", sv[1]);
	sigpipes = 0;
	R("write to closed", write(sv[1], "x", 1));
	R("sigpipes", sigpipes);
	R("SO_ERROR", getint(sv[1], SO_ERROR));
	show_name("getpeername closed peer", sv[1], 1);
	close(sv[1]);
	/* Closed with unread data: ECONNRESET */
	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	write(sv[0], "unread", 6);
	close(sv[1]);
	P("poll peer closed unread", sv[0]);
	R("read ECONNRESET", read(sv[0], buf, 10));
	R("read again", read(sv[0], buf, 10));
	close(sv[0]);
	/* Unconnected stream. */
	int s = socket(AF_UNIX, SOCK_STREAM, 0);
	P("poll unconnected", s);
	R("recv unconnected", recv(s, buf, 10, MSG_DONTWAIT));
	R("send unconnected", send(s, "x", 1, MSG_NOSIGNAL));
	R("sendto unconnected with addr", sendto(s, "x", 1, MSG_NOSIGNAL, (void *)buf, 0));
	R("write unconnected", write(s, "x", 1));
	R("shutdown unconnected", shutdown(s, SHUT_RDWR));
	show_name("getsockname unbound", s, 0);
	show_name("getpeername unconnected", s, 1);
	close(s);
}

static void test_dgram(void)
{
	int sv[2], a, b, c;
	char buf[300];
	struct sockaddr_un sa, sb, from;
	socklen_t la, lb, lf;
	struct iovec iov = { buf, 4 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	P("dgram poll fresh", sv[0]);
	R("send 3", send(sv[0], "one", 3, 0));
	R("send 5", send(sv[0], "three", 5, 0));
	R("send 0", send(sv[0], "", 0, 0));
	R("recv PEEK 100", recv(sv[1], buf, 100, MSG_PEEK));
	R("recv 100", recv(sv[1], buf, 100, 0));
	R("recvmsg 4 of 5", recvmsg(sv[1], &mh, 0));
	printf("%-44s = %#x\n", "msg_flags", mh.msg_flags);
	R("recv empty dgram", recv(sv[1], buf, 100, 0));
	R("recv DONTWAIT", recv(sv[1], buf, 100, MSG_DONTWAIT));
	send(sv[0], "truncated", 9, 0);
	R("recv MSG_TRUNC 2", recv(sv[1], buf, 2, MSG_TRUNC));
	R("SO_SNDBUF", getint(sv[0], SO_SNDBUF));
	static char big[300000];
	R("send sndbuf-32", send(sv[0], big, 212992 - 32, MSG_DONTWAIT));
	R("recv it", recv(sv[1], big, sizeof(big), 0));
	R("send sndbuf-31", send(sv[0], big, 212992 - 31, 0));
	R("send bad buf", send(sv[0], BAD, 10, 0));
	R("recv after EFAULT", recv(sv[1], buf, 100, MSG_DONTWAIT));
	R("shutdown SHUT_WR", shutdown(sv[0], SHUT_WR));
	sigpipes = 0;
	R("send after SHUT_WR", send(sv[0], "x", 1, 0));
	R("sigpipes", sigpipes);
	P("dgram poll after SHUT_WR", sv[0]);
	P("dgram poll peer", sv[1]);
	R("peer send back", send(sv[1], "y", 1, 0));
	close(sv[1]);
	R("send to closed peer", send(sv[0], "x", 1, MSG_NOSIGNAL));
	close(sv[0]);
	/* Named datagram sockets. */
	a = socket(AF_UNIX, SOCK_DGRAM, 0);
	b = socket(AF_UNIX, SOCK_DGRAM, 0);
	c = socket(AF_UNIX, SOCK_DGRAM, 0);
	la = mkaddr(&sa, "dgram-a", 1);
	lb = mkaddr(&sb, DIR "/dgram-b", 0);
	R("bind a abstract", bind(a, (void *)&sa, la));
	R("bind b path", bind(b, (void *)&sb, lb));
	R("send unconnected no addr", send(c, "x", 1, 0));
	R("sendto b from unbound c", sendto(c, "from-c", 6, 0, (void *)&sb, lb));
	lf = sizeof(from);
	memset(&from, 0x55, sizeof(from));
	R("recvfrom unbound sender", recvfrom(b, buf, 100, 0, (void *)&from, &lf));
	printf("%-44s = %d\n", "fromlen", (int)lf);
	R("sendto b from a", sendto(a, "from-a", 6, 0, (void *)&sb, lb));
	lf = sizeof(from);
	R("recvfrom bound sender", recvfrom(b, buf, 100, 0, (void *)&from, &lf));
	/* The abstract name is not NUL-terminated: print only the lf bytes that came. */
	printf("%-44s = %d %d '%.*s'\n", "from", (int)lf, from.sun_path[0],
	       lf > offsetof(struct sockaddr_un, sun_path) + 1 ?
	       (int)(lf - offsetof(struct sockaddr_un, sun_path) - 1) : 0, from.sun_path + 1);
	lf = 4;
	sendto(a, "short", 5, 0, (void *)&sb, lb);
	R("recvfrom short addr buffer", recvfrom(b, buf, 100, 0, (void *)&from, &lf));
	printf("%-44s = %d\n", "fromlen", (int)lf);
	R("sendto missing path", sendto(a, "x", 1, 0, (void *)&sb, mkaddr(&from, DIR "/none", 0)));
	R("sendto missing abstract", sendto(a, "x", 1, 0, (void *)&from, mkaddr(&from, "none", 1)));
	R("sendto addrlen 1", sendto(a, "x", 1, 0, (void *)&sb, 1));
	R("sendto addrlen 200", sendto(a, "x", 1, 0, (void *)&sb, 200));
	R("sendto bad addr", sendto(a, "x", 1, 0, BAD, lb));
	int st = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un ss;
	socklen_t ls = mkaddr(&ss, DIR "/stream-x", 0);
	bind(st, (void *)&ss, ls);
	R("sendto stream path", sendto(a, "x", 1, 0, (void *)&ss, ls));
	close(st);
	/* Queue limit (net.unix.max_dgram_qlen) for an unconnected sender. */
	int ok = 0;
	while (sendto(a, "q", 1, MSG_DONTWAIT, (void *)&sb, lb) == 1 && ok < 100)
		ok++;
	printf("%-44s = %d %s\n", "queued until full", ok, errname(errno));
	P("poll b full", b);
	while (recv(b, buf, 100, MSG_DONTWAIT) > 0)
		ok--;
	R("all received", ok);
	/* Connected datagram sockets. */
	R("connect c to b", connect(c, (void *)&sb, lb));
	show_name("c getpeername", c, 1);
	R("a sends to c (connected elsewhere)", sendto(a, "x", 1, 0, (void *)&sb, lb) >= 0);
	recv(b, buf, 100, 0);
	R("connect b to a", connect(b, (void *)&sa, la));
	R("c sends to b (b connected to a)", send(c, "x", 1, 0));
	R("a sends to b", sendto(a, "ok", 2, 0, (void *)&sb, lb));
	R("b receives", recv(b, buf, 100, MSG_DONTWAIT));
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	R("connect c AF_UNSPEC", connect(c, &unspec, sizeof(unspec)));
	R("send after disconnect", send(c, "x", 1, 0));
	show_name("getpeername after disconnect", c, 1);
	R("connect c to b again", connect(c, (void *)&sb, lb));
	close(b);
	R("send to closed connected", send(c, "x", 1, 0));
	R("send again", send(c, "x", 1, 0));
	close(a);
	close(c);
	unlink(DIR "/dgram-b");
	unlink(DIR "/stream-x");
}

static void test_bind(void)
{
	int s, t;
	struct sockaddr_un a;
	socklen_t l;
	struct stat st;

	s = socket(AF_UNIX, SOCK_STREAM, 0);
	t = socket(AF_UNIX, SOCK_STREAM, 0);
	l = mkaddr(&a, DIR "/s1", 0);
	R("bind len 0", bind(s, (void *)&a, 0));
	R("bind len 1", bind(s, (void *)&a, 1));
	R("bind len 111", bind(s, (void *)&a, 111));
	R("bind len 200", bind(s, (void *)&a, 200));
	R("bind len -1", bind(s, (void *)&a, -1));
	R("bind bad ptr", bind(s, BAD, l));
	R("bind bad fd", bind(99, (void *)&a, l));
	R("bind bad fd bad ptr", bind(99, BAD, l));
	a.sun_family = AF_INET;
	R("bind AF_INET family", bind(s, (void *)&a, l));
	a.sun_family = AF_UNIX;
	umask(022);
	R("bind path", bind(s, (void *)&a, l));
	R("stat is socket", stat(DIR "/s1", &st) == 0 && S_ISSOCK(st.st_mode));
	R("stat mode", st.st_mode & 07777);
	R("open socket node", open(DIR "/s1", O_RDONLY));
	show_name("getsockname path", s, 0);
	R("bind again", bind(s, (void *)&a, l));
	R("bind other to same path", bind(t, (void *)&a, l));
	R("bind missing dir", bind(t, (void *)&a, mkaddr(&a, DIR "/no/s", 0)));
	R("bind existing dir", bind(t, (void *)&a, mkaddr(&a, DIR, 0)));
	l = mkaddr(&a, DIR "/s2", 0);
	l += 5;
	R("bind len beyond NUL", bind(t, (void *)&a, l));
	show_name("getsockname beyond NUL", t, 0);
	close(t);
	t = socket(AF_UNIX, SOCK_STREAM, 0);
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memset(a.sun_path, 'x', sizeof(a.sun_path));
	a.sun_path[0] = '/';
	R("bind 108-byte path, no NUL", bind(t, (void *)&a, sizeof(a)));
	close(t);
	t = socket(AF_UNIX, SOCK_STREAM, 0);
	l = mkaddr(&a, "lumen-abs", 1);
	R("bind abstract", bind(t, (void *)&a, l));
	show_name("getsockname abstract", t, 0);
	int u = socket(AF_UNIX, SOCK_STREAM, 0);
	R("bind same abstract", bind(u, (void *)&a, l));
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	R("bind same abstract, dgram", bind(d, (void *)&a, l));
	close(d);
	R("bind abstract longer", bind(u, (void *)&a, l + 1));
	close(u);
	u = socket(AF_UNIX, SOCK_STREAM, 0);
	R("autobind", bind(u, (void *)&a, 2));
	show_name("getsockname autobind", u, 0);
	R("autobind again", bind(u, (void *)&a, 2));
	close(u);
	close(t);
	t = socket(AF_UNIX, SOCK_STREAM, 0);
	R("rebind abstract after close", bind(t, (void *)&a, l));
	close(t);
	close(s);
	R("node stays after close", access(DIR "/s1", F_OK));
	unlink(DIR "/s1");
	unlink(DIR "/s2");
}

static void test_connect(void)
{
	int srv, c1, c2, c3, a1, a2, n;
	struct sockaddr_un a, b;
	socklen_t l, lb;
	char buf[100];

	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	l = mkaddr(&a, DIR "/srv", 0);
	R("listen unbound", listen(srv, 5));
	R("accept unbound", accept(srv, NULL, NULL));
	bind(srv, (void *)&a, l);
	c1 = socket(AF_UNIX, SOCK_STREAM, 0);
	R("connect non-listening", connect(c1, (void *)&a, l));
	R("listen 1", listen(srv, 1));
	R("SO_ACCEPTCONN", getint(srv, SO_ACCEPTCONN));
	P("poll listener", srv);
	R("accept4 bad flags", accept4(srv, NULL, NULL, 0x1234));
	fcntl(srv, F_SETFL, O_NONBLOCK);
	R("accept O_NONBLOCK empty", accept(srv, NULL, NULL));
	R("recv on listener", recv(srv, buf, 10, 0));
	R("send on listener", send(srv, "x", 1, MSG_NOSIGNAL));
	R("connect listener to itself", connect(srv, (void *)&a, l));
	c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	c3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	R("connect 1", connect(c1, (void *)&a, l));
	R("connect 2", connect(c2, (void *)&a, l));
	R("connect 3 (backlog full)", connect(c3, (void *)&a, l));
	R("connect 1 to missing", connect(c1, (void *)&b, mkaddr(&b, DIR "/none", 0)));
	P("poll listener pending", srv);
	P("poll connected client", c1);
	R("client sends before accept", write(c1, "early", 5));
	show_name("client getpeername", c1, 1);
	show_name("client getsockname", c1, 0);
	lb = sizeof(b);
	memset(&b, 0x55, sizeof(b));
	R("accept4 CLOEXEC|NONBLOCK", (a1 = accept4(srv, (void *)&b, &lb, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0);
	printf("%-44s = %d %d\n", "peer addr len/family", (int)lb, b.sun_family);
	R("accepted cloexec", fcntl(a1, F_GETFD));
	R("accepted nonblock", (fcntl(a1, F_GETFL) & O_NONBLOCK) != 0);
	R("accepted SO_ACCEPTCONN", getint(a1, SO_ACCEPTCONN));
	show_name("accepted getsockname", a1, 0);
	show_name("accepted getpeername", a1, 1);
	R("read early data", n = read(a1, buf, 100));
	struct ucred uc;
	socklen_t ul = sizeof(uc);
	getsockopt(a1, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
	printf("%-44s = %d %d %d\n", "accepted peercred self/uid/gid", uc.pid == getpid(), uc.uid, uc.gid);
	getsockopt(c1, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
	printf("%-44s = %d %d %d\n", "client peercred self/uid/gid", uc.pid == getpid(), uc.uid, uc.gid);
	lb = 3;
	R("accept short addr buffer", (a2 = accept(srv, (void *)&b, &lb)) >= 0);
	printf("%-44s = %d\n", "addrlen", (int)lb);
	R("accepted plain cloexec", fcntl(a2, F_GETFD));
	R("connect 1 again", connect(c1, (void *)&a, l));
	R("connect 3 now", connect(c3, (void *)&a, l));
	lb = sizeof(b);
	R("accept bad addrlen ptr", accept(srv, (void *)&b, BAD));
	R("accept after lost conn", accept(srv, NULL, NULL));
	R("connect 3 after accept", connect(c3, (void *)&a, l));
	close(c3);
	c3 = socket(AF_UNIX, SOCK_STREAM, 0);
	R("connect, then listener closes", connect(c3, (void *)&a, l));
	close(srv);
	P("poll client of closed listener", c3);
	R("read client of closed listener", read(c3, buf, 10));
	R("read again", read(c3, buf, 10));
	close(c3);
	c3 = socket(AF_UNIX, SOCK_STREAM, 0);
	R("connect closed listener path", connect(c3, (void *)&a, l));
	R("connect regular file", connect(c3, (void *)&b, mkaddr(&b, "/etc/passwd", 0)));
	R("connect missing abstract", connect(c3, (void *)&b, mkaddr(&b, "nobody-here", 1)));
	R("connect len 1", connect(c3, (void *)&b, 1));
	R("connect bad ptr", connect(c3, BAD, l));
	R("connect bad fd", connect(99, (void *)&a, l));
	int p[2];
	pipe(p);
	R("connect pipe fd", connect(p[0], (void *)&a, l));
	R("connect pipe fd bad ptr", connect(p[0], BAD, l));
	R("listen pipe fd", listen(p[0], 1));
	R("accept pipe fd", accept(p[0], NULL, NULL));
	R("getsockname pipe fd", getsockname(p[0], (void *)&b, &lb));
	R("getpeername bad fd", getpeername(99, (void *)&b, &lb));
	R("shutdown pipe fd", shutdown(p[0], SHUT_RD));
	R("send pipe fd", send(p[1], "x", 1, 0));
	R("recv pipe fd", recv(p[0], buf, 1, 0));
	lb = -1;
	R("getsockname len -1", getsockname(c1, (void *)&b, &lb));
	R("getsockname bad len ptr", getsockname(c1, (void *)&b, BAD));
	lb = sizeof(b);
	R("getsockname bad addr", getsockname(c1, BAD, &lb));
	close(p[0]);
	close(p[1]);
	int d = socket(AF_UNIX, SOCK_DGRAM, 0);
	R("listen dgram", listen(d, 1));
	R("accept dgram", accept(d, NULL, NULL));
	R("connect stream path from dgram", connect(d, (void *)&a, l));
	int sp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	R("listen connected pair", listen(sp[0], 1));
	close(sp[0]);
	close(sp[1]);
	close(d);
	close(c1);
	close(c2);
	close(c3);
	close(a1);
	close(a2);
	unlink(DIR "/srv");
}

static void test_seqpacket(void)
{
	int sv[2], s;
	char buf[100];
	struct iovec iov = { buf, 3 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	R("seq send 5", send(sv[0], "first", 5, 0));
	R("seq send 6", send(sv[0], "second", 6, 0));
	R("seq recvmsg 3 of 5", recvmsg(sv[1], &mh, 0));
	printf("%-44s = %#x\n", "msg_flags", mh.msg_flags);
	R("seq recv next", recv(sv[1], buf, 100, 0));
	R("seq recv DONTWAIT", recv(sv[1], buf, 100, MSG_DONTWAIT));
	P("seq poll", sv[0]);
	close(sv[0]);
	P("seq poll peer closed", sv[1]);
	R("seq recv after close", recv(sv[1], buf, 100, 0));
	sigpipes = 0;
	R("seq send after close", send(sv[1], "x", 1, 0));
	R("sigpipes", sigpipes);
	close(sv[1]);
	s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	R("seq recv unconnected", recv(s, buf, 100, MSG_DONTWAIT));
	R("seq send unconnected", send(s, "x", 1, 0));
	P("seq poll unconnected", s);
	close(s);
}

/* Sends fds (n of them) with SCM_RIGHTS and a byte of data. */
static long send_fds(int sock, const int *fds, int n)
{
	char data = 'F';
	struct iovec iov = { &data, 1 };
	union { char buf[CMSG_SPACE(sizeof(int) * 256)]; struct cmsghdr align; } u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = CMSG_SPACE(sizeof(int) * n) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cm), fds, sizeof(int) * n);
	return sendmsg(sock, &mh, 0);
}

/* Receives with a control buffer of ctl bytes; returns fds in out, count in *n. */
static long recv_fds(int sock, int ctl, int flags, int *out, int *n, int *mflags)
{
	char data;
	struct iovec iov = { &data, 1 };
	union { char buf[1024]; struct cmsghdr align; } u;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl ? u.buf : NULL,
			     .msg_controllen = ctl };
	long r = recvmsg(sock, &mh, flags);
	struct cmsghdr *cm;

	*n = 0;
	*mflags = mh.msg_flags;
	if (r < 0)
		return r;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			int k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			memcpy(out + *n, CMSG_DATA(cm), k * sizeof(int));
			*n += k;
		}
	}
	printf("%-44s = controllen %d\n", "  recvmsg", (int)mh.msg_controllen);
	return r;
}

static int lowest_free_fd(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

static void test_rights(void)
{
	int sv[2], p[2], fds[8], got[300], n, mf, i, base;
	char buf[100];
	pid_t pid;

	socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	pipe(p);
	int f = open(DIR "/file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(f, "file contents", 13);
	/* A forked client passes a pipe's write end and a file; the parent reads. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int two[2] = { p[1], f };

		close(sv[1]);
		if (send_fds(sv[0], two, 2) != 1)
			_exit(1);
		close(p[1]);
		close(f);
		read(sv[0], buf, 1);	/* wait for the parent */
		_exit(0);
	}
	close(p[1]);
	close(f);
	R("recv 2 fds", recv_fds(sv[1], 1024, 0, got, &n, &mf));
	printf("%-44s = %d %#x\n", "fds/flags", n, mf);
	R("passed fd is not cloexec", fcntl(got[0], F_GETFD));
	R("write through passed pipe", write(got[0], "via pipe", 8));
	R("read it from our end", read(p[0], buf, 100));
	R("passed file offset shared", lseek(got[1], 0, SEEK_CUR));
	R("pread passed file", pread(got[1], buf, 100, 0));
	printf("%-44s = '%.13s'\n", "content", buf);
	close(got[0]);
	write(sv[1], "k", 1);
	waitpid(pid, &i, 0);
	R("child status", WEXITSTATUS(i));
	R("pipe EOF once all writers closed", read(p[0], buf, 100));
	/* MSG_CTRUNC: 3 fds, room for 1. */
	fds[0] = fds[1] = fds[2] = p[0];
	base = lowest_free_fd();
	R("send 3 fds", send_fds(sv[0], fds, 3));
	R("recv with room for 1", recv_fds(sv[1], CMSG_SPACE(sizeof(int)), 0, got, &n, &mf));
	printf("%-44s = %d %#x\n", "fds/flags", n, mf);
	R("one installed at lowest", n == 1 && got[0] == base);
	R("no other fd leaked", lowest_free_fd() == base + 1);
	close(got[0]);
	R("send 2 fds", send_fds(sv[0], fds, 2));
	R("recv without control", recv_fds(sv[1], 0, 0, got, &n, &mf));
	printf("%-44s = %d %#x\n", "fds/flags", n, mf);
	R("recv tiny control", (send_fds(sv[0], fds, 1), recv_fds(sv[1], 8, 0, got, &n, &mf)));
	printf("%-44s = %d %#x\n", "fds/flags", n, mf);
	R("nothing leaked", lowest_free_fd() == base);
	R("send 1 fd", send_fds(sv[0], fds, 1));
	R("recv CMSG_CLOEXEC", recv_fds(sv[1], 1024, MSG_CMSG_CLOEXEC, got, &n, &mf));
	printf("%-44s = %d %#x\n", "fds/flags", n, mf);
	R("cloexec set", fcntl(got[0], F_GETFD));
	close(got[0]);
	R("send 1 fd", send_fds(sv[0], fds, 1));
	R("recv PEEK", recv_fds(sv[1], 1024, MSG_PEEK, got, &n, &mf));
	printf("%-44s = %d\n", "fds", n);
	close(got[0]);
	R("recv after PEEK", recv_fds(sv[1], 1024, 0, got, &n, &mf));
	printf("%-44s = %d\n", "fds", n);
	close(got[0]);
	/* Data before and after a packet with fds. */
	write(sv[0], "ab", 2);
	send_fds(sv[0], fds, 1);
	write(sv[0], "cd", 2);
	R("stream read stops after fds", recv_fds(sv[1], 1024, MSG_DONTWAIT, got, &n, &mf));
	printf("%-44s = %d\n", "fds", n);
	close(got[0]);
	R("rest", recv(sv[1], buf, 100, MSG_DONTWAIT));
	/* Bad control messages. */
	fds[0] = 99;
	R("send bad fd", send_fds(sv[0], fds, 1));
	for (i = 0; i < 254; i++)
		got[i] = p[0];
	R("send 253 fds", send_fds(sv[0], got, 253));
	R("recv 253", recv_fds(sv[1], 1024, 0, got, &n, &mf));
	printf("%-44s = %d %#x\n", "fds/flags", n, mf);
	for (i = 0; i < n; i++)
		close(got[i]);
	for (i = 0; i < 254; i++)
		got[i] = p[0];
	R("send 254 fds", send_fds(sv[0], got, 254));
	R("send 0 fds", send_fds(sv[0], got, 0));
	R("recv it", recv(sv[1], buf, 100, MSG_DONTWAIT));
	{
		char data = 'x';
		struct iovec iov = { &data, 1 };
		union { char buf[64]; struct cmsghdr align; } u;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
				     .msg_controllen = CMSG_SPACE(sizeof(int)) };
		struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = 77;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		R("send unknown cmsg type", sendmsg(sv[0], &mh, 0));
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = 64;
		R("send cmsg_len too big", sendmsg(sv[0], &mh, 0));
		cm->cmsg_len = 4;
		R("send cmsg_len too small", sendmsg(sv[0], &mh, 0));
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		cm->cmsg_level = 6;
		R("send other level (ignored)", sendmsg(sv[0], &mh, 0));
		R("recv it", recv(sv[1], buf, 100, 0));
		mh.msg_controllen = 4;
		R("send controllen 4", sendmsg(sv[0], &mh, 0));
		R("recv it", recv(sv[1], buf, 100, 0));
		mh.msg_controllen = 1UL << 31;
		R("send controllen 2^31", sendmsg(sv[0], &mh, 0));
		mh.msg_controllen = 100000;
		R("send controllen 100000", sendmsg(sv[0], &mh, 0));
		mh.msg_control = BAD;
		mh.msg_controllen = 16;
		R("send bad control ptr", sendmsg(sv[0], &mh, 0));
		mh.msg_control = NULL;
		mh.msg_controllen = 0;
		mh.msg_iovlen = 1025;
		R("send iovlen 1025", sendmsg(sv[0], &mh, 0));
		mh.msg_iovlen = 1;
		mh.msg_iov = BAD;
		R("send bad iov", sendmsg(sv[0], &mh, 0));
		R("recv bad iov", recvmsg(sv[1], &mh, MSG_DONTWAIT));
		mh.msg_iov = &iov;
		mh.msg_name = buf;
		mh.msg_namelen = -1;
		R("send namelen -1", sendmsg(sv[0], &mh, 0));
		R("recv namelen -1", recvmsg(sv[1], &mh, MSG_DONTWAIT));
		R("sendmsg bad msghdr", sendmsg(sv[0], BAD, 0));
		R("recvmsg bad msghdr", recvmsg(sv[1], BAD, 0));
		R("sendmsg bad fd", sendmsg(99, &mh, 0));
		R("recvmsg pipe fd", recvmsg(p[0], &mh, 0));
	}
	/* SCM_CREDENTIALS */
	int on = 1;
	setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof(on));
	write(sv[0], "c", 1);
	{
		char data;
		struct iovec iov = { &data, 1 };
		union { char buf[256]; struct cmsghdr align; } u;
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
				     .msg_controllen = sizeof(u.buf) };
		struct cmsghdr *cm;
		struct ucred uc;

		R("recv with SO_PASSCRED", recvmsg(sv[1], &mh, 0));
		cm = CMSG_FIRSTHDR(&mh);
		if (!cm) {
			printf("no cmsg\n");
			cm = (struct cmsghdr *)u.buf;
		}
		memcpy(&uc, (char *)u.buf + sizeof(struct cmsghdr), sizeof(uc));
		printf("%-44s = level %d type %d len %d pid-self %d uid %d gid %d ctl %d\n", "creds",
		       cm->cmsg_level, cm->cmsg_type, (int)cm->cmsg_len, uc.pid == getpid(),
		       uc.uid, uc.gid, (int)mh.msg_controllen);
		mh.msg_controllen = CMSG_SPACE(sizeof(uc));
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_CREDENTIALS;
		cm->cmsg_len = CMSG_LEN(sizeof(uc));
		uc.pid = 99999;
		memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
		R("send creds pid 99999", sendmsg(sv[0], &mh, 0));
		uc.pid = getpid();
		uc.uid = -1;
		memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
		R("send creds uid -1", sendmsg(sv[0], &mh, 0));
		uc.uid = 0;
		memcpy(CMSG_DATA(cm), &uc, sizeof(uc));
		cm->cmsg_len = CMSG_LEN(8);
		R("send creds short", sendmsg(sv[0], &mh, 0));
		cm->cmsg_len = CMSG_LEN(sizeof(uc));
		R("send creds self", sendmsg(sv[0], &mh, 0));
		mh.msg_controllen = 20;
		R("recv creds, control 20", recvmsg(sv[1], &mh, 0));
		printf("%-44s = %#x %d\n", "flags/controllen", mh.msg_flags, (int)mh.msg_controllen);
	}
	close(sv[0]);
	close(sv[1]);
	/* A socket passed over itself: the receiver gets a working socket. */
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	int three[1] = { sv[0] };
	R("dgram send own socket", send_fds(sv[0], three, 1));
	R("dgram recv it", recv_fds(sv[1], 1024, 0, got, &n, &mf));
	R("send through received socket", send(got[0], "via", 3, 0));
	R("recv", recv(sv[1], buf, 100, 0));
	close(got[0]);
	close(sv[0]);
	close(sv[1]);
	close(p[0]);
	unlink(DIR "/file");
}

/* A forked server accepts on a path, a client connects and exchanges a pipe fd. */
static void test_fork_server(void)
{
	struct sockaddr_un a;
	socklen_t l = mkaddr(&a, DIR "/fsrv", 0);
	int srv = socket(AF_UNIX, SOCK_STREAM, 0), st, n, mf, got[4];
	char buf[64];
	pid_t pid;

	bind(srv, (void *)&a, l);
	listen(srv, 4);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int c = accept(srv, NULL, NULL), p[2];
		struct ucred uc;
		socklen_t ul = sizeof(uc);

		getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
		pipe(p);
		write(p[1], "from the server", 15);
		close(p[1]);
		send_fds(c, p, 1);
		n = read(c, buf, sizeof(buf));
		_exit(n == 5 && uc.pid == getppid() ? 0 : 3);
	}
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	R("client connect", connect(c, (void *)&a, l));
	struct ucred uc;
	socklen_t ul = sizeof(uc);
	getsockopt(c, SOL_SOCKET, SO_PEERCRED, &uc, &ul);
	R("server peercred is the parent (listen)", uc.pid == getpid());
	R("client recv fd", recv_fds(c, 1024, 0, got, &n, &mf));
	R("read through it", n = read(got[0], buf, sizeof(buf)));
	printf("%-44s = '%.*s'\n", "data", n, buf);
	R("client write", write(c, "done!", 5));
	waitpid(pid, &st, 0);
	R("server status", WEXITSTATUS(st));
	close(c);
	close(got[0]);
	close(srv);
	unlink(DIR "/fsrv");
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_sigpipe };

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGPIPE, &sa, NULL);
	mkdir(DIR, 0755);
	test_create();
	test_opts();
	test_stream();
	test_dgram();
	test_bind();
	test_connect();
	test_seqpacket();
	test_rights();
	test_fork_server();
	rmdir(DIR);
	return 0;
}
