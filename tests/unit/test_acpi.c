// sources: kernel/arch/x86_64/acpi_tables.c
/* Tests of the ACPI table parsers on synthetic RSDP, MADT, FADT and DSDT bytes. */
#include "unit.h"
#include "arch/x86_64/acpi.h"

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void fix_checksum(uint8_t *p, size_t len, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[at] = -sum;
}

TEST(rsdp_v1_and_v2)
{
	uint8_t r[36] = "RSD PTR ";
	bool x;

	put32(r + 16, 0x1234000);
	fix_checksum(r, 20, 8);
	CHECK_EQ(acpi_rsdp_root(r, sizeof(r), &x), 0x1234000);
	CHECK(!x);
	r[15] = 2;
	put32(r + 20, 36);
	put64(r + 24, 0x5678000);
	fix_checksum(r, 20, 8);
	fix_checksum(r, 36, 32);
	CHECK_EQ(acpi_rsdp_root(r, sizeof(r), &x), 0x5678000);
	CHECK(x);
	r[9] ^= 1;				/* broken checksum */
	CHECK_EQ(acpi_rsdp_root(r, sizeof(r), &x), 0);
}

/* A MADT like QEMU's: one CPU (+ one disabled), an IOAPIC, two overrides. */
static size_t make_madt(uint8_t *m)
{
	size_t n = 44;

	memset(m, 0, 256);
	memcpy(m, "APIC", 4);
	put32(m + 36, 0xfee00000);
	m[n] = 0; m[n + 1] = 8; m[n + 3] = 0; put32(m + n + 4, 1); n += 8;
	m[n] = 0; m[n + 1] = 8; m[n + 3] = 1; put32(m + n + 4, 0); n += 8;
	m[n] = 1; m[n + 1] = 12; m[n + 2] = 0; put32(m + n + 4, 0xfec00000); put32(m + n + 8, 0); n += 12;
	m[n] = 2; m[n + 1] = 10; m[n + 3] = 0; put32(m + n + 4, 2); put16(m + n + 8, 0); n += 10;
	m[n] = 2; m[n + 1] = 10; m[n + 3] = 9; put32(m + n + 4, 9); put16(m + n + 8, 0xd); n += 10;
	put32(m + 4, n);
	return n;
}

TEST(madt_entries)
{
	uint8_t m[256];
	struct acpi_madt_info info;
	size_t n = make_madt(m);

	CHECK_EQ(acpi_parse_madt(m, n, &info), 0);
	CHECK_EQ(info.lapic_phys, 0xfee00000);
	CHECK_EQ(info.cpu_count, 1);
	CHECK_EQ(info.cpu_apic_ids[0], 0);
	CHECK_EQ(info.ioapic_count, 1);
	CHECK_EQ(info.ioapics[0].phys, 0xfec00000);
	CHECK_EQ(info.override_count, 2);
	CHECK_EQ(info.overrides[0].irq, 0);
	CHECK_EQ(info.overrides[0].gsi, 2);
	CHECK_EQ(info.overrides[1].irq, 9);
	CHECK_EQ(info.overrides[1].flags & MPS_TRIGGER_MASK, MPS_TRIGGER_LEVEL);
	CHECK_EQ(info.overrides[1].flags & MPS_POLARITY_MASK, 1);
}

TEST(madt_rejects_bad_entries)
{
	uint8_t m[256];
	struct acpi_madt_info info;
	size_t n = make_madt(m);

	m[45] = 0;				/* zero-length entry would loop */
	CHECK_EQ(acpi_parse_madt(m, n, &info), -EINVAL);
	n = make_madt(m);
	m[44 + 16 + 1] = 200;			/* entry past the end */
	CHECK_EQ(acpi_parse_madt(m, n, &info), -EINVAL);
	CHECK_EQ(acpi_parse_madt(m, 20, &info), -EINVAL);
}

TEST(fadt_ports_and_dsdt)
{
	uint8_t f[244] = "FACP";
	struct acpi_fadt_info info;

	put32(f + 4, sizeof(f));
	put32(f + 40, 0x3ffe0040);
	put32(f + 64, 0x604);
	put32(f + 76, 0x608);
	put32(f + 112, 1 << 10);
	f[116] = 1;
	put64(f + 120, 0xcf9);
	f[128] = 6;
	CHECK_EQ(acpi_parse_fadt(f, sizeof(f), &info), 0);
	CHECK_EQ(info.dsdt_phys, 0x3ffe0040);
	CHECK_EQ(info.pm1a_cnt, 0x604);
	CHECK_EQ(info.pm1b_cnt, 0);
	CHECK_EQ(info.pm_timer, 0x608);
	CHECK_EQ(info.reset_addr, 0xcf9);
	CHECK_EQ(info.reset_value, 6);
	put64(f + 140, 0x123456789000);		/* X_DSDT wins */
	CHECK_EQ(acpi_parse_fadt(f, sizeof(f), &info), 0);
	CHECK_EQ(info.dsdt_phys, 0x123456789000);
}

struct s5_case {
	const char *name;
	uint8_t aml[24];
	size_t len;
	int ret;
	uint8_t a, b;
};

static const struct s5_case s5_cases[] = {
	/* QEMU's pc: Name(_S5, Package(4){Zero, Zero, Zero, Zero}) */
	{ "qemu", { 0x10, 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00 }, 13, 0, 0, 0 },
	/* Name(\_S5, Package(){0x05, 0x07}) with ByteConst */
	{ "rooted", { 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x07, 0x02, 0x0a, 0x05, 0x0a, 0x07 }, 13, 0, 5, 7 },
	/* a reference to _S5 (not a NameOp) first, then the definition with One/WordConst */
	{ "ref", { 'x', '_', 'S', '5', '_', 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x02, 0x01, 0x0b, 0x03, 0x00 }, 17, 0, 1, 3 },
	/* two-byte PkgLength */
	{ "pkglen2", { 0x08, '_', 'S', '5', '_', 0x12, 0x40, 0x01, 0x02, 0x0a, 0x06, 0x00 }, 12, 0, 6, 0 },
	{ "missing", { 0x08, '_', 'S', '4', '_', 0x12, 0x06, 0x04, 0x00 }, 9, -ENOENT, 0, 0 },
	{ "truncated", { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04 }, 8, -ENOENT, 0, 0 },
};

TEST(dsdt_s5)
{
	for (size_t i = 0; i < sizeof(s5_cases) / sizeof(s5_cases[0]); i++) {
		const struct s5_case *c = &s5_cases[i];
		uint8_t a = 0xee, b = 0xee;
		int ret = acpi_find_s5(c->aml, c->len, &a, &b);

		CHECK_EQ(ret, c->ret);
		if (!c->ret) {
			CHECK_EQ(a, c->a);
			CHECK_EQ(b, c->b);
		}
	}
}
