/*
 * pci.c — PCI configuration space through the legacy ports 0xcf8/0xcfc: finds every
 * device (bus 0, and behind PCI-to-PCI bridges), decodes its BARs and lists it in
 * pci_devices, which drivers then search.
 */
#include "arch/x86_64/arch.h"
#include "lib/log.h"
#include "lib/spinlock.h"
#include "mm/mm.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc

#define PCI_VENDOR_ID 0x00
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_REVISION 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_SECONDARY_BUS 0x19
#define PCI_SUBSYSTEM_VENDOR 0x2c
#define PCI_CAPABILITIES 0x34
#define PCI_INTERRUPT_LINE 0x3c

#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_STATUS_CAP_LIST 0x10

/* Set up by pci_init before any driver runs, then only read. */
LIST_HEAD(pci_devices);
/* Serializes the address/data port pair. */
static spinlock_t pci_lock = SPINLOCK_INIT("pci");

static uint32_t config_read(uint8_t bus, uint8_t slot, uint8_t func, uint16_t off)
{
	uint64_t flags = spin_lock_irqsave(&pci_lock);
	uint32_t v;

	outl(PCI_CONFIG_ADDRESS, 0x80000000U | bus << 16 | slot << 11 | func << 8 | (off & 0xfc));
	v = inl(PCI_CONFIG_DATA);
	spin_unlock_irqrestore(&pci_lock, flags);
	return v;
}

static void config_write(uint8_t bus, uint8_t slot, uint8_t func, uint16_t off, uint32_t v)
{
	uint64_t flags = spin_lock_irqsave(&pci_lock);

	outl(PCI_CONFIG_ADDRESS, 0x80000000U | bus << 16 | slot << 11 | func << 8 | (off & 0xfc));
	outl(PCI_CONFIG_DATA, v);
	spin_unlock_irqrestore(&pci_lock, flags);
}

/* Reads the aligned dword at offset of d's configuration space. */
uint32_t pci_config_read32(struct pci_device *d, uint16_t offset)
{
	return config_read(d->bus, d->slot, d->func, offset);
}

/* Writes the aligned dword at offset of d's configuration space. */
void pci_config_write32(struct pci_device *d, uint16_t offset, uint32_t v)
{
	config_write(d->bus, d->slot, d->func, offset, v);
}

/* Reads the 16-bit word at (even) offset. */
uint16_t pci_config_read16(struct pci_device *d, uint16_t offset)
{
	return pci_config_read32(d, offset) >> ((offset & 2) * 8);
}

/* Writes the 16-bit word at (even) offset, keeping the other half of the dword. */
void pci_config_write16(struct pci_device *d, uint16_t offset, uint16_t v)
{
	int shift = (offset & 2) * 8;
	uint32_t old = pci_config_read32(d, offset);

	pci_config_write32(d, offset, (old & ~(0xffffU << shift)) | (uint32_t)v << shift);
}

/* Reads the byte at offset. */
uint8_t pci_config_read8(struct pci_device *d, uint16_t offset)
{
	return pci_config_read32(d, offset) >> ((offset & 3) * 8);
}

/* Returns the config-space offset of capability id, or 0 when d has none. */
uint8_t pci_find_capability(struct pci_device *d, uint8_t id)
{
	uint8_t ptr;

	if (!(pci_config_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	ptr = pci_config_read8(d, PCI_CAPABILITIES) & ~3;
	for (int i = 0; i < 48 && ptr >= 0x40; i++) {	/* bounded: a looped list ends */
		if (pci_config_read8(d, ptr) == id)
			return ptr;
		ptr = pci_config_read8(d, ptr + 1) & ~3;
	}
	return 0;
}

/* Turns on decoding of d's BARs and lets it master the bus (DMA, MSI). */
void pci_enable_bus_master(struct pci_device *d)
{
	uint16_t cmd = pci_config_read16(d, PCI_COMMAND);

	pci_config_write16(d, PCI_COMMAND, cmd | PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* Sizes BAR i by writing all ones (decoding is off meanwhile); returns the next index. */
static int bar_decode(struct pci_device *d, int i)
{
	uint16_t off = PCI_BAR0 + 4 * i;
	uint32_t lo = pci_config_read32(d, off), lo_mask, hi = 0, hi_mask = 0;
	bool is64 = !(lo & 1) && (lo & 6) == 4;

	pci_config_write32(d, off, 0xffffffff);
	lo_mask = pci_config_read32(d, off);
	pci_config_write32(d, off, lo);
	if (is64 && i < 5) {
		hi = pci_config_read32(d, off + 4);
		pci_config_write32(d, off + 4, 0xffffffff);
		hi_mask = pci_config_read32(d, off + 4);
		pci_config_write32(d, off + 4, hi);
	} else if (!(lo & 1)) {
		hi_mask = lo_mask ? 0xffffffff : 0;	/* a 32-bit BAR: high bits fixed */
	}
	d->bar_is_io[i] = lo & 1;
	if (d->bar_is_io[i]) {
		d->bar[i] = lo & ~3U;
		d->bar_size[i] = lo_mask ? (uint16_t)(~(lo_mask & ~3U) + 1) : 0;
	} else {
		uint64_t mask = (uint64_t)hi_mask << 32 | (lo_mask & ~0xfU);

		d->bar[i] = (uint64_t)hi << 32 | (lo & ~0xfU);
		d->bar_size[i] = mask ? ~mask + 1 : 0;
	}
	return is64 ? i + 2 : i + 1;
}

static void device_read_bars(struct pci_device *d, int count)
{
	uint16_t cmd = pci_config_read16(d, PCI_COMMAND);

	pci_config_write16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (int i = 0; i < count;)
		i = bar_decode(d, i);
	pci_config_write16(d, PCI_COMMAND, cmd);
}

static void scan_bus(uint8_t bus, int depth);

static void scan_function(uint8_t bus, uint8_t slot, uint8_t func, int depth)
{
	struct pci_device *d = kzalloc(sizeof(*d));
	uint32_t id, class;
	uint8_t header;

	if (!d)
		panic("pci: out of memory");
	*d = (struct pci_device){ .bus = bus, .slot = slot, .func = func };
	id = pci_config_read32(d, PCI_VENDOR_ID);
	class = pci_config_read32(d, PCI_REVISION);
	header = pci_config_read8(d, PCI_HEADER_TYPE) & 0x7f;
	d->vendor = id;
	d->device = id >> 16;
	d->revision = class;
	d->prog_if = class >> 8;
	d->subclass = class >> 16;
	d->class = class >> 24;
	d->irq_line = pci_config_read8(d, PCI_INTERRUPT_LINE);
	d->irq_pin = pci_config_read8(d, PCI_INTERRUPT_LINE + 1);
	if (header == 0) {
		uint32_t sub = pci_config_read32(d, PCI_SUBSYSTEM_VENDOR);

		d->subsystem_vendor = sub;
		d->subsystem_device = sub >> 16;
		device_read_bars(d, 6);
	} else if (header == 1) {
		device_read_bars(d, 2);
	}
	list_add_tail(&d->link, &pci_devices);
	pr_info("pci 0000:%02x:%02x.%u: [%04x:%04x] type %02x class 0x%06x", bus, slot, func,
		d->vendor, d->device, header, class >> 8);
	if (header == 1 && depth < 8) {	/* PCI-to-PCI bridge: scan behind it */
		uint8_t secondary = pci_config_read8(d, PCI_SECONDARY_BUS);

		if (secondary > bus)
			scan_bus(secondary, depth + 1);
	}
}

static void scan_bus(uint8_t bus, int depth)
{
	for (uint8_t slot = 0; slot < 32; slot++) {
		uint8_t nfunc = 1;

		for (uint8_t func = 0; func < nfunc; func++) {
			if ((config_read(bus, slot, func, PCI_VENDOR_ID) & 0xffff) == 0xffff)
				continue;
			if (func == 0 && (config_read(bus, slot, 0, PCI_HEADER_TYPE & ~3) >> 16) & 0x80)
				nfunc = 8;	/* multi-function device */
			scan_function(bus, slot, func, depth);
		}
	}
}

/* Lists every PCI device in pci_devices. After mm_init (allocates). */
void pci_init(void)
{
	scan_bus(0, 0);
	/* A multi-function host bridge means several root buses, one per function. */
	if ((config_read(0, 0, 0, PCI_HEADER_TYPE & ~3) >> 16) & 0x80)
		for (uint8_t func = 1; func < 8; func++)
			if ((config_read(0, 0, func, PCI_VENDOR_ID) & 0xffff) != 0xffff)
				scan_bus(func, 0);
}
