/*
 * cpu.c — the boot CPU's descriptor tables and per-CPU block: GDT (layout fixed by
 * SYSCALL/SYSRET, see arch.h), TSS with the kernel stack and IST stacks, GS base,
 * and arch_init(), which brings the CPU to the state the rest of the kernel expects.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu_private.h"
#include "lib/log.h"

#define IST_STACK_SIZE 8192

/* The 64-bit TSS; only rsp0 and the IST pointers matter in long mode. */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

/* Per-CPU descriptor tables: null, kcode, kdata, udata, ucode, TSS (two slots). */
struct cpu_tables {
	uint64_t gdt[7];
	struct tss tss;
};

struct cpu cpus[MAX_CPUS];
int cpu_count = 1;
static struct cpu_tables cpu_tables[MAX_CPUS];
static uint8_t boot_ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));
static bool percpu_ready;	/* GS points at a per-CPU block */

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

/* Code/data descriptors: long-mode code (L=1), or data; dpl 0 or 3. */
#define GDT_KCODE 0x00af9a000000ffffUL
#define GDT_KDATA 0x00cf92000000ffffUL
#define GDT_UDATA 0x00cff2000000ffffUL
#define GDT_UCODE 0x00affa000000ffffUL
#define TSS_SEL 0x28

static void gdt_fill(struct cpu_tables *t)
{
	uint64_t base = (uint64_t)&t->tss, limit = sizeof(t->tss) - 1;

	t->gdt[0] = 0;
	t->gdt[1] = GDT_KCODE;
	t->gdt[2] = GDT_KDATA;
	t->gdt[3] = GDT_UDATA;
	t->gdt[4] = GDT_UCODE;
	/* available 64-bit TSS, present */
	t->gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
		    (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	t->gdt[6] = base >> 32;
}

/* Loads the GDT, reloads every segment register and the task register. */
static void gdt_load(struct cpu_tables *t)
{
	struct desc_ptr p = { sizeof(t->gdt) - 1, (uint64_t)t->gdt };

	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movw %w2, %%ds\n\t"
			 "movw %w2, %%es\n\t"
			 "movw %w2, %%ss\n\t"
			 "movw %w3, %%fs\n\t"
			 "movw %w3, %%gs\n\t"
			 "ltr %w4"
			 :: "m"(p), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(0), "r"(TSS_SEL)
			 : "rax", "memory");
}

/* Sets up GDT, TSS and GS for CPU `c`; ist_stacks holds IST_COUNT stacks. */
static void cpu_tables_init(struct cpu *c, uint8_t (*ist_stacks)[IST_STACK_SIZE])
{
	struct cpu_tables *t = &cpu_tables[c->id];

	gdt_fill(t);
	for (int i = 0; i < IST_COUNT; i++)
		t->tss.ist[i] = (uint64_t)ist_stacks[i] + IST_STACK_SIZE;
	t->tss.iomap_base = sizeof(t->tss);	/* no I/O bitmap: user port access faults */
	gdt_load(t);
	c->self = c;
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}

/* Sets the stack the CPU switches to on an interrupt from user mode (TSS.rsp0). */
void tss_set_kernel_stack(uint64_t rsp0)
{
	struct cpu *c = this_cpu();

	cpu_tables[c->id].tss.rsp[0] = rsp0;
	c->kernel_rsp = rsp0;
}

/* This CPU's number; 0 until arch_init has loaded the per-CPU block. */
int cpu_id(void)
{
	if (!READ_ONCE(percpu_ready))
		return 0;
	return this_cpu()->id;
}

/* Brings the boot CPU up: descriptor tables, per-CPU block, IDT, CPU features. */
void arch_init(void)
{
	struct cpu *c = &cpus[0];

	c->id = 0;
	c->apic_id = 0;
	cpu_tables_init(c, boot_ist_stacks);
	percpu_ready = true;
	idt_init();
	idt_load();
	cpu_features_init();
}
