/*
 * acpi.c — finds the ACPI tables from GRUB's copy of the RSDP, keeps what the MADT
 * and FADT say, and turns the machine off (S5), resets or halts it.
 *
 * The tables lie in RAM below 4 GiB, which the direct map covers.
 */
#include "arch/x86_64/acpi.h"
#include "arch/x86_64/arch.h"
#include "lib/log.h"
#include "mm/mm.h"

#define SLP_EN (1 << 13)

struct acpi_madt_info acpi_madt;
struct acpi_fadt_info acpi_fadt;
static bool s5_found;
static uint8_t s5_typa, s5_typb;

/* The table at phys when its checksum holds, else NULL. */
static const struct acpi_sdt_header *table_at(uint64_t phys)
{
	const struct acpi_sdt_header *h;

	if (!phys)
		return NULL;
	h = phys_to_virt(phys);
	if (h->length < sizeof(*h) || !acpi_checksum_ok(h, h->length))
		return NULL;
	return h;
}

/* Finds the table with signature sig through the RSDT/XSDT. */
static const struct acpi_sdt_header *table_find(const struct acpi_sdt_header *root,
						bool is_xsdt, const char *sig)
{
	size_t width = is_xsdt ? 8 : 4;
	size_t count = (root->length - sizeof(*root)) / width;
	const uint8_t *entries = (const uint8_t *)(root + 1);

	for (size_t i = 0; i < count; i++) {
		uint64_t phys = 0;
		const struct acpi_sdt_header *h;

		memcpy(&phys, entries + i * width, width);
		h = table_at(phys);
		if (h && !memcmp(h->signature, sig, 4))
			return h;
	}
	return NULL;
}

static void acpi_read_fadt(const struct acpi_sdt_header *fadt)
{
	const struct acpi_sdt_header *dsdt;

	if (!fadt || acpi_parse_fadt(fadt, fadt->length, &acpi_fadt)) {
		pr_warn("acpi: no usable FADT, power-off will not work");
		return;
	}
	dsdt = table_at(acpi_fadt.dsdt_phys);
	if (dsdt && !acpi_find_s5((const uint8_t *)(dsdt + 1), dsdt->length - sizeof(*dsdt),
				  &s5_typa, &s5_typb))
		s5_found = true;
	pr_info("acpi: PM1a_CNT %#x PM1b_CNT %#x PM_TMR %#x, \\_S5 %s (SLP_TYP %u/%u)",
		acpi_fadt.pm1a_cnt, acpi_fadt.pm1b_cnt, acpi_fadt.pm_timer,
		s5_found ? "found" : "missing", s5_typa, s5_typb);
}

/* Reads the MADT and FADT; panics without a MADT (no interrupt routing then). */
void acpi_init(void)
{
	const struct acpi_sdt_header *root, *madt;
	bool is_xsdt = false;
	uint64_t root_phys = 0;

	if (boot_info.rsdp_phys)
		root_phys = acpi_rsdp_root(phys_to_virt(boot_info.rsdp_phys), 36, &is_xsdt);
	root = table_at(root_phys);
	if (!root)
		panic("acpi: no valid RSDP/RSDT from the boot loader");
	madt = table_find(root, is_xsdt, "APIC");
	if (!madt || acpi_parse_madt(madt, madt->length, &acpi_madt))
		panic("acpi: no valid MADT");
	pr_info("acpi: %s at %#lx, LAPIC %#lx, %d CPU(s), %d IOAPIC(s), %d override(s)",
		is_xsdt ? "XSDT" : "RSDT", (unsigned long)root_phys,
		(unsigned long)acpi_madt.lapic_phys, acpi_madt.cpu_count,
		acpi_madt.ioapic_count, acpi_madt.override_count);
	acpi_read_fadt(table_find(root, is_xsdt, "FACP"));
}

/* Stops this CPU for good, interrupts off. */
void machine_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* ACPI S5 (soft off): SLP_TYP from \_S5 and SLP_EN into PM1a/PM1b control. */
void machine_power_off(void)
{
	irq_disable();
	if (s5_found && acpi_fadt.pm1a_cnt) {
		outw(acpi_fadt.pm1a_cnt, (inw(acpi_fadt.pm1a_cnt) & ~(7 << 10)) | (s5_typa << 10) | SLP_EN);
		if (acpi_fadt.pm1b_cnt)
			outw(acpi_fadt.pm1b_cnt,
			     (inw(acpi_fadt.pm1b_cnt) & ~(7 << 10)) | (s5_typb << 10) | SLP_EN);
		for (int i = 0; i < 1000000; i++)
			cpu_relax();
	}
	klog(LOG_EMERG, "power off failed; halting");
	machine_halt();
}

/* Resets through the FADT reset register, port 0xcf9, then the keyboard controller. */
void machine_reboot(void)
{
	static const struct { uint16_t limit; uint64_t base; } __packed no_idt = { 0, 0 };

	irq_disable();
	if (acpi_fadt.reset_space == 1 && acpi_fadt.reset_addr)
		outb(acpi_fadt.reset_addr, acpi_fadt.reset_value);
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	for (int i = 0; i < 100000 && (inb(0x64) & 0x02); i++)
		cpu_relax();
	outb(0x64, 0xfe);
	for (int i = 0; i < 1000000; i++)
		cpu_relax();
	/* Last resort: a triple fault. */
	__asm__ volatile("lidt %0; int3" :: "m"(no_idt));
	machine_halt();
}
