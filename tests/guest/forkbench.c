/* forkbench N PROGRAM: times N rounds of fork + execve(PROGRAM) + wait, per call. */
#include <stdio.h>
#include <stdlib.h>
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

/* Fork, exec prog in the child, wait for it; returns its wait status or -1. */
static int spawn(const char *prog)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execl(prog, prog, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(int argc, char **argv)
{
	long long start;
	int n;

	if (argc != 3 || (n = atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: forkbench N PROGRAM\n");
		return 2;
	}
	start = now_ns();
	for (int i = 0; i < n; i++) {
		if (spawn(argv[2]) != 0) {
			fprintf(stderr, "forkbench: round %d failed\n", i);
			return 1;
		}
	}
	printf("forkbench: %d calls, %lld us per call\n", n, (now_ns() - start) / n / 1000);
	return 0;
}
