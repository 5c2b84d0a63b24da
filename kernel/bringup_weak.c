/*
 * bringup_weak.c — TEMPORARY, deleted when the subsystems are integrated.
 * Weak placeholders for every cross-subsystem function, so each part can be linked
 * and booted while the others are still being written. A real definition anywhere
 * overrides the placeholder. Placeholders that would be wrong to run panic.
 */
#include "arch/x86_64/arch.h"
#include "dev/dev.h"
#include "fs/vfs.h"
#include "lib/log.h"
#include "mm/mm.h"
#include "proc/proc.h"

#define WEAK __attribute__((weak))
#define MISSING() panic("bring-up: %s is not written yet", __func__)

WEAK void arch_init(void) {}
WEAK void interrupts_init(void) {}
WEAK void tss_set_kernel_stack(uint64_t rsp0) {}
WEAK int irq_register(int irq, irq_handler_t h, void *ctx) { return -ENOSYS; }
WEAK int irq_alloc_msi(irq_handler_t h, void *ctx, uint32_t *a, uint32_t *d) { return -ENOSYS; }
WEAK int cpu_id(void) { return 0; }
WEAK uint64_t clock_monotonic_ns(void) { return 0; }
WEAK uint64_t clock_realtime_ns(void) { return 0; }
WEAK void clock_set_realtime_ns(uint64_t ns) {}
WEAK void pci_init(void) {}
WEAK void machine_halt(void) { for (;;) __asm__ volatile("cli; hlt"); }
WEAK void machine_power_off(void) { machine_halt(); }
WEAK void machine_reboot(void) { machine_halt(); }

WEAK void mm_init(void) {}
WEAK void *ioremap(uint64_t phys, size_t size) { MISSING(); }
WEAK uint64_t virt_to_phys(const void *v) { MISSING(); }
WEAK uint64_t page_alloc(void) { MISSING(); }
WEAK void page_put(uint64_t phys) { MISSING(); }
WEAK void page_get(uint64_t phys) { MISSING(); }
WEAK void *kmalloc(size_t size) { MISSING(); }
WEAK void *kzalloc(size_t size) { MISSING(); }
WEAK void kfree(void *p) { MISSING(); }
WEAK int mm_handle_page_fault(uint64_t addr, uint64_t err) { return -EFAULT; }
WEAK int copy_from_user(void *d, const void *s, size_t n) { MISSING(); }
WEAK int copy_to_user(void *d, const void *s, size_t n) { MISSING(); }
WEAK long strncpy_from_user(char *d, const char *s, size_t n) { MISSING(); }
WEAK bool access_ok(const void *p, size_t n) { MISSING(); }

WEAK void proc_init(void) {}
WEAK void proc_start_init(const char *path, char *const argv[], char *const envp[])
{
	panic("bring-up: reached proc_start_init(%s) without the process code", path);
}
WEAK void sched_tick(void) {}
WEAK void proc_return_to_user(struct trap_frame *f) {}
WEAK void signal_force_fault(int sig, int code, uint64_t addr) { MISSING(); }
WEAK void wait_queue_init(struct wait_queue *wq) { MISSING(); }
WEAK void wake_up(struct wait_queue *wq) { MISSING(); }
WEAK void schedule(void) { MISSING(); }

WEAK void vfs_init(void) {}
WEAK void devices_init(void) {}
WEAK void fbcon_init(void) {}
WEAK int initramfs_unpack(const void *data, size_t size) { return 0; }
WEAK int chrdev_register(unsigned major, unsigned first, unsigned count, const char *name,
			 const struct file_operations *ops) { return 0; }
WEAK int devtmpfs_create_node(const char *name, mode_t mode, dev_t dev) { return 0; }

/* Used by kernel/dev/ (tty, kmsg, random) and kernel/sys/syslog.c. */
WEAK void prepare_to_wait(struct wait_queue *wq, struct waiter *w, bool intr) { MISSING(); }
WEAK void finish_wait(struct waiter *w) { MISSING(); }
WEAK bool signal_pending_current(void) { return false; }
WEAK void schedule_until(uint64_t deadline_ns) { MISSING(); }
WEAK int signal_send_pgrp(pid_t pgid, int sig) { return -ESRCH; }
WEAK pid_t task_tgid(struct task *t) { return 1; }
WEAK pid_t task_pgid(struct task *t) { return 1; }
WEAK pid_t task_sid(struct task *t) { return 1; }
WEAK struct cred *task_cred(struct task *t) { MISSING(); }
WEAK struct tty *task_ctty(struct task *t) { return NULL; }
WEAK void session_set_ctty(struct task *leader, struct tty *tty) {}
WEAK struct task *task_find(pid_t pid) { return NULL; }
WEAK bool pgrp_exists_in_session(pid_t pgid, pid_t sid) { return false; }
WEAK bool signal_ignored_or_blocked(struct task *t, int sig) { return false; }
WEAK bool pgrp_is_orphaned(pid_t pgid) { return false; }
WEAK void poll_wait(struct file *file, struct wait_queue *wq, struct poll_table *pt) {}
WEAK dev_t file_rdev(struct file *file) { return 0; }
WEAK int iobuf_copy_out(struct iobuf *buf, size_t off, const void *src, size_t n) { MISSING(); }
WEAK int iobuf_copy_in(void *dst, const struct iobuf *buf, size_t off, size_t n) { MISSING(); }

/* Used by kernel/fs/ until kernel/proc/ and kernel/mm/ provide them. */
WEAK int signal_send_thread(struct task *t, int sig) { return -ENOSYS; }
WEAK struct fd_table *task_files(struct task *t) { return NULL; }
WEAK struct fs_state *task_fs(struct task *t) { return NULL; }
WEAK pid_t task_pid(struct task *t) { return 1; }
WEAK struct vm_space *task_vm(struct task *t) { return NULL; }
WEAK const char *task_comm(struct task *t) { return "?"; }
WEAK void task_for_each_process(void (*fn)(struct task *t, void *ctx), void *ctx) {}
WEAK pid_t task_ppid(struct task *t) { return 0; }
WEAK size_t vm_format_maps(struct vm_space *vm, char *buf, size_t size) { return 0; }
WEAK size_t pages_total(void) { return 0; }
WEAK size_t pages_free(void) { return 0; }
spinlock_t tasks_lock __attribute__((weak)) = SPINLOCK_INIT("tasks");
