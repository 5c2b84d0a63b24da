/*
 * irq.c — interrupt vectors and their handlers: ISA IRQs and GSIs routed through the
 * IOAPIC (honouring the MADT's overrides), MSI vectors, and the dispatch of every
 * interrupt to its handlers followed by the local APIC EOI.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/cpu_private.h"
#include "lib/log.h"
#include "lib/spinlock.h"

#define IRQ_SHARE_MAX 4		/* handlers per vector (shared PCI INTx lines) */

struct irq_action {
	irq_handler_t handler;
	void *ctx;
};

/* Written under irq_lock; read without it by irq_dispatch (handler set last). */
static struct irq_action irq_actions[256][IRQ_SHARE_MAX];
static int msi_next = VEC_MSI_FIRST;
static spinlock_t irq_lock = SPINLOCK_INIT("irq");

extern struct acpi_madt_info acpi_madt;

/* Adds handler to vector's list; returns 0 or -EBUSY. Needs irq_lock. */
static int vector_add_locked(int vector, irq_handler_t handler, void *ctx)
{
	for (int i = 0; i < IRQ_SHARE_MAX; i++) {
		struct irq_action *a = &irq_actions[vector][i];

		if (!a->handler) {
			a->ctx = ctx;
			WRITE_ONCE(a->handler, handler);
			return 0;
		}
	}
	return -EBUSY;
}

/* Installs handler for vector (used for the timer); returns nothing, panics if full. */
void irq_set_vector_handler(int vector, irq_handler_t handler, void *ctx)
{
	uint64_t flags = spin_lock_irqsave(&irq_lock);
	int err = vector_add_locked(vector, handler, ctx);

	spin_unlock_irqrestore(&irq_lock, flags);
	if (err)
		panic("irq: vector %#x has no free handler slot", vector);
}

/* Runs with interrupts off: every handler of f->vector, then EOI. */
void irq_dispatch(struct trap_frame *f)
{
	struct cpu *c = this_cpu();

	c->irq_depth++;
	c->irq_count++;
	for (int i = 0; i < IRQ_SHARE_MAX; i++) {
		irq_handler_t h = READ_ONCE(irq_actions[f->vector][i].handler);

		if (!h)
			break;
		h(irq_actions[f->vector][i].ctx);
	}
	c->irq_depth--;
	lapic_eoi();
}

/* GSI, polarity and trigger of ISA IRQ / GSI `irq`, after the MADT overrides. */
static void irq_to_gsi(int irq, uint32_t *gsi, bool *level, bool *active_low)
{
	*gsi = irq;
	*level = *active_low = irq >= 16;	/* ISA: edge, high; PCI: level, low */
	for (int i = 0; i < acpi_madt.override_count; i++) {
		const struct acpi_override *o = &acpi_madt.overrides[i];

		if (irq >= 16 || o->irq != irq)
			continue;
		*gsi = o->gsi;
		if ((o->flags & MPS_POLARITY_MASK) != 0)
			*active_low = (o->flags & MPS_POLARITY_MASK) == MPS_POLARITY_LOW;
		if ((o->flags & MPS_TRIGGER_MASK) != 0)
			*level = (o->flags & MPS_TRIGGER_MASK) == MPS_TRIGGER_LEVEL;
	}
}

/*
 * Routes legacy IRQ (< 16, through the MADT overrides) or GSI `irq` to handler, called
 * with interrupts off on CPU 0. A line may be shared by up to four handlers.
 * Returns 0, -EINVAL for an IRQ without an IOAPIC input, or -EBUSY.
 */
int irq_register(int irq, irq_handler_t handler, void *ctx)
{
	uint32_t gsi;
	bool level, active_low;
	uint64_t flags;
	int err;

	if (irq < 0 || !handler)
		return -EINVAL;
	irq_to_gsi(irq, &gsi, &level, &active_low);
	if (gsi >= GSI_MAX)
		return -EINVAL;
	flags = spin_lock_irqsave(&irq_lock);
	err = vector_add_locked(VEC_GSI_BASE + gsi, handler, ctx);
	if (!err)
		err = ioapic_route(gsi, VEC_GSI_BASE + gsi, level, active_low, cpus[0].apic_id);
	spin_unlock_irqrestore(&irq_lock, flags);
	return err;
}

/*
 * Allocates a vector for an MSI/MSI-X interrupt aimed at CPU 0 and installs handler.
 * Fills the address and data the device must write; returns the vector or -ENOSPC.
 */
int irq_alloc_msi(irq_handler_t handler, void *ctx, uint32_t *msi_addr, uint32_t *msi_data)
{
	uint64_t flags = spin_lock_irqsave(&irq_lock);
	int vector = msi_next;

	if (vector > VEC_MSI_LAST) {
		spin_unlock_irqrestore(&irq_lock, flags);
		return -ENOSPC;
	}
	msi_next++;
	vector_add_locked(vector, handler, ctx);
	spin_unlock_irqrestore(&irq_lock, flags);
	*msi_addr = 0xfee00000 | (cpus[0].apic_id << 12);
	*msi_data = vector;		/* fixed delivery, edge */
	return vector;
}
