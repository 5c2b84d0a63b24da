/*
 * devices.h — private to kernel/dev/: the file operations of each character device,
 * registered by devices_init() (devices.c).
 */
#ifndef LUMEN_DEV_DEVICES_H
#define LUMEN_DEV_DEVICES_H

#include "fs/vfs.h"
#include <asm/poll.h>

extern const struct file_operations random_fops;	/* 1:8, 1:9 */
extern const struct file_operations null_fops;		/* 1:3 */
extern const struct file_operations zero_fops;		/* 1:5 */
extern const struct file_operations full_fops;		/* 1:7 */
extern const struct file_operations kmsg_fops;		/* 1:11 */
extern const struct file_operations tty_fops;		/* 4:64.., 5:0, 5:1, 136:N */
extern const struct file_operations ptmx_fops;		/* 5:2 */

/* Probes COM1/COM2 and registers ttyS0/ttyS1 (serial.c). */
void serial_init(void);

#endif
