/*
 * serial.c — the 16550 UARTs COM1 (ttyS0, the console) and COM2 (ttyS1, the test
 * harness's control channel) as ttys.
 *
 * Input comes by interrupt. When the tty's input ring is full the receive interrupt is
 * masked and the bytes stay in the UART: QEMU (like real flow control) then holds
 * the rest back until the reader drains the ring and unthrottle unmasks it, so a
 * large burst arrives without loss. Output polls THRE and fills the 16-byte FIFO.
 * The kernel log keeps writing COM1 by polling from early_console.c.
 */
#include "dev/tty.h"
#include "arch/x86_64/arch.h"
#include "lib/log.h"
#include <asm/termbits.h>
#include <linux/serial_reg.h>

#define SERIAL_FIFO 16
#define SERIAL_TX_BURST 64	/* bytes sent per tx_lock hold */

/*
 * One port. rx_lock protects ier and throttled and orders the interrupt handler
 * against unthrottle; tx_lock serializes writers of THR. Lock order:
 * rx_lock -> tty->lock -> tx_lock (echo from the interrupt handler).
 */
struct serial_port {
	uint16_t base;
	int irq;
	spinlock_t rx_lock, tx_lock;
	uint8_t ier;
	bool throttled;
	bool present;
	struct tty tty;
};

static struct serial_port ports[] = {
	{ .base = 0x3f8, .irq = 4, .rx_lock = SPINLOCK_INIT("com1 rx"), .tx_lock = SPINLOCK_INIT("com1 tx") },
	{ .base = 0x2f8, .irq = 3, .rx_lock = SPINLOCK_INIT("com2 rx"), .tx_lock = SPINLOCK_INIT("com2 tx") },
};
static const char *const port_names[] = { "ttyS0", "ttyS1" };

/* Sends bytes, waiting for the transmitter as long as it takes. */
static void serial_write(struct tty *tty, const char *buf, size_t n)
{
	struct serial_port *port = tty->driver_data;

	while (n > 0) {
		size_t burst = MIN(n, (size_t)SERIAL_TX_BURST);
		uint64_t flags = spin_lock_irqsave(&port->tx_lock);

		for (size_t i = 0; i < burst; i++) {
			if (i % SERIAL_FIFO == 0)
				while (!(inb(port->base + UART_LSR) & UART_LSR_THRE))
					cpu_relax();
			outb(port->base + UART_TX, buf[i]);
		}
		spin_unlock_irqrestore(&port->tx_lock, flags);
		buf += burst;
		n -= burst;
	}
}

/* Unmasks the receive interrupt if it was masked; a pending byte raises it again. */
static void serial_unthrottle(struct tty *tty)
{
	struct serial_port *port = tty->driver_data;
	uint64_t flags = spin_lock_irqsave(&port->rx_lock);

	if (port->throttled) {
		port->throttled = false;
		port->ier |= UART_IER_RDI;
		outb(port->base + UART_IER, port->ier);
	}
	spin_unlock_irqrestore(&port->rx_lock, flags);
}

/* The modem lines, from MCR and MSR, as TIOCM_* bits. */
static int serial_tiocmget(struct tty *tty)
{
	struct serial_port *port = tty->driver_data;
	uint8_t mcr = inb(port->base + UART_MCR), msr = inb(port->base + UART_MSR);
	int bits = 0;

	bits |= (mcr & UART_MCR_DTR) ? TIOCM_DTR : 0;
	bits |= (mcr & UART_MCR_RTS) ? TIOCM_RTS : 0;
	bits |= (msr & UART_MSR_CTS) ? TIOCM_CTS : 0;
	bits |= (msr & UART_MSR_DSR) ? TIOCM_DSR : 0;
	bits |= (msr & UART_MSR_RI) ? TIOCM_RNG : 0;
	bits |= (msr & UART_MSR_DCD) ? TIOCM_CAR : 0;
	return bits;
}

static const struct tty_driver_ops serial_ops = {
	.write = serial_write,
	.unthrottle = serial_unthrottle,
	.tiocmget = serial_tiocmget,
};

/* Moves received bytes into the tty until the UART is empty or the ring is full. */
static void serial_irq(void *ctx)
{
	struct serial_port *port = ctx;
	uint64_t flags = spin_lock_irqsave(&port->rx_lock);

	inb(port->base + UART_IIR);
	while (inb(port->base + UART_LSR) & UART_LSR_DR) {
		if (!tty_input_room(&port->tty)) {
			port->throttled = true;
			port->ier &= ~UART_IER_RDI;
			outb(port->base + UART_IER, port->ier);
			break;
		}
		tty_input_byte(&port->tty, inb(port->base + UART_RX));
	}
	spin_unlock_irqrestore(&port->rx_lock, flags);
	tty_input_done(&port->tty);
}

/* True when a UART answers at base (its scratch register keeps a value). */
static bool serial_probe(uint16_t base)
{
	outb(base + UART_SCR, 0x5a);
	if (inb(base + UART_SCR) != 0x5a)
		return false;
	outb(base + UART_SCR, 0xa5);
	return inb(base + UART_SCR) == 0xa5;
}

/* 115200 8N1, FIFOs on with a 14-byte trigger, DTR/RTS/OUT2 (OUT2 gates the IRQ). */
static void serial_hw_init(struct serial_port *port)
{
	uint16_t b = port->base;

	outb(b + UART_IER, 0);
	outb(b + UART_LCR, UART_LCR_DLAB);
	outb(b + UART_DLL, 1);
	outb(b + UART_DLM, 0);
	outb(b + UART_LCR, UART_LCR_WLEN8);
	outb(b + UART_FCR, UART_FCR_ENABLE_FIFO | UART_FCR_CLEAR_RCVR |
			   UART_FCR_CLEAR_XMIT | UART_FCR_TRIGGER_14);
	outb(b + UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
	while (inb(b + UART_LSR) & UART_LSR_DR)
		inb(b + UART_RX);
}

/* Linux's serial core starts ports at 9600 baud with CLOCAL (what stty -a shows on
 * a Debian kernel booted with console=ttyS0), not tty_std_termios's 38400. */
static void serial_default_termios(struct tty *tty)
{
	struct termios2 t = tty->ld.termios;

	t.c_cflag = B9600 | CS8 | CREAD | HUPCL | CLOCAL;
	t.c_ispeed = t.c_ospeed = 9600;
	ldisc_set_termios(&tty->ld, &t);
}

/* Probes COM1 and COM2, registers ttyS0/ttyS1 and turns on receive interrupts. */
void serial_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++) {
		struct serial_port *port = &ports[i];
		int err;

		if (!serial_probe(port->base))
			continue;
		serial_hw_init(port);
		tty_init(&port->tty, port_names[i], MKDEV(4, 64 + i), &serial_ops, port);
		serial_default_termios(&port->tty);
		port->present = true;
		tty_register(&port->tty);
		err = irq_register(port->irq, serial_irq, port);
		if (err) {
			pr_warn("serial: %s: no interrupt %d (%d), input disabled",
				port_names[i], port->irq, err);
			continue;
		}
		port->ier = UART_IER_RDI;
		outb(port->base + UART_IER, port->ier);
	}
}
