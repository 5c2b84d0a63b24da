/*
 * dev.h — character devices and consoles: what the rest of the kernel uses of
 * kernel/dev/ (tty and serial ports, memory devices, the framebuffer console).
 */
#ifndef LUMEN_DEV_H
#define LUMEN_DEV_H

#include "lib/lib.h"

/* Registers the character devices (mem, tty, serial) with the VFS. After vfs_init. */
void devices_init(void);
/* Shows the kernel log on GRUB's linear framebuffer, when there is one. */
void fbcon_init(void);
/* The COM1 log console by polling; the very first thing kernel_main does. */
void early_console_init(void);

/* Fills buf with n random bytes (kernel/dev/random.c). */
void random_bytes(void *buf, size_t n);

#endif
