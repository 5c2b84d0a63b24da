/*
 * main.c — kernel_main: brings the machine up in dependency order and starts PID 1.
 */
#include "arch/x86_64/arch.h"
#include "base/device.h"
#include "block/block.h"
#include "drivers/virtio/virtio.h"
#include "dev/dev.h"
#include "drm/drm.h"
#include "fs/vfs.h"
#include "lib/log.h"
#include "mm/mm.h"
#include "proc/proc.h"

static void unpack_initramfs(void)
{
	int err;

	if (!boot_info.initramfs_phys)
		panic("no initramfs: GRUB must load it as a multiboot2 module");
	err = initramfs_unpack(phys_to_virt(boot_info.initramfs_phys), boot_info.initramfs_size);
	if (err)
		panic("initramfs: unpacking failed (%d)", err);
	pr_info("initramfs: %lu KiB unpacked", (unsigned long)(boot_info.initramfs_size / 1024));
}

/* Drivers whose probe sends commands and sleeps for the answers: in PID 1's
 * context, before /init runs. */
static void probe_sleeping_drivers(void)
{
	virtio_gpu_init();
	simplefb_init();
	vkms_init();
}

/* Entered from boot.S on the boot stack, interrupts off, in long mode. */
void kernel_main(uint32_t magic, uint32_t mbi_phys)
{
	static char *const argv[] = { "/init", NULL };
	static char *const envp[] = { "HOME=/", "TERM=linux", NULL };

	early_console_init();
	boot_info_parse(magic, mbi_phys);
	pr_info("Lumen: booting, command line \"%s\"", boot_info.cmdline);
	arch_init();
	mm_init();
	interrupts_init();
	fbcon_init();
	pci_init();
	proc_init();
	vfs_init();
	if (device_model_init())
		panic("sysfs: no memory for the device model");
	pci_sysfs_init();
	devices_init();
	block_init();
	virtio_init();
	virtio_blk_init();
	unpack_initramfs();
	irq_enable();
	proc_start_init("/init", argv, envp, probe_sleeping_drivers);
}
