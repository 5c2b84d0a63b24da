/*
 * reboot.c — reboot(2): power off, restart or halt the machine, with Linux's checks
 * (privilege first, then the magic numbers, then the command).
 */
#include "arch/x86_64/arch.h"
#include "block/block.h"
#include "fs/fs.h"
#include "lib/log.h"
#include "mm/mm.h"
#include "proc/proc.h"
#include <linux/reboot.h>

static bool ctrl_alt_del_enabled = true;	/* Linux's C_A_D: reboot at once on the key */

static bool reboot_magic_ok(unsigned magic1, unsigned magic2)
{
	return magic1 == LINUX_REBOOT_MAGIC1 &&
	       (magic2 == LINUX_REBOOT_MAGIC2 || magic2 == LINUX_REBOOT_MAGIC2A ||
		magic2 == LINUX_REBOOT_MAGIC2B || magic2 == LINUX_REBOOT_MAGIC2C);
}

/*
 * reboot(magic1, magic2, cmd, arg): -EPERM unless root, -EINVAL for bad magic or an
 * unknown command; power-off, restart and halt do not return.
 */
long sys_reboot(int magic1, int magic2, unsigned int cmd, void __user *arg)
{
	char reason[256];

	if (task_cred(current)->euid != 0)
		return -EPERM;
	if (!reboot_magic_ok(magic1, magic2))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
		ctrl_alt_del_enabled = true;
		return 0;
	case LINUX_REBOOT_CMD_CAD_OFF:
		ctrl_alt_del_enabled = false;
		return 0;
	case LINUX_REBOOT_CMD_RESTART2:
		if (strncpy_from_user(reason, arg, sizeof(reason)) < 0)
			return -EFAULT;
		klog(LOG_EMERG, "reboot: Restarting system with command '%s'", reason);
		machine_reboot();
	case LINUX_REBOOT_CMD_RESTART:
		klog(LOG_EMERG, "reboot: Restarting system");
		machine_reboot();
	case LINUX_REBOOT_CMD_HALT:
		klog(LOG_EMERG, "reboot: System halted");
		machine_halt();
	case LINUX_REBOOT_CMD_POWER_OFF:
		/* Our init powers off without sync(2): write the disks back first. */
		sync_all_fs();
		block_flush_all();
		klog(LOG_EMERG, "reboot: Power down");
		machine_power_off();
	case LINUX_REBOOT_CMD_SW_SUSPEND:
		return -ENOSYS;		/* no hibernation, as Linux without it */
	default:
		return -EINVAL;
	}
}
