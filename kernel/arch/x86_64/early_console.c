/*
 * early_console.c — the kernel log on COM1 by polling, from the first instruction of
 * kernel_main until the machine stops. Polling keeps panics printable with
 * interrupts off; the tty layer drives the same port with interrupts for user I/O.
 */
#include "arch/x86_64/arch.h"
#include "lib/log.h"

#define COM1 0x3f8

static void early_serial_putc(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		cpu_relax();
	outb(COM1, c);
}

static void serial_console_write(struct console *con, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			early_serial_putc('\r');
		early_serial_putc(text[i]);
	}
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_console_write,
};

/* 115200 8N1, FIFOs on, interrupts off (the tty driver turns them on). */
void early_console_init(void)
{
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x80);
	outb(COM1 + 0, 0x01);
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03);
	outb(COM1 + 2, 0xc7);
	outb(COM1 + 4, 0x03);
	console_register(&serial_console);
}
