/*
 * tty_ldisc.c — the N_TTY line discipline as pure logic (see tty_ldisc.h): what
 * Linux's n_tty.c does with each received byte and each written one, minus the
 * locking and sleeping, which kernel/dev/tty.c adds.
 */
#include "dev/tty_ldisc.h"
#include <asm/signal.h>

#define RING(ld, i) ((ld)->buf[(i) & (LDISC_BUF_SIZE - 1)])
#define T(ld) (&(ld)->termios)
#define L(ld, f) (T(ld)->c_lflag & (f))
#define I(ld, f) (T(ld)->c_iflag & (f))
#define O(ld, f) (T(ld)->c_oflag & (f))

/* Linux's INIT_C_CC: ^C ^\ DEL ^U ^D, TIME 0, MIN 1, ^Q ^S ^Z, ^R ^O ^W ^V. */
static const cc_t default_cc[NCCS] = {
	[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025, [VEOF] = 004,
	[VTIME] = 0, [VMIN] = 1, [VSTART] = 021, [VSTOP] = 023, [VSUSP] = 032,
	[VREPRINT] = 022, [VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
};

enum erase_kind { ERASE, WERASE, KILL };

static bool is_cntrl(uint8_t c)
{
	return c < 0x20 || c == 0x7f;
}

/* True when c is the (enabled) control character cc[idx]; 0 disables a slot. */
static bool is_cc(const struct ldisc *ld, int idx, uint8_t c)
{
	return T(ld)->c_cc[idx] && c == T(ld)->c_cc[idx];
}

void ldisc_init(struct ldisc *ld, void (*write)(void *, const char *, size_t), void *ctx)
{
	memset(ld, 0, sizeof(*ld));
	ld->termios.c_iflag = ICRNL | IXON;
	ld->termios.c_oflag = OPOST | ONLCR;
	ld->termios.c_cflag = B38400 | CS8 | CREAD | HUPCL;
	ld->termios.c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	memcpy(ld->termios.c_cc, default_cc, sizeof(default_cc));
	ld->termios.c_ispeed = ld->termios.c_ospeed = 38400;
	ld->write = write;
	ld->ctx = ctx;
}

/* Updates the column for one byte (not CR or LF) that reached the device. */
static void column_advance(struct ldisc *ld, uint8_t c)
{
	if (c == '\t')
		ld->column = (ld->column | 7) + 1;
	else if (c == '\b')
		ld->column -= ld->column > 0;
	else if (!is_cntrl(c))
		ld->column++;
}

size_t ldisc_process_output(struct ldisc *ld, const char *src, size_t n, char *dst)
{
	size_t out = 0;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = src[i];

		if (!O(ld, OPOST)) {
			dst[out++] = c;
			continue;
		}
		if (c == '\n') {
			if (O(ld, ONLCR))
				dst[out++] = '\r';
			if (O(ld, ONLCR) || O(ld, ONLRET))
				ld->column = 0;
		} else if (c == '\r') {
			if (O(ld, ONOCR) && ld->column == 0)
				continue;
			if (O(ld, OCRNL)) {
				c = '\n';
				if (O(ld, ONLRET))
					ld->column = 0;
			} else {
				ld->column = 0;
			}
		} else {
			column_advance(ld, c);
		}
		dst[out++] = c;
	}
	return out;
}

/* Writes one byte to the device through output processing. */
static void output_char(struct ldisc *ld, uint8_t c)
{
	char in = c, out[2];
	size_t n = ldisc_process_output(ld, &in, 1, out);

	ld->write(ld->ctx, out, n);
}

/* Echoes c, control characters as ^X when ECHOCTL is set (not tab or newline). */
static void echo_char(struct ldisc *ld, uint8_t c)
{
	if (L(ld, ECHOCTL) && is_cntrl(c) && c != '\t' && c != '\n') {
		char seq[2] = { '^', c ^ 0100 };

		ld->write(ld->ctx, seq, 2);
		ld->column += 2;
		return;
	}
	output_char(ld, c);
}

static size_t ring_used(const struct ldisc *ld)
{
	return ld->read_head - ld->read_tail;
}

bool ldisc_can_receive(const struct ldisc *ld)
{
	size_t used = ring_used(ld);

	if (used < LDISC_BUF_SIZE - 1)
		return true;
	/* A canonical line that fills the ring must still be able to end. */
	return L(ld, ICANON) && ld->canon_head == ld->read_tail && used < LDISC_BUF_SIZE;
}

/* Appends one slot; normal bytes keep the last slot free for a line end. */
static void put_slot(struct ldisc *ld, uint16_t slot)
{
	size_t limit = (slot & LDISC_DELIM) ? LDISC_BUF_SIZE : LDISC_BUF_SIZE - 1;

	if (ring_used(ld) >= limit)
		return;
	if (ld->read_head == ld->canon_head)
		ld->canon_column = ld->column;
	RING(ld, ld->read_head++) = slot;
	if (slot & LDISC_DELIM)
		ld->canon_head = ld->read_head;
}

/* The column the echo of the current line reaches, recomputed from its start. */
static unsigned line_column(const struct ldisc *ld)
{
	unsigned col = ld->canon_column;

	for (uint32_t i = ld->canon_head; i != ld->read_head; i++) {
		uint8_t c = RING(ld, i);

		if (c == '\t')
			col = (col | 7) + 1;
		else if (is_cntrl(c))
			col += L(ld, ECHOCTL) ? 2 : 0;
		else
			col++;
	}
	return col;
}

/* Erases the echo of one character that was just removed from the line. */
static void echo_erase(struct ldisc *ld, uint8_t ch)
{
	unsigned col, width = 1;

	if (ch == '\t') {
		col = line_column(ld);
		while (ld->column > col) {
			ld->write(ld->ctx, "\b", 1);
			ld->column--;
		}
		return;
	}
	if (is_cntrl(ch))
		width = L(ld, ECHOCTL) ? 2 : 0;
	for (unsigned i = 0; i < width; i++) {
		ld->write(ld->ctx, "\b \b", 3);
		ld->column -= ld->column > 0;
	}
}

/* ERASE, WERASE and KILL, with Linux's echo rules (ECHOE, ECHOK, ECHOKE). */
static void eraser(struct ldisc *ld, uint8_t c, enum erase_kind kind)
{
	bool seen_word = false;

	if (ld->read_head == ld->canon_head)
		return;
	if (kind == KILL && (!L(ld, ECHO) || !L(ld, ECHOK) || !L(ld, ECHOKE) || !L(ld, ECHOE))) {
		ld->read_head = ld->canon_head;
		if (L(ld, ECHO)) {
			echo_char(ld, c);
			if (L(ld, ECHOK))
				output_char(ld, '\n');
		}
		return;
	}
	while (ld->read_head != ld->canon_head) {
		uint8_t ch = RING(ld, ld->read_head - 1);

		if (kind == WERASE) {
			bool word = ch == '_' || (ch >= '0' && ch <= '9') ||
				    ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
			if (word)
				seen_word = true;
			else if (seen_word)
				break;
		}
		ld->read_head--;
		if (L(ld, ECHO)) {
			if (kind == ERASE && !L(ld, ECHOE))
				echo_char(ld, c);
			else
				echo_erase(ld, ch);
		}
		if (kind == ERASE)
			break;
	}
}

/* A signal character: flush (unless NOFLSH), echo it, ask the tty to signal. */
static void receive_signal(struct ldisc *ld, uint8_t c, int sig)
{
	if (!L(ld, NOFLSH)) {
		ldisc_flush_input(ld);
		if (ld->flush_output)
			ld->flush_output(ld->ctx);
	}
	if (L(ld, ECHO))
		echo_char(ld, c);
	ld->pending_signals |= 1u << sig;
}

/* Canonical-mode special characters; returns true when c was one of them. */
static bool receive_canon_special(struct ldisc *ld, uint8_t c)
{
	if (is_cc(ld, VERASE, c)) {
		eraser(ld, c, ERASE);
	} else if (is_cc(ld, VKILL, c)) {
		eraser(ld, c, KILL);
	} else if (L(ld, IEXTEN) && is_cc(ld, VWERASE, c)) {
		eraser(ld, c, WERASE);
	} else if (L(ld, IEXTEN) && L(ld, ECHO) && is_cc(ld, VREPRINT, c)) {
		echo_char(ld, c);
		output_char(ld, '\n');
		for (uint32_t i = ld->canon_head; i != ld->read_head; i++)
			echo_char(ld, RING(ld, i));
	} else if (c == '\n') {
		if (L(ld, ECHO) || L(ld, ECHONL))
			output_char(ld, '\n');
		put_slot(ld, LDISC_DELIM | c);
	} else if (is_cc(ld, VEOF, c)) {
		put_slot(ld, LDISC_DELIM | LDISC_EOFMARK);
	} else if (is_cc(ld, VEOL, c) || is_cc(ld, VEOL2, c)) {
		if (L(ld, ECHO))
			echo_char(ld, c);
		put_slot(ld, LDISC_DELIM | c);
	} else {
		return false;
	}
	return true;
}

/* Stores an ordinary byte and echoes it. */
static void receive_plain(struct ldisc *ld, uint8_t c)
{
	size_t before = ring_used(ld);

	put_slot(ld, c);
	if (L(ld, ECHO) && ring_used(ld) != before)
		echo_char(ld, c);
}

void ldisc_receive(struct ldisc *ld, uint8_t c)
{
	if (I(ld, ISTRIP))
		c &= 0x7f;
	if (ld->lnext) {
		ld->lnext = false;
		receive_plain(ld, c);
		return;
	}
	if (L(ld, ISIG)) {
		int sig = is_cc(ld, VINTR, c) ? SIGINT : is_cc(ld, VQUIT, c) ? SIGQUIT :
			  is_cc(ld, VSUSP, c) ? SIGTSTP : 0;
		if (sig) {
			receive_signal(ld, c, sig);
			return;
		}
	}
	if (I(ld, IXON)) {
		if (is_cc(ld, VSTOP, c) || is_cc(ld, VSTART, c)) {
			ld->stopped = is_cc(ld, VSTOP, c);
			return;
		}
		if (ld->stopped && I(ld, IXANY))
			ld->stopped = false;
	}
	if (c == '\r') {
		if (I(ld, IGNCR))
			return;
		if (I(ld, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(ld, INLCR)) {
		c = '\r';
	}
	if (L(ld, ICANON) && L(ld, IEXTEN) && is_cc(ld, VLNEXT, c)) {
		ld->lnext = true;
		if (L(ld, ECHO) && L(ld, ECHOCTL))
			ld->write(ld->ctx, "^\b", 2);
		return;
	}
	if (L(ld, ICANON) && receive_canon_special(ld, c))
		return;
	receive_plain(ld, c);
}

bool ldisc_readable(const struct ldisc *ld)
{
	if (L(ld, ICANON))
		return ld->canon_head != ld->read_tail;
	return ld->read_head != ld->read_tail;
}

size_t ldisc_available(const struct ldisc *ld)
{
	if (L(ld, ICANON))
		return ld->canon_head - ld->read_tail;
	return ring_used(ld);
}

size_t ldisc_read(struct ldisc *ld, char *dst, size_t n, bool *line_end)
{
	size_t got = 0;
	bool end = false;

	if (!L(ld, ICANON)) {
		while (got < n && ld->read_tail != ld->read_head)
			dst[got++] = RING(ld, ld->read_tail++);
		return got;
	}
	while (got < n && ld->read_tail != ld->canon_head) {
		uint16_t slot = RING(ld, ld->read_tail++);

		end = slot & LDISC_DELIM;
		if (slot & LDISC_EOFMARK)
			break;
		dst[got++] = slot;
		if (end)
			break;
	}
	if (line_end)
		*line_end = end;
	return got;
}

void ldisc_set_termios(struct ldisc *ld, const struct termios2 *t)
{
	bool was_canon = L(ld, ICANON);

	ld->termios = *t;
	/* Input typed in raw mode becomes readable as it is when canonical mode returns. */
	if (!was_canon && L(ld, ICANON))
		ld->canon_head = ld->read_head;
	if (!I(ld, IXON))
		ld->stopped = false;
}

void ldisc_flush_input(struct ldisc *ld)
{
	ld->read_tail = ld->read_head;
	ld->canon_head = ld->read_head;
	ld->lnext = false;
	if (ld->flushed_input)
		ld->flushed_input(ld->ctx);
}
