/*
 * bringup_weak_mm.c — TEMPORARY, deleted with kernel/bringup_weak.c at integration.
 * Weak placeholders for the file and task calls kernel/mm uses that
 * bringup_weak.c does not list yet, so the tree links before fs/ and proc/ land.
 */
#include "fs/vfs.h"
#include "lib/log.h"
#include "proc/proc.h"

#define WEAK __attribute__((weak))
#define MISSING() panic("bring-up: %s is not written yet", __func__)

WEAK void file_get(struct file *file) { MISSING(); }
WEAK void file_put(struct file *file) { MISSING(); }
WEAK ssize_t kernel_read(struct file *file, void *buf, size_t len, uint64_t offset) { MISSING(); }
WEAK int file_get_path(struct file *file, char *buf, size_t size) { MISSING(); }
WEAK struct vm_space *task_vm(struct task *t) { return NULL; }
WEAK struct file *fd_get_file(int fd) { return ERR_PTR(-EBADF); }
WEAK void file_get_ids(struct file *file, dev_t *dev, uint64_t *ino) { *dev = 0; *ino = 0; }
