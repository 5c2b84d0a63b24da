/*
 * avx: the AVX state glibc and LLVM rely on (llvmpipe's JIT picks AVX2 when the CPU
 * has it): XCR0 enables x87, SSE and AVX when CPUID offers AVX, and the full ymm
 * registers survive a signal handler that overwrites them and other processes and
 * threads using them at the same time. Prints booleans, so it reads the same on any
 * CPU QEMU emulates; compared with Linux.
 */
#include <cpuid.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *yesno(int v)
{
	return v ? "yes" : "no";
}

/* Whether CPUID offers AVX and the OS turned XSAVE on (OSXSAVE). */
static int cpu_has_avx(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 0;
	return (c & bit_AVX) && (c & bit_OSXSAVE);
}

static uint64_t xcr0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* Fills ymm0-ymm15 from pattern seed, spins a while (so the kernel may switch or a
 * signal may come; until *until is set, when given), then reads them back; 1 when
 * they are unchanged. */
static int ymm_hold(uint32_t seed, long spins, volatile int *until)
{
	uint32_t in[16][8] __attribute__((aligned(32)));
	uint32_t out[16][8] __attribute__((aligned(32)));

	for (int r = 0; r < 16; r++)
		for (int i = 0; i < 8; i++)
			in[r][i] = seed * 0x9e3779b9u + r * 8 + i;
#define LOAD(n) __asm__ volatile("vmovdqa %0, %%ymm" #n :: "m"(in[n]) : "xmm" #n)
	LOAD(0); LOAD(1); LOAD(2); LOAD(3); LOAD(4); LOAD(5); LOAD(6); LOAD(7);
	LOAD(8); LOAD(9); LOAD(10); LOAD(11); LOAD(12); LOAD(13); LOAD(14); LOAD(15);
	for (volatile long i = 0; i < spins && !(until && *until); i++)
		;
#define STORE(n) __asm__ volatile("vmovdqa %%ymm" #n ", %0" : "=m"(out[n]))
	STORE(0); STORE(1); STORE(2); STORE(3); STORE(4); STORE(5); STORE(6); STORE(7);
	STORE(8); STORE(9); STORE(10); STORE(11); STORE(12); STORE(13); STORE(14); STORE(15);
	return !memcmp(in, out, sizeof(in));
}

static volatile int handler_ran;

/* Overwrites every ymm register's upper and lower halves. */
static void clobber(int sig)
{
	(void)sig;
	__asm__ volatile("vpcmpeqd %%ymm0, %%ymm0, %%ymm0\n\t"
			 "vmovdqa %%ymm0, %%ymm1\n\tvmovdqa %%ymm0, %%ymm7\n\t"
			 "vmovdqa %%ymm0, %%ymm8\n\tvmovdqa %%ymm0, %%ymm15"
			 ::: "xmm0", "xmm1", "xmm7", "xmm8", "xmm15");
	handler_ran = 1;
}

/* A thread holding its own ymm pattern while the others hold theirs. */
static void *thread_hold(void *arg)
{
	return (void *)(long)ymm_hold((uint32_t)(long)arg, 3000000, NULL);
}

int main(void)
{
	int avx = cpu_has_avx();

	printf("cpu offers avx: %s\n", yesno(avx));
	if (!avx)
		return 0;
	printf("xcr0 has x87, sse, avx: %s\n", yesno((xcr0() & 7) == 7));

	signal(SIGALRM, clobber);
	ualarm(20000, 0);
	int kept = ymm_hold(1, 4000000000L, &handler_ran);
	printf("signal handler ran: %s, ymm kept across it: %s\n", yesno(handler_ran),
	       yesno(kept));

	pid_t child = fork();
	if (child == 0)
		_exit(ymm_hold(2, 20000000, NULL) ? 0 : 1);
	kept = ymm_hold(3, 20000000, NULL);
	int status;
	waitpid(child, &status, 0);
	printf("ymm kept in parent and child running together: %s %s\n", yesno(kept),
	       yesno(WIFEXITED(status) && WEXITSTATUS(status) == 0));

	pthread_t th[4];
	int all = 1;
	for (long i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, thread_hold, (void *)(i + 10));
	all &= ymm_hold(4, 3000000, NULL);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(th[i], &r);
		all &= r != NULL;
	}
	printf("ymm kept in 5 threads running together: %s\n", yesno(all));
	return 0;
}
