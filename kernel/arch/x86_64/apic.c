/*
 * apic.c — the interrupt controllers: the legacy 8259 PICs (masked), the local APIC
 * and its periodic timer, the IOAPICs; and interrupts_init(), which sets them up from
 * the ACPI MADT and calibrates the LAPIC timer and the TSC against PIT channel 2.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu_private.h"
#include "lib/log.h"
#include "mm/mm.h"
#include "proc/proc.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_ENABLE (1UL << 11)

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LAPIC_SVR_ENABLE 0x100
#define LVT_MASKED (1U << 16)
#define LVT_PERIODIC (1U << 17)
#define TIMER_DIV_16 0x3

#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_VER 0x01
#define IOAPIC_REDTBL 0x10
#define REDIR_MASKED (1U << 16)
#define REDIR_LEVEL (1U << 15)
#define REDIR_ACTIVE_LOW (1U << 13)

#define PIT_HZ 1193182
#define CALIBRATE_MS 10

/* An IOAPIC; its registers are reached through the select/window pair under irq_lock. */
struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base, count;
};

static volatile uint32_t *lapic;
static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static int ioapic_count;
static uint32_t lapic_timer_hz;

extern struct acpi_madt_info acpi_madt;

static uint32_t lapic_read(uint32_t reg) { return lapic[reg / 4]; }
static void lapic_write(uint32_t reg, uint32_t v) { lapic[reg / 4] = v; }

/* Signals the end of the interrupt being handled to this CPU's local APIC. */
void lapic_eoi(void)
{
	if (lapic)
		lapic_write(LAPIC_EOI, 0);
}

static uint32_t ioapic_read(struct ioapic *io, uint32_t reg)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	return io->regs[IOAPIC_WIN / 4];
}

static void ioapic_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[IOAPIC_REGSEL / 4] = reg;
	io->regs[IOAPIC_WIN / 4] = v;
}

/* Programs IOAPIC input gsi (see cpu_private.h); needs irq_lock. */
int ioapic_route(uint32_t gsi, int vector, bool level, bool active_low, uint32_t apic_id)
{
	for (int i = 0; i < ioapic_count; i++) {
		struct ioapic *io = &ioapics[i];
		uint32_t pin = gsi - io->gsi_base, low = vector;

		if (gsi < io->gsi_base || pin >= io->count)
			continue;
		if (level)
			low |= REDIR_LEVEL;
		if (active_low)
			low |= REDIR_ACTIVE_LOW;
		ioapic_write(io, IOAPIC_REDTBL + 2 * pin + 1, apic_id << 24);
		ioapic_write(io, IOAPIC_REDTBL + 2 * pin, low);
		return 0;
	}
	return -EINVAL;
}

/* Moves the 8259s' vectors off the exceptions, then masks every line. */
static void pic_disable(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, VEC_PIC_BASE);
	outb(0xa1, VEC_PIC_BASE + 8);
	outb(0x21, 4);
	outb(0xa1, 2);
	outb(0x21, 1);
	outb(0xa1, 1);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

static void ioapics_init(void)
{
	for (int i = 0; i < acpi_madt.ioapic_count; i++) {
		struct ioapic *io = &ioapics[ioapic_count];

		io->regs = ioremap(acpi_madt.ioapics[i].phys, PAGE_SIZE);
		if (!io->regs)
			panic("ioapic: cannot map %#x", acpi_madt.ioapics[i].phys);
		io->gsi_base = acpi_madt.ioapics[i].gsi_base;
		io->count = ((ioapic_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
		for (uint32_t pin = 0; pin < io->count; pin++)
			ioapic_write(io, IOAPIC_REDTBL + 2 * pin, REDIR_MASKED);
		ioapic_count++;
		pr_info("ioapic: id %u at %#x, GSI %u-%u", acpi_madt.ioapics[i].id,
			acpi_madt.ioapics[i].phys, io->gsi_base, io->gsi_base + io->count - 1);
	}
}

static void lapic_init(void)
{
	lapic = ioremap(acpi_madt.lapic_phys, PAGE_SIZE);
	if (!lapic)
		panic("lapic: cannot map %#lx", (unsigned long)acpi_madt.lapic_phys);
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VEC_SPURIOUS);
	this_cpu()->apic_id = lapic_read(LAPIC_ID) >> 24;
}

/* Counts the LAPIC timer and the TSC over CALIBRATE_MS of PIT channel 2 (mode 0). */
static void timers_calibrate(uint64_t *tsc_hz)
{
	uint16_t count = PIT_HZ * CALIBRATE_MS / 1000;
	uint64_t t0, t1;
	uint32_t lapic_ticks;

	outb(0x61, inb(0x61) & ~0x03);		/* gate low, speaker off */
	outb(0x43, 0xb0);			/* channel 2, lo/hi byte, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, count >> 8);
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	outb(0x61, inb(0x61) | 0x01);		/* gate high: counting starts */
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20))		/* OUT2 goes high at terminal count */
		cpu_relax();
	t1 = rdtsc();
	lapic_ticks = 0xffffffff - lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_timer_hz = (uint64_t)lapic_ticks * 1000 / CALIBRATE_MS;
	*tsc_hz = (t1 - t0) * 1000 / CALIBRATE_MS;
}

static void timer_tick(void *ctx)
{
	if (this_cpu()->id == 0)
		clock_tick();
	sched_tick();
}

/* Starts the periodic LAPIC timer at TIMER_HZ on this CPU. */
static void lapic_timer_start(void)
{
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, VEC_TIMER | LVT_PERIODIC);
	lapic_write(LAPIC_TIMER_INIT, lapic_timer_hz / TIMER_HZ);
}

/*
 * Sets up interrupt delivery from the ACPI tables: PICs masked, LAPIC on, IOAPIC
 * inputs masked until irq_register, clocks calibrated and the scheduler tick running
 * (it fires once interrupts are enabled). After mm_init.
 */
void interrupts_init(void)
{
	uint64_t tsc_hz;

	acpi_init();
	pic_disable();
	lapic_init();
	ioapics_init();
	timers_calibrate(&tsc_hz);
	clock_init(tsc_hz);
	pr_info("apic: LAPIC id %u, timer %u Hz, TSC %lu.%03lu MHz", this_cpu()->apic_id,
		lapic_timer_hz, (unsigned long)(tsc_hz / 1000000),
		(unsigned long)(tsc_hz / 1000 % 1000));
	irq_set_vector_handler(VEC_TIMER, timer_tick, NULL);
	lapic_timer_start();
}
