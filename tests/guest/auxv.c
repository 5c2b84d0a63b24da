/*
 * auxv: the initial process state execve gives a static program, as Linux builds it:
 * argc/argv/envp as passed, and the auxiliary vector entries glibc and programs read
 * (AT_PAGESZ, AT_PHDR/PHENT/PHNUM, AT_ENTRY, AT_RANDOM, AT_HWCAP, AT_CLKTCK, AT_SECURE,
 * AT_EXECFN, AT_PLATFORM, AT_UID/EUID/GID/EGID). Values that differ between boots
 * (addresses, random bytes) are printed as checks against what they must equal.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern const Elf64_Ehdr __ehdr_start;
extern char _start[];
extern char **environ;

static const char *yesno(int ok)
{
	return ok ? "yes" : "no";
}

/* The arguments and environment arrive in order, NULL-terminated. */
static void check_args(int argc, char **argv)
{
	int envc = 0;

	printf("argc=%d\n", argc);
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s (%zu bytes)\n", i, argv[i], strlen(argv[i]));
	printf("argv[argc] is NULL: %s\n", yesno(argv[argc] == NULL));
	printf("envp follows argv: %s\n", yesno(environ == argv + argc + 1));
	while (environ[envc])
		envc++;
	printf("AUXV_TEST=%s\n", getenv("AUXV_TEST") ? getenv("AUXV_TEST") : "(unset)");
	printf("environment has entries: %s\n", yesno(envc > 0));
}

/* The program-header and entry-point entries describe this very binary. */
static void check_image(void)
{
	const Elf64_Phdr *phdr = (const void *)((const char *)&__ehdr_start + __ehdr_start.e_phoff);

	printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
	printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
	printf("AT_PHNUM matches the ELF header: %s\n",
	       yesno(getauxval(AT_PHNUM) == __ehdr_start.e_phnum));
	printf("AT_PHDR points at the program headers: %s\n",
	       yesno(getauxval(AT_PHDR) == (unsigned long)phdr));
	printf("AT_ENTRY is _start: %s\n", yesno(getauxval(AT_ENTRY) == (unsigned long)_start));
	printf("AT_BASE=%lu (static: no interpreter)\n", getauxval(AT_BASE));
}

/* The kernel's own AT_HWCAP, read from the vector after envp: glibc's getauxval
 * answers AT_HWCAP with its own x86 flags instead. */
static unsigned long stack_auxv(unsigned long type)
{
	char **p = environ;

	while (*p)
		p++;
	for (const Elf64_auxv_t *a = (const void *)(p + 1); a->a_type != AT_NULL; a++)
		if (a->a_type == type)
			return a->a_un.a_val;
	return 0;
}

/* AT_RANDOM: 16 readable bytes, not all zero; the rest mirror the process. */
static void check_identity(const char *argv0)
{
	const unsigned char *random = (const void *)getauxval(AT_RANDOM);
	unsigned long hwcap = stack_auxv(AT_HWCAP);
	unsigned long fpu_tsc_sse2 = 1UL << 0 | 1UL << 4 | 1UL << 26;	/* CPUID(1).EDX bits */
	int nonzero = 0;

	for (int i = 0; random && i < 16; i++)
		nonzero |= random[i];
	printf("AT_RANDOM gives 16 bytes, not all zero: %s\n", yesno(random && nonzero));
	/* Linux gives CPUID(1).EDX minus what it turned off; FPU, TSC and SSE2 stay. */
	printf("AT_HWCAP has FPU, TSC, SSE2: %s\n",
	       yesno((hwcap & fpu_tsc_sse2) == fpu_tsc_sse2));
	printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
	printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
	printf("AT_PLATFORM=%s\n", (const char *)getauxval(AT_PLATFORM));
	printf("AT_EXECFN=%s\n", (const char *)getauxval(AT_EXECFN));
	printf("AT_EXECFN is argv[0] here: %s\n",
	       yesno(strcmp((const char *)getauxval(AT_EXECFN), argv0) == 0));
	printf("AT_UID/EUID/GID/EGID match: %s\n",
	       yesno(getauxval(AT_UID) == getuid() && getauxval(AT_EUID) == geteuid() &&
		     getauxval(AT_GID) == getgid() && getauxval(AT_EGID) == getegid()));
}

int main(int argc, char **argv)
{
	check_args(argc, argv);
	check_image();
	check_identity(argv[0]);
	return 0;
}
