/*
 * idt.c — the interrupt descriptor table and the C side of every trap: exceptions go
 * to exception_handle(), interrupts to irq_dispatch(), and whatever came from user
 * mode leaves through proc_return_to_user().
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu_private.h"
#include "proc/proc.h"

struct idt_entry {
	uint16_t offset_lo, selector;
	uint8_t ist, type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi, reserved;
} __packed;

#define GATE_INTERRUPT 0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define GATE_USER 0x60		/* DPL 3: int3 and into may be used from user mode */

extern char trap_stubs[];
static struct idt_entry idt[256];

static void idt_set(int vec, uint8_t ist, uint8_t attr)
{
	uint64_t addr = (uint64_t)trap_stubs + 16 * vec;

	idt[vec] = (struct idt_entry){
		.offset_lo = addr & 0xffff,
		.selector = KERNEL_CS,
		.ist = ist,
		.type_attr = attr,
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_hi = addr >> 32,
	};
}

/* Fills the IDT: every vector to its stub, NMI/#DF/#MC on their own stacks. */
void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		idt_set(v, 0, GATE_INTERRUPT);
	idt_set(2, IST_NMI, GATE_INTERRUPT);
	idt_set(3, 0, GATE_INTERRUPT | GATE_USER);
	idt_set(4, 0, GATE_INTERRUPT | GATE_USER);
	idt_set(8, IST_DOUBLE_FAULT, GATE_INTERRUPT);
	idt_set(18, IST_MACHINE_CHECK, GATE_INTERRUPT);
}

/* Loads the IDT on this CPU. */
void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed p = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" :: "m"(p));
}

/* Called by trap_common with interrupts off, for every exception and interrupt. */
void trap_handler(struct trap_frame *f)
{
	bool user = trap_from_user(f) && f->vector != 2;	/* not on the NMI's own stack */

	if (user)
		proc_enter_from_user();	/* the user-mode stretch ends here, not at the return */
	if (f->vector < 32)
		exception_handle(f);
	else if (f->vector != VEC_SPURIOUS)	/* spurious: no handler, no EOI */
		irq_dispatch(f);
	if (user) {
		irq_disable();
		proc_return_to_user(f);
	}
}
