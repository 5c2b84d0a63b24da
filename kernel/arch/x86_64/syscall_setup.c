/*
 * syscall_setup.c — the SYSCALL MSRs and the C half of the syscall entry.
 */
#include "arch/x86_64/arch.h"
#include "proc/proc.h"
#include "sys/syscall.h"

#define EFER_SCE 1
#define RFLAGS_TF (1UL << 8)
#define RFLAGS_IF (1UL << 9)
#define RFLAGS_DF (1UL << 10)
#define RFLAGS_RF (1UL << 16)
#define RFLAGS_AC (1UL << 18)
#define SYSRET_RIP_LIMIT 0x00007ffffffff000UL	/* stay clear of the SYSRET #GP erratum */

void syscall_entry(void);
long syscall_handle(struct trap_frame *f);

/* Enables SYSCALL on this CPU: kernel CS 0x08 on entry, user CS 0x23 / SS 0x1b on
 * SYSRET (base 0x10), entry at syscall_entry with IF, DF, TF and AC cleared. */
void syscall_msr_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, ((uint64_t)0x10 << 48) | ((uint64_t)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC);
}

/* True when SYSRET reproduces the frame exactly: rcx/r11 already hold rip/rflags
 * and nothing about the frame needs IRET. */
static bool syscall_can_sysret(const struct trap_frame *f)
{
	return f->rcx == f->rip && f->r11 == f->rflags && f->rip < SYSRET_RIP_LIMIT &&
	       f->cs == USER_CS && f->ss == USER_DS && !(f->rflags & (RFLAGS_TF | RFLAGS_RF));
}

/*
 * Called by syscall_entry with interrupts on: runs the syscall, stores its result,
 * delivers signals and reschedules. Returns nonzero when the entry code may leave by
 * SYSRET, zero when it must IRET through the frame.
 */
long syscall_handle(struct trap_frame *f)
{
	proc_enter_from_user();
	f->rax = syscall_dispatch(f);
	proc_return_to_user(f);
	return syscall_can_sysret(f);
}
