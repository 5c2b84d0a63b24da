/*
 * trap.c — CPU exceptions. A fault in user mode becomes the signal Linux sends for
 * it; a fault in kernel mode resumes at its exception-table fix-up (uaccess) or ends
 * in an oops: registers, backtrace, panic.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu_private.h"
#include "lib/log.h"
#include "mm/mm.h"
#include "proc/proc.h"
#include <asm/signal.h>
#include <asm/siginfo.h>

#define PF_PRESENT 0x1

extern const struct exception_entry __ex_table_start[], __ex_table_end[];

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
	"invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
	"invalid TSS", "segment not present", "stack segment fault", "general protection fault",
	"page fault", "reserved 15", "x87 floating-point exception", "alignment check",
	"machine check", "SIMD floating-point exception", "virtualization exception",
	"control protection fault",
};

static const char *exception_name(uint64_t vec)
{
	if (vec < 32 && exception_names[vec])
		return exception_names[vec];
	return "reserved";
}

static uint64_t read_cr2(void)
{
	uint64_t v;
	__asm__ volatile("movq %%cr2, %0" : "=r"(v));
	return v;
}

/* The fix-up address for a faulting kernel rip, or 0. */
static uint64_t exception_fixup(uint64_t rip)
{
	for (const struct exception_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}

static void oops_print_registers(struct trap_frame *f, uint64_t cr2)
{
	uint64_t cr0, cr3, cr4;

	__asm__ volatile("movq %%cr0, %0; movq %%cr3, %1; movq %%cr4, %2"
			 : "=r"(cr0), "=r"(cr3), "=r"(cr4));
	klog(LOG_EMERG, "Oops: %s, error code %#lx, vector %lu, CPU %d",
	     exception_name(f->vector), (unsigned long)f->error, (unsigned long)f->vector, cpu_id());
	klog(LOG_EMERG, "RIP: %04lx:%016lx RFLAGS: %08lx", (unsigned long)f->cs,
	     (unsigned long)f->rip, (unsigned long)f->rflags);
	klog(LOG_EMERG, "RSP: %04lx:%016lx CR2: %016lx", (unsigned long)f->ss,
	     (unsigned long)f->rsp, (unsigned long)cr2);
	klog(LOG_EMERG, "RAX: %016lx RBX: %016lx RCX: %016lx", (unsigned long)f->rax,
	     (unsigned long)f->rbx, (unsigned long)f->rcx);
	klog(LOG_EMERG, "RDX: %016lx RSI: %016lx RDI: %016lx", (unsigned long)f->rdx,
	     (unsigned long)f->rsi, (unsigned long)f->rdi);
	klog(LOG_EMERG, "RBP: %016lx R08: %016lx R09: %016lx", (unsigned long)f->rbp,
	     (unsigned long)f->r8, (unsigned long)f->r9);
	klog(LOG_EMERG, "R10: %016lx R11: %016lx R12: %016lx", (unsigned long)f->r10,
	     (unsigned long)f->r11, (unsigned long)f->r12);
	klog(LOG_EMERG, "R13: %016lx R14: %016lx R15: %016lx", (unsigned long)f->r13,
	     (unsigned long)f->r14, (unsigned long)f->r15);
	klog(LOG_EMERG, "CR0: %016lx CR3: %016lx CR4: %016lx", (unsigned long)cr0,
	     (unsigned long)cr3, (unsigned long)cr4);
}

/* A kernel-mode fault nobody expected: print everything and stop. */
static __noreturn void oops(struct trap_frame *f, uint64_t cr2)
{
	uint64_t off;
	const char *fn = ksym_lookup(f->rip, &off);

	if (f->vector == 14)
		klog(LOG_EMERG, "BUG: unable to handle page fault for address %016lx (%s, %s)",
		     (unsigned long)cr2, f->error & 2 ? "write" : "read",
		     f->error & PF_PRESENT ? "protection violation" : "not present");
	oops_print_registers(f, cr2);
	backtrace_print(f->rip, f->rbp);
	panic("Oops: %s at %s+%#lx", exception_name(f->vector), fn ? fn : "?", (unsigned long)off);
}

/* SIGFPE's si_code for the raised, unmasked exception bits (x87 and SSE share them);
 * 0 when none is set, and then Linux sends nothing. */
static int fpe_code(uint32_t err)
{
	if (err & 0x01)
		return FPE_FLTINV;
	if (err & 0x04)
		return FPE_FLTDIV;
	if (err & 0x08)
		return FPE_FLTOVF;
	if (err & 0x12)		/* underflow or denormal */
		return FPE_FLTUND;
	if (err & 0x20)
		return FPE_FLTRES;
	return 0;
}

/* The x87 (#MF) or SSE (#XM) exception that trapped; the task's FPU state is live. */
static int fpu_exception_code(bool simd)
{
	uint32_t mxcsr;
	uint16_t cwd, swd;

	if (simd) {
		__asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
		return fpe_code(mxcsr & ~(mxcsr >> 7) & 0x3f);
	}
	__asm__ volatile("fnstcw %0; fnstsw %1" : "=m"(cwd), "=m"(swd));
	return fpe_code(swd & ~cwd & 0x3f);
}

/* The signal Linux sends for a user-mode exception other than #PF. */
static void user_exception(struct trap_frame *f)
{
	uint64_t dr6;
	int code;

	switch (f->vector) {
	case 0:
		signal_force_fault(SIGFPE, FPE_INTDIV, f->rip);
		break;
	case 1:
		__asm__ volatile("movq %%db6, %0" : "=r"(dr6));
		__asm__ volatile("movq %0, %%db6" :: "r"(0xffff0ff0UL));	/* DR6 bits are sticky */
		signal_force_fault(SIGTRAP, dr6 & (1 << 14) ? TRAP_TRACE : TRAP_BRKPT, f->rip);
		break;
	case 3:
		signal_force_fault(SIGTRAP, SI_KERNEL, 0);
		break;
	case 6:
		signal_force_fault(SIGILL, ILL_ILLOPN, f->rip);
		break;
	case 9:
		signal_force_fault(SIGFPE, FPE_FLTINV, f->rip);
		break;
	case 16:
	case 19:
		code = fpu_exception_code(f->vector == 19);
		if (code)
			signal_force_fault(SIGFPE, code, f->rip);
		break;
	case 11:
	case 12:	/* Linux sends SIGBUS for #NP and #SS */
		signal_force_fault(SIGBUS, SI_KERNEL, 0);
		break;
	case 17:
		signal_force_fault(SIGBUS, BUS_ADRALN, f->rip);
		break;
	default:	/* #GP, #TS, #OF, ... */
		signal_force_fault(SIGSEGV, SI_KERNEL, 0);
		break;
	}
}

/*
 * SIGSEGV's si_code as Linux picks it: SEGV_ACCERR when a mapping covers the address
 * but forbids the access (mm says -EACCES, or the page was present), SEGV_MAPERR
 * when nothing is mapped there, kernel addresses included.
 */
static int segv_code(int err, uint64_t addr, uint64_t error)
{
	if (err == -EACCES || (addr < USER_SPACE_END && (error & PF_PRESENT)))
		return SEGV_ACCERR;
	return SEGV_MAPERR;
}

static void page_fault(struct trap_frame *f)
{
	uint64_t cr2 = read_cr2();
	bool user = trap_from_user(f);
	uint64_t fixup;
	int err = -EFAULT;

	if (f->rflags & (1 << 9))	/* faulting code could be interrupted: so may we */
		irq_enable();
	if (user || cr2 < USER_SPACE_END)
		err = mm_handle_page_fault(cr2, f->error);
	irq_disable();
	if (!err)
		return;
	if (user) {
		if (err == -ENOMEM)
			signal_force_fault(SIGKILL, SI_KERNEL, 0);
		else if (err == -EIO)	/* a file mapping's page beyond the end */
			signal_force_fault(SIGBUS, BUS_ADRERR, cr2);
		else
			signal_force_fault(SIGSEGV, segv_code(err, cr2, f->error), cr2);
		return;
	}
	fixup = exception_fixup(f->rip);
	if (!fixup)
		oops(f, cr2);
	f->rip = fixup;
}

/* Handles exception f->vector (< 32); returns when execution may resume. */
void exception_handle(struct trap_frame *f)
{
	uint64_t fixup;

	if (f->vector == 14) {
		page_fault(f);
		return;
	}
	if (f->vector == 2) {
		pr_warn("NMI received on CPU %d, ignored", cpu_id());
		return;
	}
	if (trap_from_user(f) && f->vector != 8 && f->vector != 18) {
		user_exception(f);
		return;
	}
	fixup = exception_fixup(f->rip);
	if (!fixup || f->vector == 8 || f->vector == 18)
		oops(f, read_cr2());
	f->rip = fixup;
}
