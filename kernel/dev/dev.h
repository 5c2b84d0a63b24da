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
/* Hands GRUB's framebuffer to a DRM client (drm true: the log console stops drawing
 * on it) or takes it back (clears it, redraws the log); nothing once the console
 * moved to a DRM device's surface. Not under the log lock; callers serialize. */
void fbcon_yield(bool drm);
/*
 * A picture a DRM device scans out for the console (drm_fbdev.c): XRGB8888 pixels
 * of width x height with pitch bytes a row, mapped at pixels. damaged(ctx, y1, y2)
 * says rows [y1, y2) changed; it is called with the log lock held (interrupts off),
 * so it may only note the damage and wake someone.
 */
struct fbcon_surface {
	uint8_t *pixels;
	uint32_t width, height, pitch;
	void (*damaged)(void *ctx, uint32_t y1, uint32_t y2);
	void *ctx;
};
/* Moves the log console onto surface s (kept by the caller for good), leaving
 * GRUB's framebuffer: the log is drawn there again from the top. Not under the log
 * lock; callers serialize calls with fbcon_yield (boot: one driver at a time). */
void fbcon_attach(const struct fbcon_surface *s);
/* The COM1 log console by polling; the very first thing kernel_main does. */
void early_console_init(void);

struct tty;
/* The session leader of the session tty controls is exiting (proc calls this with
 * task_ctty(leader), no locks held): the tty forgets the session and its foreground
 * group gets SIGHUP and SIGCONT, as Linux's disassociate_ctty(on_exit) does for a
 * pty. Linux hangs other ttys up there; Lumen hangs up only a pty slave, when its
 * master closes (tty_hangup). */
void tty_session_leader_exit(struct tty *tty);
/* The device number of a tty, MKDEV-encoded (for /proc/PID/stat's tty_nr). */
uint32_t tty_devnum(struct tty *tty);

/* Fills buf with n random bytes (kernel/dev/random.c). */
void random_bytes(void *buf, size_t n);

/* Runs the magic SysRq action for key ('c' crash, 'o' power off, 'b' reboot). */
void sysrq_handle(int key);

#endif
