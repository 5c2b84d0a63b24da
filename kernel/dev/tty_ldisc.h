/*
 * tty_ldisc.h — the line discipline (Linux's N_TTY) as pure logic: termios input
 * mapping, the canonical line editor, echo, signal characters and output
 * processing over one input ring. It knows nothing of tasks, locks or devices, so it
 * is unit-tested on the host (tests/unit/test_tty_ldisc.c); kernel/dev/tty.c wraps it.
 *
 * Every function needs the owning tty's lock (tty->lock) held.
 */
#ifndef LUMEN_DEV_TTY_LDISC_H
#define LUMEN_DEV_TTY_LDISC_H

#include "lib/lib.h"
#include <asm/termbits.h>

#define LDISC_BUF_SIZE 4096	/* as N_TTY_BUF_SIZE */

/* Flags kept with each byte of the input ring. */
#define LDISC_DELIM 0x100	/* ends a canonical line (\n, EOL, EOL2, EOF) */
#define LDISC_EOFMARK 0x200	/* the EOF character: ends a line, never read */

struct ldisc {
	struct termios2 termios;
	/* Input ring: read_tail <= canon_head <= read_head (free-running counters). */
	uint16_t buf[LDISC_BUF_SIZE];
	uint32_t read_head, read_tail;
	uint32_t canon_head;	/* end of the last complete line (canonical mode) */
	bool lnext;		/* the previous character was VLNEXT */
	bool stopped;		/* output stopped by VSTOP (IXON) */
	unsigned column;	/* output column, for erasing */
	unsigned canon_column;	/* column where the line being edited started */
	unsigned pending_signals;	/* bit sig set: send sig to the foreground group */
	/* Raw output towards the device (echo and written data, after OPOST). */
	void (*write)(void *ctx, const char *buf, size_t n);
	/* Drops the device's unsent output (a signal character without NOFLSH, before
	 * its echo); NULL when the device queues none. Set after ldisc_init. */
	void (*flush_output)(void *ctx);
	/* Told when pending input was dropped (a pty master in packet mode reports
	 * it); NULL when nobody asks. Set after ldisc_init. */
	void (*flushed_input)(void *ctx);
	void *ctx;
};

/* Sets Linux's default termios (cooked, echo, ^C...) at 38400 baud, empties the ring. */
void ldisc_init(struct ldisc *ld, void (*write)(void *, const char *, size_t), void *ctx);
/* True when one more input byte can be taken; false means "throttle the device". */
bool ldisc_can_receive(const struct ldisc *ld);
/* Processes one received byte (mapping, editing, echo, signals). */
void ldisc_receive(struct ldisc *ld, uint8_t c);
/* Bytes a read could return now: a full line in canonical mode, any byte otherwise.
 * In canonical mode a pending EOF counts as readable even with zero bytes. */
bool ldisc_readable(const struct ldisc *ld);
/* Bytes waiting in the ring (FIONREAD: the complete lines in canonical mode). */
size_t ldisc_available(const struct ldisc *ld);
/* Copies up to n bytes of input to dst (one line at most in canonical mode);
 * returns the count (0 at a canonical EOF). *line_end (may be NULL) is set when a
 * canonical line (or EOF) was completed. */
size_t ldisc_read(struct ldisc *ld, char *dst, size_t n, bool *line_end);
/* Output processing (OPOST, ONLCR, OCRNL, ONOCR, ONLRET) of src into dst, which
 * must hold 2*n bytes; returns the bytes written to dst. */
size_t ldisc_process_output(struct ldisc *ld, const char *src, size_t n, char *dst);
/* Installs new termios; switching canonical mode on or off keeps pending input. */
void ldisc_set_termios(struct ldisc *ld, const struct termios2 *t);
/* Drops all pending input (TCIFLUSH, signal characters without NOFLSH). */
void ldisc_flush_input(struct ldisc *ld);

#endif
