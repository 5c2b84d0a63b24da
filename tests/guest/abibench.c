/* abibench: the Linux-ABI micro-benchmarks of `make bench` (issue 3). Prints one line
 * per figure, "abibench: NAME VALUE UNIT", or "abibench: NAME n/a (why)" when the
 * kernel lacks what the figure needs. Rounds are small: the guest runs under TCG.
 *
 * abibench storage DATA WORK: the storage figures (issue 5), right after boot: a
 * sequential read of DATA/big in 1 MiB reads, cold (first read since boot) then warm,
 * busybox tar extracting DATA/files.tar into WORK then sync, and write + fsync of
 * 4 KiB in a file of WORK. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Return CLOCK_MONOTONIC in nanoseconds. */
static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The getpid system call itself (glibc does not cache it, but be explicit). */
static void bench_getpid(void)
{
	const int rounds = 200000;
	long long start = now_ns();

	for (int i = 0; i < rounds; i++)
		syscall(SYS_getpid);
	printf("abibench: getpid %lld ns\n", (now_ns() - start) / rounds);
}

/* One byte back and forth between two processes over two pipes: a round trip. */
static void bench_pipe(void)
{
	const int rounds = 5000;
	int ping[2], pong[2];
	long long start;
	char c = 'x';
	pid_t pid;

	if (pipe(ping) || pipe(pong)) {
		printf("abibench: pipe-pingpong n/a (pipe: %s)\n", strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1 && write(pong[1], &c, 1) == 1)
			;
		_exit(0);
	}
	start = now_ns();
	for (int i = 0; i < rounds; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			break;
	printf("abibench: pipe-pingpong %lld ns\n", (now_ns() - start) / rounds);
	close(ping[1]);
	waitpid(pid, NULL, 0);
	close(ping[0]);
	close(pong[0]);
	close(pong[1]);
}

/* 64 MiB through an AF_UNIX stream socketpair in 64 KiB writes, to a child. */
static void bench_unix(void)
{
	const size_t chunk = 64 << 10, total = 64 << 20;
	static char buf[64 << 10];
	long long start;
	size_t got = 0;
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
		printf("abibench: unix-64k n/a (socketpair: %s)\n", strerror(errno));
		return;
	}
	start = now_ns();
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		for (size_t sent = 0; sent < total; sent += chunk)
			if (write(sv[1], buf, chunk) != (ssize_t)chunk)
				_exit(1);
		_exit(0);
	}
	close(sv[1]);
	for (ssize_t n; got < total && (n = read(sv[0], buf, sizeof(buf))) > 0; got += n)
		;
	waitpid(pid, NULL, 0);
	printf("abibench: unix-64k %lld MiB/s\n",
	       (long long)(got >> 20) * 1000000000LL / (now_ns() - start));
	close(sv[0]);
}

static atomic_int futex_word;

/* Wait until the futex holds want. */
static void futex_wait_for(int want)
{
	int seen;

	while ((seen = atomic_load(&futex_word)) != want)
		syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
}

/* Store value and wake the other thread. */
static void futex_set(int value)
{
	atomic_store(&futex_word, value);
	syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

enum { FUTEX_ROUNDS = 5000 };

/* The other side of bench_futex: answers each odd value with the next even one. */
static void *futex_partner(void *unused)
{
	(void)unused;
	for (int i = 0; i < FUTEX_ROUNDS; i++) {
		futex_wait_for(2 * i + 1);
		futex_set(2 * i + 2);
	}
	return NULL;
}

/* Two threads handing a futex back and forth: half a round trip is one wake-up. */
static void bench_futex(void)
{
	pthread_t thread;
	long long start;

	atomic_store(&futex_word, 0);
	if (pthread_create(&thread, NULL, futex_partner, NULL)) {
		printf("abibench: futex-wake n/a (pthread_create failed)\n");
		return;
	}
	start = now_ns();
	for (int i = 0; i < FUTEX_ROUNDS; i++) {
		futex_set(2 * i + 1);
		futex_wait_for(2 * i + 2);
	}
	printf("abibench: futex-wake %lld ns\n", (now_ns() - start) / FUTEX_ROUNDS / 2);
	pthread_join(thread, NULL);
}

/* mmap 64 MiB anonymous, write one byte per page, munmap; the time of the three. */
static void bench_mmap(void)
{
	const size_t size = 64 << 20;
	long long start = now_ns();
	char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		printf("abibench: mmap-64m n/a (mmap: %s)\n", strerror(errno));
		return;
	}
	for (size_t off = 0; off < size; off += 4096)
		p[off] = 1;
	munmap(p, size);
	printf("abibench: mmap-64m %lld us\n", (now_ns() - start) / 1000);
}

/* An empty thread body. */
static void *thread_nothing(void *unused)
{
	return unused;
}

/* pthread_create + pthread_join of a thread that returns at once. */
static void bench_threads(void)
{
	const int rounds = 500;
	long long start = now_ns();
	pthread_t thread;

	for (int i = 0; i < rounds; i++) {
		if (pthread_create(&thread, NULL, thread_nothing, NULL)) {
			printf("abibench: pthread n/a (pthread_create failed)\n");
			return;
		}
		pthread_join(thread, NULL);
	}
	printf("abibench: pthread %lld ns\n", (now_ns() - start) / rounds);
}

/* fork + execve + exit + wait of Debian's dynamically linked bash running `:`. */
static void bench_bash(void)
{
	const int rounds = 50;
	long long start = now_ns();
	int status;

	if (access("/bin/bash", X_OK)) {
		printf("abibench: bash-exec n/a (no /bin/bash)\n");
		return;
	}
	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execl("/bin/bash", "bash", "-c", ":", (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0) {
			printf("abibench: bash-exec n/a (round %d failed)\n", i);
			return;
		}
	}
	printf("abibench: bash-exec %lld us\n", (now_ns() - start) / rounds / 1000);
}

/* Reads path from start to end in 1 MiB reads; prints MiB/s as figure name. */
static void bench_seqread(const char *path, const char *name)
{
	static char buf[1 << 20];
	long long start = now_ns(), total = 0;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		printf("abibench: %s n/a (open %s: %s)\n", name, path, strerror(errno));
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	close(fd);
	if (n < 0 || total == 0) {
		printf("abibench: %s n/a (read: %s)\n", name, strerror(errno));
		return;
	}
	printf("abibench: %s %lld MiB/s\n", name,
	       total * 1000000000LL / (1 << 20) / (now_ns() - start + 1));
}

/* busybox tar -xf DATA/files.tar -C WORK/untar, then sync: milliseconds. */
static void bench_untar(const char *data, const char *work)
{
	char tar[256], dir[256];
	long long start;
	int status = -1;
	pid_t pid;

	snprintf(tar, sizeof(tar), "%s/files.tar", data);
	snprintf(dir, sizeof(dir), "%s/untar", work);
	mkdir(dir, 0755);
	start = now_ns();
	pid = fork();
	if (pid == 0) {
		execl("/bin/busybox", "busybox", "tar", "-xf", tar, "-C", dir, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	sync();
	if (status != 0) {
		printf("abibench: untar-10k n/a (busybox tar: status %d)\n", status);
		return;
	}
	printf("abibench: untar-10k %lld ms\n", (now_ns() - start) / 1000000);
}

/* 4 KiB pwrite + fsync of one file, rounds times: microseconds per round. */
static void bench_fsync(const char *work)
{
	const int rounds = 50;
	char path[256], buf[4096];
	long long start;
	int fd;

	snprintf(path, sizeof(path), "%s/fsync", work);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		printf("abibench: fsync-4k n/a (open: %s)\n", strerror(errno));
		return;
	}
	memset(buf, 'f', sizeof(buf));
	start = now_ns();
	for (int i = 0; i < rounds; i++) {
		if (pwrite(fd, buf, sizeof(buf), (off_t)i * sizeof(buf)) != sizeof(buf) ||
		    fsync(fd) < 0) {
			printf("abibench: fsync-4k n/a (%s)\n", strerror(errno));
			close(fd);
			return;
		}
	}
	close(fd);
	printf("abibench: fsync-4k %lld us\n", (now_ns() - start) / rounds / 1000);
}

static void bench_storage(const char *data, const char *work)
{
	char big[256];

	snprintf(big, sizeof(big), "%s/big", data);
	bench_seqread(big, "seqread-cold");
	bench_seqread(big, "seqread-warm");
	bench_untar(data, work);
	bench_fsync(work);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 4 && !strcmp(argv[1], "storage")) {
		bench_storage(argv[2], argv[3]);
		return 0;
	}
	bench_getpid();
	bench_pipe();
	bench_unix();
	bench_futex();
	bench_mmap();
	bench_threads();
	bench_bash();
	return 0;
}
