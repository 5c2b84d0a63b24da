/*
 * syscall.c — the syscall table and dispatcher.
 *
 * The list of syscalls is Linux's own asm/unistd_64.h, turned into
 * build/kernel/gen/syscall_list.h at build time: it gives the numbers and the
 * names for logs. Every sys_<name> starts as a weak alias of sys_ni_syscall, so a
 * family file under kernel/sys/ implements a syscall just by defining sys_<name>
 * (as Linux's COND_SYSCALL does); the rest answer -ENOSYS and are logged once.
 */
#include "lib/log.h"
#include "sys/syscall.h"

long sys_ni_syscall(void)
{
	return -ENOSYS;
}

#define SYSCALL(nr, name) \
	long sys_##name(void) __attribute__((weak, alias("sys_ni_syscall")));
#include "syscall_list.h"
#undef SYSCALL

#define SYSCALL(nr, name) [nr] = (syscall_fn)(void *)sys_##name,
static const syscall_fn syscall_table[] = {
#include "syscall_list.h"
};
#undef SYSCALL

#define SYSCALL(nr, name) [nr] = #name,
static const char *const syscall_names[] = {
#include "syscall_list.h"
};
#undef SYSCALL

static uint64_t logged_unknown[(ARRAY_SIZE(syscall_table) + 63) / 64 + 1];

/* Logs an unimplemented or unknown syscall the first time each number is seen. */
static void log_unknown_once(uint64_t nr)
{
	uint64_t slot = nr < ARRAY_SIZE(syscall_table) ? nr : ARRAY_SIZE(syscall_table);
	uint64_t bit = 1UL << (slot % 64);

	if (__atomic_fetch_or(&logged_unknown[slot / 64], bit, __ATOMIC_RELAXED) & bit)
		return;
	if (nr < ARRAY_SIZE(syscall_names) && syscall_names[nr])
		pr_warn("syscall %lu (%s) is not implemented: ENOSYS", (unsigned long)nr,
			syscall_names[nr]);
	else
		pr_warn("unknown syscall %ld: ENOSYS", (long)nr);
}

const char *syscall_name(uint64_t nr)
{
	return nr < ARRAY_SIZE(syscall_names) ? syscall_names[nr] : NULL;
}

long syscall_dispatch(struct trap_frame *f)
{
	uint64_t nr = f->rax;
	syscall_fn fn = nr < ARRAY_SIZE(syscall_table) ? syscall_table[nr] : NULL;

	if (!fn || (void *)fn == (void *)sys_ni_syscall) {
		log_unknown_once(nr);
		return -ENOSYS;
	}
	return fn(f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9);
}
