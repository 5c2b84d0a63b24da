/*
 * eventfds: eventfd/eventfd2 against Linux: flags (EFD_SEMAPHORE, EFD_NONBLOCK,
 * EFD_CLOEXEC), the 8-byte rules, the counter's overflow limit, blocking reads and
 * writes ended by another process, poll masks, bad pointers and the anon_inode file
 * it is (/proc/self/fd link, fstat, lseek).
 *
 * Prints one line per checked call: a name, its result, the errno name on failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

/* Bad pointers, hidden from the compiler's checks. */
static void *volatile bad8 = (void *)8;

#define R(name, expr) do { \
	errno = 0; \
	long _r = (long)(expr); \
	printf("%-44s = %ld %s\n", name, _r, _r < 0 ? errname(errno) : ""); \
} while (0)

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
	char path[64], buf[64];
	struct stat st;
	ssize_t n;
	int fd;

	R("eventfd2 bad flags", syscall(SYS_eventfd2, 0, 2));
	R("eventfd2 O_RDWR flag", syscall(SYS_eventfd2, 0, O_RDWR));
	R("eventfd2 all flags", ({ int f = syscall(SYS_eventfd2, 0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE); close(f); f >= 0; }));
	fd = syscall(SYS_eventfd, 0);
	printf("%-44s = %d\n", "eventfd ok", fd >= 0);
	R("  F_GETFD", fcntl(fd, F_GETFD));
	R("  F_GETFL", fcntl(fd, F_GETFL));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = 0;
	printf("%-44s = %s\n", "  link", buf);
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
	R("  write bad ptr", write(fd, bad8, 8));
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
	R("  read bad ptr", read(fd, bad8, 8));
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
	pid = fork();
	if (pid == 0) {
		usleep(50000);
		wr(fd, 9, 8);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rd("blocking read woken by child", fd, 8);
	printf("%-44s = %d\n", "  slept >= 40 ms", ms_since(&t0) >= 40);
	waitpid(pid, &status, 0);

	R("fill to max", wr(fd, 0xfffffffffffffffeULL, 8));
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		uint64_t v;

		usleep(50000);
		read(fd, &v, 8);
		_exit(v == 0xfffffffffffffffeULL ? 0 : 1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	R("blocking write woken by child's read", wr(fd, 4, 8));
	printf("%-44s = %d\n", "  slept >= 40 ms", ms_since(&t0) >= 40);
	waitpid(pid, &status, 0);
	printf("%-44s = %d\n", "  child status", WEXITSTATUS(status));
	rd("  value", fd, 8);
	close(fd);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	check_eventfd_basic();
	check_eventfd_blocking();
	return 0;
}
