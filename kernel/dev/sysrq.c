/*
 * sysrq.c — Linux's magic SysRq keys, reached through /proc/sysrq-trigger: 'c'
 * crashes the kernel on purpose (a NULL write in kernel mode, so the test suite can
 * check the oops report and that the harness calls it a failure), 'o' powers off,
 * 'b' reboots, 's' and 'u' (sync, remount read-only) have nothing to do on tmpfs.
 */
#include "dev/dev.h"
#include "arch/x86_64/arch.h"
#include "lib/log.h"

/* The store the crash key makes; volatile so the compiler keeps the NULL write. */
static void sysrq_crash(void)
{
	volatile char *null_pointer = NULL;

	pr_emerg("sysrq: Trigger a crash");
	*null_pointer = 1;
}

void sysrq_handle(int key)
{
	switch (key) {
	case 'c':
		sysrq_crash();
		break;
	case 'o':
		pr_emerg("sysrq: Power Off");
		machine_power_off();
	case 'b':
		pr_emerg("sysrq: Resetting");
		machine_reboot();
	case 's':
	case 'u':
		break;
	default:
		pr_info("sysrq: HELP : crash(c) reboot(b) poweroff(o) sync(s) unmount(u)");
		break;
	}
}
