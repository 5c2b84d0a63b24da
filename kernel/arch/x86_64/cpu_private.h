/*
 * cpu_private.h — what the files of kernel/arch/x86_64/ share among themselves:
 * IDT vectors, the trap dispatcher, APIC access and CPU feature set-up.
 */
#ifndef LUMEN_CPU_PRIVATE_H
#define LUMEN_CPU_PRIVATE_H

#include "arch/x86_64/arch.h"

/* Interrupt stack table slots (TSS.ist[n-1] holds stack n). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_COUNT 3

/* IDT vectors. */
#define VEC_PIC_BASE 0x20	/* the masked 8259s, remapped out of the exceptions */
#define VEC_GSI_BASE 0x30	/* IOAPIC inputs: GSI n -> VEC_GSI_BASE + n */
#define GSI_MAX 32
#define VEC_MSI_FIRST 0x50
#define VEC_MSI_LAST 0xdf
#define VEC_TIMER 0xf0
#define VEC_SPURIOUS 0xff

void idt_init(void);
void idt_load(void);
void cpu_features_init(void);
/* Calls the handler registered for an interrupt vector (>= 32), then EOI. */
void irq_dispatch(struct trap_frame *f);
/* Installs handler for vector; interrupts it with no handler are just acknowledged. */
void irq_set_vector_handler(int vector, irq_handler_t handler, void *ctx);
void lapic_eoi(void);
/* Points IOAPIC input gsi at vector on the CPU with apic_id and unmasks it. Returns 0
 * or -EINVAL when no IOAPIC has that input. Needs irq_lock. */
int ioapic_route(uint32_t gsi, int vector, bool level, bool active_low, uint32_t apic_id);
/* ACPI tables (acpi.c) and the TSC-based clocks (clock.c). */
void acpi_init(void);
void clock_init(uint64_t tsc_hz);
static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
/* Handles CPU exceptions (vectors 0-31). */
void exception_handle(struct trap_frame *f);

#endif
