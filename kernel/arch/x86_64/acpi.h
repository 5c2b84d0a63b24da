/*
 * acpi.h — what the kernel reads from the ACPI tables: the interrupt controllers of
 * the MADT and the sleep registers of the FADT and DSDT. The parsers in
 * acpi_tables.c work on bytes only (no hardware access), so host tests run them.
 */
#ifndef LUMEN_ACPI_H
#define LUMEN_ACPI_H

#include "lib/lib.h"

#define ACPI_MAX_IOAPICS 4
#define ACPI_MAX_OVERRIDES 16
#define ACPI_MAX_CPUS 64

struct acpi_ioapic {
	uint8_t id;
	uint32_t phys;
	uint32_t gsi_base;
};

/* An ISA IRQ wired to another GSI, or with non-ISA polarity/trigger. */
struct acpi_override {
	uint8_t irq;
	uint32_t gsi;
	uint16_t flags;		/* MPS INTI flags: bits 0-1 polarity, 2-3 trigger */
};
#define MPS_POLARITY_MASK 0x3
#define MPS_POLARITY_LOW 0x3
#define MPS_TRIGGER_MASK 0xc
#define MPS_TRIGGER_LEVEL 0xc

struct acpi_madt_info {
	uint64_t lapic_phys;
	uint8_t cpu_apic_ids[ACPI_MAX_CPUS];
	int cpu_count;		/* enabled processors */
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	int ioapic_count;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	int override_count;
};

struct acpi_fadt_info {
	uint64_t dsdt_phys;
	uint32_t pm1a_cnt, pm1b_cnt;	/* I/O ports, 0 when absent */
	uint32_t pm_timer;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t reset_space;		/* RESET_REG (FADT rev >= 2): 1 = I/O port */
	uint64_t reset_addr;
	uint8_t reset_value;
};

/* Header shared by every table. */
struct acpi_sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem_id[6], oem_table_id[8];
	uint32_t oem_revision, creator_id, creator_revision;
} __packed;

/* True when the len bytes at p sum to 0 mod 256. */
bool acpi_checksum_ok(const void *p, size_t len);
/* Root table address from the RSDP: *is_xsdt tells 64-bit entries. 0 when invalid. */
uint64_t acpi_rsdp_root(const void *rsdp, size_t avail, bool *is_xsdt);
/* Reads the MADT (whole table, len bytes); returns 0 or -EINVAL. */
int acpi_parse_madt(const void *madt, size_t len, struct acpi_madt_info *out);
/* Reads the FADT; returns 0 or -EINVAL. */
int acpi_parse_fadt(const void *fadt, size_t len, struct acpi_fadt_info *out);
/* Finds \_S5 in AML and returns its SLP_TYPa/b values; 0 or -ENOENT. */
int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb);

#endif
