/*
 * acpi_tables.c — parsers for the ACPI tables the kernel needs (RSDP, MADT, FADT and
 * the \_S5 object of the DSDT). Bytes in, structs out: no hardware access, so the
 * host unit tests (tests/unit/test_acpi.c) run them on synthetic tables.
 */
#include "arch/x86_64/acpi.h"

static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* True when the len bytes at p sum to 0 mod 256, as every ACPI table must. */
bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/* The XSDT (revision >= 2 with a valid extended checksum) or else the RSDT address. */
uint64_t acpi_rsdp_root(const void *rsdp, size_t avail, bool *is_xsdt)
{
	const uint8_t *p = rsdp;

	if (avail < 20 || memcmp(p, "RSD PTR ", 8) || !acpi_checksum_ok(p, 20))
		return 0;
	if (p[15] >= 2 && avail >= 36 && get32(p + 20) >= 36 && acpi_checksum_ok(p, 36) &&
	    get64(p + 24)) {
		*is_xsdt = true;
		return get64(p + 24);
	}
	*is_xsdt = false;
	return get32(p + 16);
}

static void madt_entry(const uint8_t *e, struct acpi_madt_info *out)
{
	switch (e[0]) {
	case 0:		/* processor local APIC; bit 0 enabled */
		if ((get32(e + 4) & 1) && out->cpu_count < ACPI_MAX_CPUS)
			out->cpu_apic_ids[out->cpu_count++] = e[3];
		break;
	case 1:		/* I/O APIC */
		if (e[1] >= 12 && out->ioapic_count < ACPI_MAX_IOAPICS)
			out->ioapics[out->ioapic_count++] = (struct acpi_ioapic){
				.id = e[2], .phys = get32(e + 4), .gsi_base = get32(e + 8) };
		break;
	case 2:		/* interrupt source override (bus 0 = ISA) */
		if (e[1] >= 10 && out->override_count < ACPI_MAX_OVERRIDES)
			out->overrides[out->override_count++] = (struct acpi_override){
				.irq = e[3], .gsi = get32(e + 4), .flags = get16(e + 8) };
		break;
	case 5:		/* 64-bit local APIC address */
		if (e[1] >= 12)
			out->lapic_phys = get64(e + 4);
		break;
	}
}

/* Collects enabled CPUs, IOAPICs and ISA overrides; -EINVAL for a malformed table. */
int acpi_parse_madt(const void *madt, size_t len, struct acpi_madt_info *out)
{
	const uint8_t *p = madt;

	memset(out, 0, sizeof(*out));
	if (len < 44 || memcmp(p, "APIC", 4) || get32(p + 4) > len)
		return -EINVAL;
	len = get32(p + 4);
	out->lapic_phys = get32(p + 36);
	for (size_t off = 44; off + 2 <= len;) {
		const uint8_t *e = p + off;

		if (e[1] < 2 || off + e[1] > len)
			return -EINVAL;
		madt_entry(e, out);
		off += e[1];
	}
	return 0;
}

/* Reads the PM ports, reset register and DSDT address; -EINVAL when too short. */
int acpi_parse_fadt(const void *fadt, size_t len, struct acpi_fadt_info *out)
{
	const uint8_t *p = fadt;

	memset(out, 0, sizeof(*out));
	if (len < 80 || memcmp(p, "FACP", 4) || get32(p + 4) > len)
		return -EINVAL;
	len = get32(p + 4);
	out->dsdt_phys = get32(p + 40);
	out->smi_cmd = get32(p + 48);
	out->acpi_enable = p[52];
	out->pm1a_cnt = get32(p + 64);
	out->pm1b_cnt = get32(p + 68);
	out->pm_timer = get32(p + 76);
	if (len >= 129 && (get32(p + 112) & (1 << 10))) {	/* RESET_REG_SUP */
		out->reset_space = p[116];
		out->reset_addr = get64(p + 120);
		out->reset_value = p[128];
	}
	if (len >= 148 && get64(p + 140))
		out->dsdt_phys = get64(p + 140);
	return 0;
}

/* Reads one integer element of a package: Zero, One, Ones, ByteConst, WordConst. */
static int aml_small_int(const uint8_t *p, const uint8_t *end, uint8_t *v, const uint8_t **next)
{
	if (p >= end)
		return -ENOENT;
	switch (*p) {
	case 0x00:
	case 0x01:
		*v = *p;
		*next = p + 1;
		return 0;
	case 0xff:
		*v = 0xff;
		*next = p + 1;
		return 0;
	case 0x0a:
	case 0x0b:
		if (p + (*p == 0x0a ? 2 : 3) > end)
			return -ENOENT;
		*v = p[1];
		*next = p + (*p == 0x0a ? 2 : 3);
		return 0;
	}
	return -ENOENT;
}

/* Parses "Name(_S5_, Package(){a, b, ...})" whose NameSeg starts at aml + i. */
static int s5_package(const uint8_t *aml, size_t len, size_t i, uint8_t *a, uint8_t *b)
{
	const uint8_t *end = aml + len, *p = aml + i + 4;

	if (!((i >= 1 && aml[i - 1] == 0x08) ||
	      (i >= 2 && aml[i - 1] == '\\' && aml[i - 2] == 0x08)))
		return -ENOENT;
	if (p + 2 > end || *p != 0x12)	/* PackageOp */
		return -ENOENT;
	p++;
	p += 1 + (*p >> 6);		/* PkgLength: lead byte + 0..3 more */
	p++;				/* NumElements */
	if (aml_small_int(p, end, a, &p))
		return -ENOENT;
	if (aml_small_int(p, end, b, &p))
		*b = 0;
	return 0;
}

/* Finds the first Name(\_S5, Package(){a, b, ...}) in the AML; 0 or -ENOENT. */
int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if (!memcmp(aml + i, "_S5_", 4) && !s5_package(aml, len, i, slp_typa, slp_typb))
			return 0;
	return -ENOENT;
}
