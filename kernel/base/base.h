/*
 * base.h — private to kernel/base/: what core.c and uevent.c share.
 */
#ifndef LUMEN_BASE_BASE_H
#define LUMEN_BASE_BASE_H

#include "base/device.h"

/* The uevent file: its text (the device's variables) and a write ("change", or
 * "change UUID KEY=value...") that sends a synthetic uevent. */
size_t device_show_uevent(void *ctx, char *buf, size_t size);
ssize_t device_store_uevent(void *ctx, const char *buf, size_t len);
/* Adds /sys/kernel/uevent_seqnum. */
int device_uevent_init(void);
/* The link from directory `from` to `to` (relative to /sys), as Linux writes it. */
int device_rel_path(const char *from, const char *to, char *out, size_t size);
/* Finds or creates the directory path (relative to /sys); NULL on failure. */
struct sysfs_node *device_mkdirs(const char *path);

#endif
