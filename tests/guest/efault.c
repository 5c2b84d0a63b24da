/*
 * efault: system calls given bad user pointers must fail with EFAULT (or do what
 * Linux does) and leave the process and the kernel intact.
 *
 * Every call goes through syscall(2) so that glibc (vDSO, buffering, NULL checks)
 * stays out of the way. Prints one line per call: the call, its result, the errno name.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "errname.h"

static const struct { const char *name; void *ptr; } bad[] = {
	{ "NULL", (void *)0 },
	{ "1", (void *)1 },
	{ "noncanonical", (void *)0x0000800000000000UL },
	{ "kernel", (void *)0xffff800000000000UL },
	{ "kernel-top", (void *)0xfffffffffffff000UL },
};
#define NBAD (sizeof(bad) / sizeof(bad[0]))

/* Print "<call> with <pointer name> = <result> <errno name>". */
static void report(const char *call, const char *ptr, long r)
{
	printf("%s with %s = %ld%s%s\n", call, ptr, r, r < 0 ? " " : "", r < 0 ? errname(errno) : "");
}

/* Fork a child that exits 7 at once; returns its pid. */
static pid_t child(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(7);
	return pid;
}

/* Calls that take a buffer to read from or write into user memory. */
static void buffers(int zero, int null, int pipe_w, int dir, const char *p, void *b)
{
	report("read(/dev/zero)", p, syscall(SYS_read, zero, b, 16));
	report("write(/dev/null)", p, syscall(SYS_write, null, b, 16));
	report("write(pipe)", p, syscall(SYS_write, pipe_w, b, 16));
	report("writev(pipe, iov)", p, syscall(SYS_writev, pipe_w, b, 1));
	report("pread64(/dev/zero)", p, syscall(SYS_pread64, zero, b, 16, 0));
	report("getdents64(/)", p, syscall(SYS_getdents64, dir, b, 4096));
	report("fstat(/dev/zero)", p, syscall(SYS_fstat, zero, b));
	report("stat(/, buf)", p, syscall(SYS_stat, "/", b));
	report("readlink(/bin/sh, buf)", p, syscall(SYS_readlink, "/bin/sh", b, 64));
	report("getcwd", p, syscall(SYS_getcwd, b, 4096));
	report("uname", p, syscall(SYS_uname, b));
	report("pipe", p, syscall(SYS_pipe, b));
	report("clock_gettime(MONOTONIC)", p, syscall(SYS_clock_gettime, CLOCK_MONOTONIC, b));
	report("gettimeofday", p, syscall(SYS_gettimeofday, b, NULL));
	report("nanosleep(req)", p, syscall(SYS_nanosleep, b, NULL));
	report("rt_sigaction(SIGUSR1, act)", p, syscall(SYS_rt_sigaction, SIGUSR1, b, NULL, 8));
	report("rt_sigprocmask(BLOCK, set)", p, syscall(SYS_rt_sigprocmask, SIG_BLOCK, b, NULL, 8));
}

/* Calls that take a path name. */
static void paths(const char *p, void *b)
{
	static char buf[64];

	report("open", p, syscall(SYS_open, b, O_RDONLY));
	report("openat(AT_FDCWD)", p, syscall(SYS_openat, AT_FDCWD, b, O_RDONLY));
	report("stat(path)", p, syscall(SYS_stat, b, NULL));
	report("access", p, syscall(SYS_access, b, F_OK));
	report("chdir", p, syscall(SYS_chdir, b));
	report("mkdir", p, syscall(SYS_mkdir, b, 0755));
	report("unlink", p, syscall(SYS_unlink, b));
	report("readlink(path)", p, syscall(SYS_readlink, b, buf, sizeof(buf)));
	report("execve", p, syscall(SYS_execve, b, NULL, NULL));
}

/* wait4 with a bad status or rusage pointer; then whether the child was reaped. */
static void waits(const char *p, void *b)
{
	pid_t pid = child();

	report("wait4(child, status)", p, syscall(SYS_wait4, pid, b, 0, NULL) < 0 ? -1 : 1);
	report("wait4(child) again", p, syscall(SYS_wait4, pid, NULL, WNOHANG, NULL) < 0 ? -1 : 1);
	pid = child();
	report("wait4(child, rusage)", p, syscall(SYS_wait4, pid, NULL, 0, b) < 0 ? -1 : 1);
	syscall(SYS_wait4, pid, NULL, WNOHANG, NULL);
}

int main(void)
{
	int zero = open("/dev/zero", O_RDONLY);
	int null = open("/dev/null", O_WRONLY);
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	int fds[2];
	struct timespec ts = { 0, 0 };

	if (zero < 0 || null < 0 || dir < 0 || pipe(fds) < 0) {
		perror("efault: setup");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned i = 0; i < NBAD; i++) {
		buffers(zero, null, fds[1], dir, bad[i].name, bad[i].ptr);
		paths(bad[i].name, bad[i].ptr);
		waits(bad[i].name, bad[i].ptr);
	}
	report("nanosleep(0, rem)", "kernel", syscall(SYS_nanosleep, &ts, (void *)0xffff800000000000UL));
	printf("efault: survived\n");
	return 0;
}
