/*
 * virtio_pci.c — the modern virtio PCI transport: discovery through the vendor-specific
 * capabilities (common, notify, device configuration), feature negotiation, status,
 * and MSI-X. Transitional devices (0x1000..0x103f) are driven through the same modern
 * interface, which QEMU offers on both.
 */
#include "drivers/virtio/virtio_internal.h"
#include "arch/x86_64/arch.h"
#include "mm/mm.h"
#include "lib/log.h"
#include <linux/pci_regs.h>

#define VIRTIO_PCI_VENDOR 0x1af4

static LIST_HEAD(virtio_devices);
static spinlock_t virtio_list_lock = SPINLOCK_INIT("virtio");

/* The type of a virtio PCI function, or 0 when it is not one. */
static uint16_t virtio_pci_type(struct pci_device *pci)
{
	if (pci->vendor != VIRTIO_PCI_VENDOR)
		return 0;
	if (pci->device >= 0x1040 && pci->device <= 0x107f)
		return pci->device - 0x1040;
	if (pci->device >= 0x1000 && pci->device <= 0x103f)
		return pci->subsystem_device;	/* transitional: the type is here */
	return 0;
}

/* Maps the structure one vendor capability describes; NULL when it is unusable. */
static volatile uint8_t *virtio_pci_map_cap(struct pci_device *pci, uint8_t cap,
					    uint32_t *len)
{
	uint8_t bar = pci_config_read8(pci, cap + offsetof(struct virtio_pci_cap, bar));
	uint32_t off = pci_config_read32(pci, cap + offsetof(struct virtio_pci_cap, offset));

	*len = pci_config_read32(pci, cap + offsetof(struct virtio_pci_cap, length));
	if (bar >= 6 || pci->bar_is_io[bar] || !pci->bar[bar] || !*len ||
	    (uint64_t)off + *len > pci->bar_size[bar])
		return NULL;
	return ioremap(pci->bar[bar] + off, *len);
}

/* Walks the vendor capabilities and maps the common, notify and device structures. */
static int virtio_pci_map(struct virtio_device *vdev)
{
	struct pci_device *pci = vdev->pci;
	uint32_t len, common_len = 0, notify_len = 0;
	uint8_t cap = pci_find_capability(pci, PCI_CAP_ID_VNDR);
	int guard = 48;

	for (; cap && guard--; cap = pci_config_read8(pci, cap + 1) & ~3) {
		uint8_t type;

		if (pci_config_read8(pci, cap) != PCI_CAP_ID_VNDR)
			continue;
		type = pci_config_read8(pci, cap + offsetof(struct virtio_pci_cap, cfg_type));
		if (type == VIRTIO_PCI_CAP_COMMON_CFG && !vdev->common) {
			vdev->common = virtio_pci_map_cap(pci, cap, &common_len);
		} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !vdev->notify_base) {
			vdev->notify_base = virtio_pci_map_cap(pci, cap, &notify_len);
			vdev->notify_mult = pci_config_read32(pci, cap +
				offsetof(struct virtio_pci_notify_cap, notify_off_multiplier));
			vdev->notify_len = notify_len;
		} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !vdev->device_cfg) {
			vdev->device_cfg = virtio_pci_map_cap(pci, cap, &len);
			vdev->device_cfg_len = len;
		}
	}
	if (!vdev->common || common_len < sizeof(struct virtio_pci_common_cfg) ||
	    !vdev->notify_base)
		return -ENODEV;
	return 0;
}

/* Finds the MSI-X capability and maps its table; -ENODEV without one. */
static int virtio_pci_map_msix(struct virtio_device *vdev)
{
	struct pci_device *pci = vdev->pci;
	uint8_t cap = pci_find_capability(pci, PCI_CAP_ID_MSIX);
	uint32_t table;
	unsigned bir;

	if (!cap)
		return -ENODEV;
	vdev->msix_cap = cap;
	vdev->msix_entries = (pci_config_read16(pci, cap + PCI_MSIX_FLAGS) &
			      PCI_MSIX_FLAGS_QSIZE) + 1;
	table = pci_config_read32(pci, cap + PCI_MSIX_TABLE);
	bir = table & PCI_MSIX_TABLE_BIR;
	table &= PCI_MSIX_TABLE_OFFSET;
	if (bir >= 6 || pci->bar_is_io[bir] || !pci->bar[bir] ||
	    table + vdev->msix_entries * PCI_MSIX_ENTRY_SIZE > pci->bar_size[bir])
		return -ENODEV;
	vdev->msix_table = ioremap(pci->bar[bir] + table,
				   vdev->msix_entries * PCI_MSIX_ENTRY_SIZE);
	return 0;
}

/* Points MSI-X table entry `entry` at a freshly allocated vector running handler(ctx)
 * and enables MSI-X. 0, -ENOSPC. */
int virtio_pci_msix_route(struct virtio_device *vdev, uint16_t entry,
			  irq_handler_t handler, void *ctx)
{
	volatile uint32_t *e;
	uint32_t addr, data;
	uint16_t flags;
	int vector;

	if (entry >= vdev->msix_entries)
		return -ENOSPC;
	vector = irq_alloc_msi(handler, ctx, &addr, &data);
	if (vector < 0)
		return vector;
	e = vdev->msix_table + entry * PCI_MSIX_ENTRY_SIZE / 4;
	e[PCI_MSIX_ENTRY_LOWER_ADDR / 4] = addr;
	e[PCI_MSIX_ENTRY_UPPER_ADDR / 4] = 0;
	e[PCI_MSIX_ENTRY_DATA / 4] = data;
	e[PCI_MSIX_ENTRY_VECTOR_CTRL / 4] = 0;	/* unmasked */
	flags = pci_config_read16(vdev->pci, vdev->msix_cap + PCI_MSIX_FLAGS);
	flags = (flags | PCI_MSIX_FLAGS_ENABLE) & ~PCI_MSIX_FLAGS_MASKALL;
	pci_config_write16(vdev->pci, vdev->msix_cap + PCI_MSIX_FLAGS, flags);
	return 0;
}

/* Devices numbered so far (under virtio_list_lock). */
static unsigned virtio_count;

/* The Linux driver that drives a device type, the name its sysfs entries show. */
static const char *virtio_driver_name(uint16_t type)
{
	switch (type) {
	case VIRTIO_ID_NET: return "virtio_net";
	case VIRTIO_ID_BLOCK: return "virtio_blk";
	case VIRTIO_ID_CONSOLE: return "virtio_console";
	case VIRTIO_ID_RNG: return "virtio_rng";
	case VIRTIO_ID_GPU: return "virtio_gpu";
	case VIRTIO_ID_INPUT: return "virtio_input";
	default: return "virtio";
	}
}

static size_t virtio_show_device(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "0x%04x\n", ((struct virtio_device *)ctx)->type);
}

static size_t virtio_show_vendor(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "0x%04x\n", ((struct virtio_device *)ctx)->pci->subsystem_vendor);
}

static size_t virtio_show_modalias(void *ctx, char *buf, size_t size)
{
	struct virtio_device *vdev = ctx;

	return ksnprintf(buf, size, "virtio:d%08Xv%08X\n", vdev->type, vdev->pci->subsystem_vendor);
}

/* The bus's uevent variable, as Linux's virtio_uevent writes it. */
static size_t virtio_uevent(struct device *dev, char *buf, size_t size)
{
	size_t len = ksnprintf(buf, size, "MODALIAS=");

	return len + virtio_show_modalias(dev->data, buf + MIN(len, size), size - MIN(len, size));
}

/* virtioN under its PCI function, which the virtio-pci driver now drives. */
static void virtio_pci_add_device(struct virtio_device *vdev)
{
	struct device *dev = &vdev->dev;
	int err = -ENODEV;

	if (vdev->pci->sysdev)
		err = device_bind_driver(vdev->pci->sysdev, "virtio-pci");
	ksnprintf(dev->name, sizeof(dev->name), "virtio%u", vdev->index);
	dev->parent = vdev->pci->sysdev;
	dev->bus = "virtio";
	dev->uevent = virtio_uevent;
	dev->data = vdev;
	if (!err)
		err = device_register(dev);
	if (!err)
		err = device_add_file(dev, "device", 0444, virtio_show_device, NULL, vdev);
	if (!err)
		err = device_add_file(dev, "vendor", 0444, virtio_show_vendor, NULL, vdev);
	if (!err)
		err = device_add_file(dev, "modalias", 0444, virtio_show_modalias, NULL, vdev);
	if (err)
		pr_warn("virtio%u: no sysfs directory (%d)", vdev->index, err);
}

static void virtio_pci_probe(struct pci_device *pci, uint16_t type)
{
	struct virtio_device *vdev = kzalloc(sizeof(*vdev));
	uint64_t flags;

	if (!vdev)
		return;
	vdev->pci = pci;
	vdev->type = type;
	pci_enable_bus_master(pci);
	if (virtio_pci_map(vdev) || virtio_pci_map_msix(vdev)) {
		pr_warn("virtio: %02x:%02x.%u: no usable modern interface or MSI-X, ignored",
			pci->bus, pci->slot, pci->func);
		kfree(vdev);
		return;
	}
	flags = spin_lock_irqsave(&virtio_list_lock);
	vdev->index = virtio_count++;
	list_add_tail(&vdev->link, &virtio_devices);
	spin_unlock_irqrestore(&virtio_list_lock, flags);
	virtio_pci_add_device(vdev);
}

/* Scans PCI for virtio functions and maps their structures. After pci_init; once. */
void virtio_init(void)
{
	struct pci_device *pci;

	list_for_each_entry(pci, &pci_devices, link) {
		uint16_t type = virtio_pci_type(pci);

		if (type)
			virtio_pci_probe(pci, type);
	}
}

/* The first unclaimed device of the type, now the caller's; NULL when none is left. */
struct virtio_device *virtio_find(uint16_t type)
{
	struct virtio_device *vdev, *found = NULL;
	uint64_t flags = spin_lock_irqsave(&virtio_list_lock);

	list_for_each_entry(vdev, &virtio_devices, link) {
		if (vdev->type == type && !vdev->claimed) {
			vdev->claimed = true;
			found = vdev;
			break;
		}
	}
	spin_unlock_irqrestore(&virtio_list_lock, flags);
	if (found && found->dev.dir)
		device_bind_driver(&found->dev, virtio_driver_name(type));
	return found;
}

static void virtio_set_status(struct virtio_device *vdev, uint8_t bits)
{
	uint8_t s = common_read8(vdev, device_status);

	common_write8(vdev, device_status, s | bits);
}

/* Resets the device, acknowledges it and negotiates wanted ∩ offered, with
 * VIRTIO_F_VERSION_1 required. 0 or -ENODEV. */
int virtio_negotiate(struct virtio_device *vdev, uint64_t wanted)
{
	uint64_t offered;

	common_write8(vdev, device_status, 0);
	for (int spins = 0; common_read8(vdev, device_status); spins++) {
		if (spins == 1000000)
			return -ENODEV;	/* the reset is done when 0 reads back */
		cpu_relax();
	}
	virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
	common_write32(vdev, device_feature_select, 0);
	offered = common_read32(vdev, device_feature);
	common_write32(vdev, device_feature_select, 1);
	offered |= (uint64_t)common_read32(vdev, device_feature) << 32;
	if (!(offered & (1ULL << VIRTIO_F_VERSION_1)))
		goto refused;
	vdev->features = offered & (wanted | 1ULL << VIRTIO_F_VERSION_1);
	common_write32(vdev, guest_feature_select, 0);
	common_write32(vdev, guest_feature, (uint32_t)vdev->features);
	common_write32(vdev, guest_feature_select, 1);
	common_write32(vdev, guest_feature, vdev->features >> 32);
	virtio_set_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(common_read8(vdev, device_status) & VIRTIO_CONFIG_S_FEATURES_OK))
		goto refused;
	common_write16(vdev, msix_config, VIRTIO_MSI_NO_VECTOR);
	return 0;
refused:
	virtio_fail(vdev);
	return -ENODEV;
}

/* Copies device configuration [offset, offset+len) into buf, consistently. */
int virtio_config_read(struct virtio_device *vdev, uint32_t offset, void *buf, size_t len)
{
	uint8_t gen, *out = buf;

	if (!vdev->device_cfg || offset > vdev->device_cfg_len ||
	    len > vdev->device_cfg_len - offset)
		return -EINVAL;
	do {
		gen = common_read8(vdev, config_generation);
		for (size_t i = 0; i < len; i++)
			out[i] = vdev->device_cfg[offset + i];
	} while (gen != common_read8(vdev, config_generation));
	return 0;
}

/* Copies buf into device configuration [offset, offset+len). */
int virtio_config_write(struct virtio_device *vdev, uint32_t offset, const void *buf,
			size_t len)
{
	const uint8_t *in = buf;

	if (!vdev->device_cfg || offset > vdev->device_cfg_len ||
	    len > vdev->device_cfg_len - offset)
		return -EINVAL;
	for (size_t i = 0; i < len; i++)
		vdev->device_cfg[offset + i] = in[i];
	return 0;
}

/* Routes configuration changes to handler(ctx) through the MSI-X entry after the
 * queues' (queue i uses entry i). 0, -ENOSPC or -EIO when the device refuses. */
int virtio_config_irq(struct virtio_device *vdev, irq_handler_t handler, void *ctx)
{
	uint16_t entry = 0;
	int err;

	while (entry < VIRTIO_MAX_QUEUES && vdev->queues[entry])
		entry++;
	err = virtio_pci_msix_route(vdev, entry, handler, ctx);
	if (err)
		return err;
	common_write16(vdev, msix_config, entry);
	return common_read16(vdev, msix_config) == entry ? 0 : -EIO;
}

/* Sets DRIVER_OK; -EIO when the device has flagged a failure. */
int virtio_driver_ok(struct virtio_device *vdev)
{
	virtio_set_status(vdev, VIRTIO_CONFIG_S_DRIVER_OK);
	if (common_read8(vdev, device_status) & VIRTIO_CONFIG_S_NEEDS_RESET)
		return -EIO;
	return 0;
}

/* Sets FAILED: the driver gives the device up. */
void virtio_fail(struct virtio_device *vdev)
{
	virtio_set_status(vdev, VIRTIO_CONFIG_S_FAILED);
}
