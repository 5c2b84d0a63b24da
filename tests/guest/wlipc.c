/*
 * wlipc: a Wayland-shaped IPC test. A server and a forked client talk over an
 * AF_UNIX stream socket bound in an XDG_RUNTIME_DIR-like directory, with
 * Wayland's framing (object id, opcode, size) and its ways of doing things:
 *   - SO_PEERCRED on both ends, SCM_CREDENTIALS checked with SO_PASSCRED;
 *   - shared memory: the client creates a memfd (MFD_CLOEXEC|MFD_ALLOW_SEALING),
 *     sizes and seals it (F_SEAL_SHRINK|F_SEAL_GROW|F_SEAL_SEAL) and passes it with
 *     SCM_RIGHTS; the server receives it with MSG_CMSG_CLOEXEC and maps it
 *     MAP_SHARED: each sees the other's writes;
 *   - both event loops are epoll: the server's watches the listening socket, the
 *     client, a timerfd frame timer, an eventfd woken by a second (render) thread
 *     and a signalfd for SIGCHLD, SIGUSR1 and SIGTERM; the client's watches its
 *     socket (EPOLLOUT while its queue is full) and its own frame timer;
 *   - 2000 messages of varied sizes through non-blocking sockets: the client fills
 *     its send queue until EAGAIN before the server reads, the server reads in
 *     173-byte pieces (messages split across reads) until EAGAIN;
 *   - the client's disconnect reaches the server as EPOLLHUP|EPOLLRDHUP.
 *
 * Output is deterministic: each side logs into a buffer; the client prints its log
 * before it disconnects, the server after it reaped the client.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "errname.h"

#define RUNTIME_DIR "/tmp/wlipc-runtime"
#define POOL_SIZE (64 * 1024)
#define NMSG 2000
#define NFRAMES 3
#define READ_PIECE 173

enum { OP_HELLO = 100, OP_POOL_OK, OP_DATA_ACK, OP_FRAME_DONE,
       OP_HELLO_ACK = 1, OP_CREATE_POOL, OP_DATA, OP_COMMIT };

struct hdr {
	uint32_t obj;
	uint16_t op;
	uint16_t size;		/* with the header, a multiple of 4 */
};

/* ---- logging into a buffer ---- */

static char logbuf[16384];
static size_t loglen;

static void logf_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	loglen += vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);
	va_end(ap);
	if (loglen >= sizeof(logbuf))
		loglen = sizeof(logbuf) - 1;
}

#define CHECK(what, cond) logf_("%-48s = %d\n", what, (int)(cond))
#define CALL(what, expr) do { \
	errno = 0; \
	long _r = (long)(expr); \
	logf_("%-48s = %ld %s\n", what, _r, _r < 0 ? errname(errno) : ""); \
} while (0)

static void flush_log(void)
{
	fwrite(logbuf, 1, loglen, stdout);
	fflush(stdout);
	loglen = 0;
}

static void die(const char *what)
{
	logf_("FATAL %s: %s\n", what, errname(errno));
	flush_log();
	_exit(1);
}

/* ---- messages ---- */

/* Data message i: its size and its bytes, both from i. */
static uint16_t data_size(uint32_t i)
{
	return 16 + 4 * ((i * 7919) % 250);
}

static uint32_t data_sum(const unsigned char *p, size_t n)
{
	uint32_t s = 0;

	while (n--)
		s = s * 31 + *p++;
	return s;
}

/* An outgoing byte queue for a non-blocking socket, as libwayland's connection. */
struct outq {
	unsigned char buf[1 << 20];
	size_t head, tail;
};

static void out_put(struct outq *q, uint32_t obj, uint16_t op, const void *payload,
		    size_t plen)
{
	struct hdr h = { obj, op, (uint16_t)(sizeof(h) + plen) };

	if (q->tail + h.size > sizeof(q->buf))
		die("out queue full");
	memcpy(q->buf + q->tail, &h, sizeof(h));
	memcpy(q->buf + q->tail + sizeof(h), payload, plen);
	q->tail += h.size;
}

/* Sends what the queue holds: 1 when it is empty, 0 on EAGAIN. */
static int out_flush(struct outq *q, int fd, int *eagain)
{
	while (q->head < q->tail) {
		ssize_t n = send(fd, q->buf + q->head, q->tail - q->head, MSG_NOSIGNAL);

		if (n < 0 && errno == EAGAIN) {
			(*eagain)++;
			return 0;
		}
		if (n <= 0)
			die("send");
		q->head += n;
	}
	q->head = q->tail = 0;
	return 1;
}

/* Sends one message with a control message, blocking until it is all out. */
static void send_with_cmsg(int fd, uint32_t obj, uint16_t op, const void *payload, size_t plen,
			   int level, int type, const void *cdata, size_t clen)
{
	unsigned char msg[64];
	struct hdr h = { obj, op, (uint16_t)(sizeof(h) + plen) };
	char cbuf[CMSG_SPACE(sizeof(struct ucred))] = { 0 };
	struct iovec iov = { msg, h.size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = CMSG_SPACE(clen) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	memcpy(msg, &h, sizeof(h));
	memcpy(msg + sizeof(h), payload, plen);
	cm->cmsg_level = level;
	cm->cmsg_type = type;
	cm->cmsg_len = CMSG_LEN(clen);
	memcpy(CMSG_DATA(cm), cdata, clen);
	if (sendmsg(fd, &mh, MSG_NOSIGNAL) != h.size)
		die("sendmsg with cmsg");
}

/* An incoming byte queue and the fds that came with it. */
struct inq {
	unsigned char buf[1 << 16];
	size_t len;
	int fds[8], nfds;
	struct ucred creds;
	int has_creds;
	int eagains, reads, cloexec_ok;
};

/* Reads what the socket holds, READ_PIECE bytes at a time: 1 with data or EAGAIN,
 * 0 at EOF. */
static int in_fill(struct inq *q, int fd, size_t piece)
{
	for (;;) {
		char cbuf[CMSG_SPACE(8 * sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
		struct iovec iov = { q->buf + q->len, piece };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof(cbuf) };
		struct cmsghdr *cm;
		ssize_t n;

		if (q->len + piece > sizeof(q->buf))
			return 1;
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
		if (n < 0 && errno == EAGAIN) {
			q->eagains++;
			return 1;
		}
		if (n < 0)
			die("recvmsg");
		if (n == 0)
			return 0;
		q->reads++;
		q->len += n;
		for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_type == SCM_RIGHTS) {
				int k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

				for (int i = 0; i < k && q->nfds < 8; i++) {
					memcpy(&q->fds[q->nfds], CMSG_DATA(cm) + i * sizeof(int),
					       sizeof(int));
					q->cloexec_ok = fcntl(q->fds[q->nfds], F_GETFD) == FD_CLOEXEC;
					q->nfds++;
				}
			} else if (cm->cmsg_type == SCM_CREDENTIALS) {
				memcpy(&q->creds, CMSG_DATA(cm), sizeof(q->creds));
				q->has_creds = 1;
			}
		}
	}
}

/* The next complete message (copied to out, at most 4096 bytes) or 0. */
static int in_next(struct inq *q, unsigned char *out)
{
	struct hdr h;

	if (q->len < sizeof(h))
		return 0;
	memcpy(&h, q->buf, sizeof(h));
	if (h.size < sizeof(h) || h.size > 4096 || h.size % 4)
		die("bad message size");
	if (q->len < h.size)
		return 0;
	memcpy(out, q->buf, h.size);
	memmove(q->buf, q->buf + h.size, q->len - h.size);
	q->len -= h.size;
	return 1;
}

static int in_take_fd(struct inq *q)
{
	int fd;

	if (!q->nfds)
		return -1;
	fd = q->fds[0];
	memmove(q->fds, q->fds + 1, --q->nfds * sizeof(int));
	return fd;
}

static void epoll_set(int ep, int op, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	if (epoll_ctl(ep, op, fd, &ev) < 0)
		die("epoll_ctl");
}

static int frame_timer(long ms)
{
	struct itimerspec its = { { 0, ms * 1000000 }, { 0, ms * 1000000 } };
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);

	if (fd < 0 || timerfd_settime(fd, 0, &its, NULL) < 0)
		die("timerfd");
	return fd;
}

static unsigned char pattern_byte(int who, uint32_t frame, size_t i)
{
	return (unsigned char)(who * 37 + frame * 11 + i * 13 + (i >> 9));
}

/* ---- the client ---- */

static struct outq cout;
static struct inq cin;

static int client_pool(int sock, unsigned char **map)
{
	int fd = memfd_create("wl_shm", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	uint32_t size = POOL_SIZE;

	CHECK("client: memfd_create", fd >= 0);
	CHECK("client: memfd is cloexec", fcntl(fd, F_GETFD) == FD_CLOEXEC);
	CALL("client: ftruncate", ftruncate(fd, POOL_SIZE));
	CALL("client: F_ADD_SEALS shrink|grow|seal",
	     fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL));
	CALL("client: F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	CALL("client: ftruncate grow after sealing", ftruncate(fd, 2 * POOL_SIZE));
	CALL("client: ftruncate shrink after sealing", ftruncate(fd, 4096));
	CALL("client: F_ADD_SEALS write after seal", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	*map = mmap(NULL, POOL_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("client: mmap MAP_SHARED", *map != MAP_FAILED);
	if (*map == MAP_FAILED)
		die("mmap");
	for (size_t i = 0; i < POOL_SIZE / 2; i++)
		(*map)[i] = pattern_byte(1, 0, i);
	send_with_cmsg(sock, 1, OP_CREATE_POOL, &size, sizeof(size), SOL_SOCKET, SCM_RIGHTS,
		       &fd, sizeof(fd));
	close(fd);
	return data_sum(*map, POOL_SIZE / 2);
}

static void client_send_data(uint32_t *next)
{
	unsigned char payload[4096];

	while (*next < NMSG && cout.tail + 4096 < sizeof(cout.buf)) {
		uint16_t size = data_size(*next);
		uint32_t plen = size - sizeof(struct hdr);

		for (uint32_t k = 8; k < plen; k++)
			payload[k] = (unsigned char)(*next + k);
		memcpy(payload, next, 4);
		uint32_t sum = data_sum(payload + 8, plen - 8);
		memcpy(payload + 4, &sum, 4);
		out_put(&cout, 2, OP_DATA, payload, plen);
		(*next)++;
	}
}

static int client_check_frame(unsigned char *map, uint32_t frame)
{
	for (size_t i = POOL_SIZE / 2; i < POOL_SIZE; i++)
		if (map[i] != pattern_byte(2, frame, i))
			return 0;
	return 1;
}

static void client(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned char msg[4096], *map = NULL;
	struct epoll_event evs[4];
	int sock, ep, tfd, eagain = 0, acks = 0, frames = 0, ticks = 0, filling = 0;
	uint32_t next = 0, pool_sum = 0, frame = 0;
	struct ucred uc;
	socklen_t l = sizeof(uc);

	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/wayland-0", getenv("XDG_RUNTIME_DIR"));
	CALL("client: connect", connect(sock, (struct sockaddr *)&sa, sizeof(sa)));
	CALL("client: SO_PEERCRED", getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &uc, &l));
	CHECK("client: peer is the server", uc.pid == getppid() && uc.uid == getuid() &&
	      uc.gid == getgid());
	ep = epoll_create1(EPOLL_CLOEXEC);
	tfd = frame_timer(10);
	epoll_set(ep, EPOLL_CTL_ADD, sock, EPOLLIN | EPOLLRDHUP);
	epoll_set(ep, EPOLL_CTL_ADD, tfd, EPOLLIN);
	for (;;) {
		int n = epoll_wait(ep, evs, 4, 10000);

		if (n <= 0)
			die("client epoll_wait");
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == tfd) {
				uint64_t exp;

				if (read(tfd, &exp, sizeof(exp)) == sizeof(exp))
					ticks += exp;
				continue;
			}
			if (evs[i].events & EPOLLOUT) {
				if (out_flush(&cout, sock, &eagain)) {
					client_send_data(&next);
					if (out_flush(&cout, sock, &eagain) && next == NMSG)
						epoll_set(ep, EPOLL_CTL_MOD, sock, EPOLLIN | EPOLLRDHUP);
				}
			}
			if (!(evs[i].events & EPOLLIN))
				continue;
			if (!in_fill(&cin, sock, sizeof(msg)))
				die("client: server hung up");
			while (in_next(&cin, msg)) {
				struct hdr *h = (struct hdr *)msg;
				uint32_t arg;

				memcpy(&arg, msg + sizeof(*h), 4);
				switch (h->op) {
				case OP_HELLO:
					logf_("client: hello from the server, version %u\n", arg);
					uc = (struct ucred){ getpid(), getuid(), getgid() };
					send_with_cmsg(sock, 1, OP_HELLO_ACK, &arg, 4, SOL_SOCKET,
						       SCM_CREDENTIALS, &uc, sizeof(uc));
					pool_sum = client_pool(sock, &map);
					break;
				case OP_POOL_OK:
					CHECK("client: server read the pool's first half", arg == pool_sum);
					/* The server reads nothing until SIGUSR1: fill the queue. */
					filling = 1;
					while (filling) {
						client_send_data(&next);
						if (!out_flush(&cout, sock, &eagain))
							filling = 0;
					}
					CHECK("client: send queue filled to EAGAIN", eagain > 0);
					CHECK("client: not everything went out yet", next < NMSG ||
					      cout.head < cout.tail);
					kill(getppid(), SIGUSR1);
					epoll_set(ep, EPOLL_CTL_MOD, sock, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
					break;
				case OP_DATA_ACK:
					acks++;
					logf_("client: server acknowledged %u messages\n", arg);
					if (arg == NMSG) {
						frame = 1;
						out_put(&cout, 3, OP_COMMIT, &frame, 4);
						out_flush(&cout, sock, &eagain);
					}
					break;
				case OP_FRAME_DONE:
					frames++;
					logf_("client: frame %u done, server's pixels seen %d\n", arg,
					      client_check_frame(map, arg));
					if (arg < NFRAMES) {
						frame = arg + 1;
						out_put(&cout, 3, OP_COMMIT, &frame, 4);
						out_flush(&cout, sock, &eagain);
					}
					break;
				default:
					die("client: unknown event");
				}
			}
			if (frames == NFRAMES)
				goto done;
		}
	}
done:
	CHECK("client: 4 acks, 3 frames", acks == 4 && frames == NFRAMES);
	while (ticks < 3) {
		uint64_t exp;
		struct epoll_event ev;

		if (epoll_wait(ep, &ev, 1, 10000) == 1 && ev.data.fd == tfd &&
		    read(tfd, &exp, sizeof(exp)) == sizeof(exp))
			ticks += exp;
	}
	CHECK("client: its frame timer ticked", ticks >= 3);
	CALL("client: munmap", munmap(map, POOL_SIZE));
	logf_("client: disconnecting\n");
	flush_log();
	close(sock);
	_exit(0);
}

/* ---- the server ---- */

static struct outq sout;
static struct inq sin_;
static unsigned char *pool;
static pid_t client_pid;

/* The render thread: draws frame `job` into the pool's second half, then wakes the
 * main loop through the eventfd. */
static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_cond = PTHREAD_COND_INITIALIZER;
static uint32_t job, job_done;
static int quit, efd;

static void *render_thread(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&job_lock);
	for (;;) {
		while (!quit && job == job_done)
			pthread_cond_wait(&job_cond, &job_lock);
		if (quit)
			break;
		uint32_t frame = job;

		pthread_mutex_unlock(&job_lock);
		for (size_t i = POOL_SIZE / 2; i < POOL_SIZE; i++)
			pool[i] = pattern_byte(2, frame, i);
		pthread_mutex_lock(&job_lock);
		job_done = frame;
		eventfd_write(efd, 1);
	}
	pthread_mutex_unlock(&job_lock);
	return NULL;
}

static void server_pool(int cfd, uint32_t size)
{
	int fd = in_take_fd(&sin_);
	struct stat st;
	uint32_t sum;

	CHECK("server: pool fd came with the message", fd >= 0);
	CHECK("server: MSG_CMSG_CLOEXEC set FD_CLOEXEC", sin_.cloexec_ok);
	CALL("server: F_GET_SEALS", fcntl(fd, F_GET_SEALS));
	CHECK("server: fstat size is the pool size", fstat(fd, &st) == 0 && st.st_size == size);
	CALL("server: ftruncate of a sealed pool", ftruncate(fd, size / 2));
	pool = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("server: mmap MAP_SHARED", pool != MAP_FAILED);
	if (pool == MAP_FAILED)
		die("server mmap");
	close(fd);
	sum = data_sum(pool, POOL_SIZE / 2);
	out_put(&sout, 1, OP_POOL_OK, &sum, 4);
	out_flush(&sout, cfd, &(int){ 0 });
}

static int server_message(int cfd, unsigned char *msg, uint32_t *ndata, int *bad)
{
	struct hdr *h = (struct hdr *)msg;
	uint32_t arg, sum;

	memcpy(&arg, msg + sizeof(*h), 4);
	switch (h->op) {
	case OP_HELLO_ACK:
		CHECK("server: SCM_CREDENTIALS are the client's", sin_.has_creds &&
		      sin_.creds.pid == client_pid && sin_.creds.uid == getuid() &&
		      sin_.creds.gid == getgid());
		return 1;
	case OP_CREATE_POOL:
		server_pool(cfd, arg);
		return 2;
	case OP_DATA:
		memcpy(&sum, msg + sizeof(*h) + 4, 4);
		if (arg != *ndata || h->size != data_size(arg) ||
		    sum != data_sum(msg + sizeof(*h) + 8, h->size - sizeof(*h) - 8))
			(*bad)++;
		if (++*ndata % 500 == 0) {
			out_put(&sout, 1, OP_DATA_ACK, ndata, 4);
			out_flush(&sout, cfd, &(int){ 0 });
		}
		return 0;
	case OP_COMMIT:
		pthread_mutex_lock(&job_lock);
		job = arg;
		pthread_cond_signal(&job_cond);
		pthread_mutex_unlock(&job_lock);
		return 0;
	}
	die("server: unknown request");
	return 0;
}

static void server(int lfd, int sfd, pid_t child)
{
	struct epoll_event evs[8];
	unsigned char msg[4096];
	int ep = epoll_create1(EPOLL_CLOEXEC), tfd = frame_timer(10), cfd = -1, bad = 0;
	int hup = 0, reaped = 0, term = 0, status = -1, wakeups = 0, usr1 = 0, term_sent = 0;
	uint32_t hup_events = 0;
	size_t left = 0;
	pid_t chld_pid = 0;
	uint32_t ndata = 0, version = 4;
	uint64_t ticks = 0;
	pthread_t thr;

	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_create(&thr, NULL, render_thread, NULL);
	epoll_set(ep, EPOLL_CTL_ADD, lfd, EPOLLIN);
	epoll_set(ep, EPOLL_CTL_ADD, sfd, EPOLLIN);
	epoll_set(ep, EPOLL_CTL_ADD, tfd, EPOLLIN);
	epoll_set(ep, EPOLL_CTL_ADD, efd, EPOLLIN);
	while (!term) {
		int n = epoll_wait(ep, evs, 8, 10000);

		if (n <= 0)
			die("server epoll_wait");
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == tfd) {
				uint64_t exp;

				if (read(tfd, &exp, sizeof(exp)) == sizeof(exp))
					ticks += exp;
			} else if (fd == efd) {
				eventfd_t v;

				if (eventfd_read(efd, &v) == 0) {
					uint32_t f;

					wakeups += v;
					pthread_mutex_lock(&job_lock);
					f = job_done;
					pthread_mutex_unlock(&job_lock);
					out_put(&sout, 1, OP_FRAME_DONE, &f, 4);
					out_flush(&sout, cfd, &(int){ 0 });
				}
			} else if (fd == lfd) {
				struct ucred uc;
				socklen_t l = sizeof(uc);
				int on = 1;

				cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
				CHECK("server: accept4", cfd >= 0);
				CALL("server: SO_PEERCRED", getsockopt(cfd, SOL_SOCKET, SO_PEERCRED,
								       &uc, &l));
				CHECK("server: peer is the client", uc.pid == child &&
				      uc.uid == getuid() && uc.gid == getgid());
				CALL("server: SO_PASSCRED", setsockopt(cfd, SOL_SOCKET, SO_PASSCRED,
								       &on, sizeof(on)));
				epoll_set(ep, EPOLL_CTL_ADD, cfd, EPOLLIN | EPOLLRDHUP);
				out_put(&sout, 1, OP_HELLO, &version, 4);
				out_flush(&sout, cfd, &(int){ 0 });
			} else if (fd == sfd) {
				struct signalfd_siginfo si;

				while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
					if (si.ssi_signo == SIGUSR1) {
						logf_("server: SIGUSR1 from the client: reading\n");
						CHECK("server: nothing read meanwhile", ndata == 0);
						usr1 = 1;
						epoll_set(ep, EPOLL_CTL_MOD, cfd, EPOLLIN | EPOLLRDHUP);
					} else if (si.ssi_signo == SIGCHLD) {
						chld_pid = si.ssi_pid;
						reaped = waitpid(child, &status, 0) == child;
					} else if (si.ssi_signo == SIGTERM) {
						term = 1;
					}
				}
			} else if (fd == cfd) {
				uint32_t ev = evs[i].events;
				int r, alive;

				if (!(ev & EPOLLIN) && !(ev & EPOLLHUP))
					continue;
				alive = in_fill(&sin_, cfd, READ_PIECE);
				while (in_next(&sin_, msg)) {
					r = server_message(cfd, msg, &ndata, &bad);
					if (r == 2)	/* stop reading until SIGUSR1 */
						epoll_set(ep, EPOLL_CTL_MOD, cfd, EPOLLRDHUP);
					if (r == 2)
						break;
				}
				if (!alive && (ev & EPOLLHUP)) {
					hup_events = ev;
					left = sin_.len;
					epoll_ctl(ep, EPOLL_CTL_DEL, cfd, NULL);
					close(cfd);
					cfd = -1;
					hup = 1;
				}
			}
			if (hup && reaped && !term_sent) {
				term_sent = 1;
				kill(getpid(), SIGTERM);
			}
		}
	}
	logf_("server: client hung up: events%s%s%s\n", hup_events & EPOLLIN ? " IN" : "",
	      hup_events & EPOLLRDHUP ? " RDHUP" : "", hup_events & EPOLLHUP ? " HUP" : "");
	CHECK("server: nothing left unread", left == 0);
	CHECK("server: SIGCHLD from the client, reaped", chld_pid == child && reaped);
	logf_("server: SIGTERM through the signalfd\n");
	CHECK("server: SIGUSR1 came", usr1);
	CHECK("server: all messages in order and intact", ndata == NMSG && bad == 0);
	CHECK("server: reads split messages (more reads than messages)", sin_.reads > NMSG);
	CHECK("server: saw EAGAIN on its non-blocking socket", sin_.eagains > 0);
	CHECK("server: eventfd wakeups from the render thread", wakeups == NFRAMES);
	CHECK("server: frame timer ticked", ticks > 0);
	CHECK("server: client exited 0", WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pthread_mutex_lock(&job_lock);
	quit = 1;
	pthread_cond_signal(&job_cond);
	pthread_mutex_unlock(&job_lock);
	pthread_join(thr, NULL);
	CALL("server: munmap", munmap(pool, POOL_SIZE));
	flush_log();
}

int main(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	sigset_t mask;
	int lfd, sfd;
	pid_t child;

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(60);
	mkdir(RUNTIME_DIR, 0700);
	setenv("XDG_RUNTIME_DIR", RUNTIME_DIR, 1);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/wayland-0", RUNTIME_DIR);
	unlink(sa.sun_path);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	CALL("server: bind $XDG_RUNTIME_DIR/wayland-0",
	     bind(lfd, (struct sockaddr *)&sa, sizeof(sa)));
	CALL("server: listen", listen(lfd, 128));
	flush_log();
	child = fork();
	if (child == 0) {
		close(lfd);
		close(sfd);
		sigprocmask(SIG_UNBLOCK, &mask, NULL);
		client();
	}
	client_pid = child;
	server(lfd, sfd, child);
	close(lfd);
	unlink(sa.sun_path);
	rmdir(RUNTIME_DIR);
	return 0;
}
