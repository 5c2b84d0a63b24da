/*
 * check.h: how the guest test programs print a checked call, one line a call,
 * "<name> = <result> <errno name>", so that their output diffs cleanly against the
 * recording made on Linux. A program may define before including it:
 *   CHECK_WIDTH  the column the name is padded to (44);
 *   CHECK_SEP    what stands between the name and the result ("=");
 *   CHECK_FLUSH  1 to flush stdout after each line (0), for a program whose children
 *                write to the same output while its own lines are still buffered.
 */
#ifndef CHECK_H
#define CHECK_H

#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "errname.h"

#ifndef CHECK_WIDTH
#define CHECK_WIDTH 44
#endif
#ifndef CHECK_SEP
#define CHECK_SEP "="
#endif
#ifndef CHECK_FLUSH
#define CHECK_FLUSH 0
#endif

/* An address in page 0, which no process maps: the bad pointer passed to see EFAULT.
 * Volatile so that the compiler can't see it and warn about the calls it goes to. */
static void *volatile bad_ptr __attribute__((unused)) = (void *)16;
#define BAD bad_ptr

/* Print one checked result: name padded to CHECK_WIDTH, CHECK_SEP, r, and the name
 * of err when r is negative. */
static inline void check_print(const char *name, long r, int err)
{
	printf("%-*s %s %ld %s\n", CHECK_WIDTH, name, CHECK_SEP, r, r < 0 ? errname(err) : "");
	if (CHECK_FLUSH)
		fflush(stdout);
}

/* Run expr with errno cleared and print its result as a long, with the errno name
 * when it is negative. */
#define R(name, expr) do { \
	errno = 0; \
	long _r = (long)(expr); \
	check_print(name, _r, errno); \
} while (0)

/* R for a call whose success may be an address: -1 stays -1 (with the errno name),
 * 0 stays 0 and any other value shows as 1, so that no address reaches the output. */
#define R_NOADDR(name, expr) do { \
	errno = 0; \
	long _r = (long)(expr); \
	check_print(name, _r == -1 ? -1L : _r != 0, errno); \
} while (0)

/* R named by the text of expr itself (taken before its macros are expanded). */
#define CHECK(expr) R(#expr, expr)

/* "0" for a result that is not negative, else the errno name: for lines that
 * print several results of their own format. */
static inline const char *res(long r)
{
	return r < 0 ? errname(errno) : "0";
}

/* Print "<name> = <target>" of fd's /proc/self/fd link, or the errno name when
 * readlink fails. */
static inline void show_fd_link(const char *name, int fd)
{
	char path[64], buf[512];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	buf[n < 0 ? 0 : n] = 0;
	printf("%-*s = %s\n", CHECK_WIDTH, name, n < 0 ? errname(errno) : buf);
}

#endif
