/* panic.c — stopping the machine on a broken invariant, with a symbolized backtrace. */
#include "lib/log.h"
#include "arch/x86_64/arch.h"

extern const uint64_t ksyms_addrs[];
extern const uint64_t ksyms_count;
extern const char ksyms_names[];

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;
	const char *name = ksyms_names;

	if (!ksyms_count || addr < ksyms_addrs[0])
		return NULL;
	while (hi - lo > 1) {	/* last symbol with address <= addr */
		uint64_t mid = (lo + hi) / 2;
		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	for (uint64_t i = 0; i < lo; i++)
		name += strlen(name) + 1;
	*offset = addr - ksyms_addrs[lo];
	return name;
}

static void print_frame(uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		klog(LOG_EMERG, "  [<%016lx>] %s+%#lx", (unsigned long)addr, name, (unsigned long)off);
	else
		klog(LOG_EMERG, "  [<%016lx>] ?", (unsigned long)addr);
}

/* Kernel stacks live in the direct map (kmalloc) or the kernel image (boot stack). */
#define KERNEL_HALF_START 0xffff800000000000UL

/* Follows saved frame pointers while they stay in the kernel half. */
void backtrace_print(uint64_t rip, uint64_t rbp)
{
	klog(LOG_EMERG, "Backtrace:");
	print_frame(rip);
	for (int depth = 0; depth < 32 && rbp >= KERNEL_HALF_START && !(rbp & 7); depth++) {
		const uint64_t *frame = (const uint64_t *)rbp;
		if (frame[1] < KERNEL_VMA)
			break;
		print_frame(frame[1]);
		rbp = frame[0];
	}
}

void panic(const char *fmt, ...)
{
	static int panicking;
	char msg[256];
	va_list ap;
	uint64_t rbp;

	irq_disable();
	if (__atomic_fetch_add(&panicking, 1, __ATOMIC_SEQ_CST))
		machine_halt();
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	klog(LOG_EMERG, "KERNEL PANIC: %s", msg);
	__asm__ volatile("movq %%rbp, %0" : "=r"(rbp));
	backtrace_print((uint64_t)__builtin_return_address(0), *(uint64_t *)rbp);
	klog(LOG_EMERG, "System halted.");
	machine_halt();
}
