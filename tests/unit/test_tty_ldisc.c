// sources: kernel/dev/tty_ldisc.c
/* Tests of the N_TTY line discipline: what Linux echoes and returns for typed input. */
#include "unit.h"
#include "dev/tty_ldisc.h"
#include <asm/signal.h>

static char echoed[200];
static size_t echoed_len;

static void capture(void *ctx, const char *buf, size_t n)
{
	if (echoed_len + n >= sizeof(echoed))
		return;
	memcpy(echoed + echoed_len, buf, n);
	echoed_len += n;
	echoed[echoed_len] = 0;
}

static struct ldisc ld;

static void setup(void)
{
	ldisc_init(&ld, capture, NULL);
	echoed_len = 0;
	echoed[0] = 0;
}

static void type(const char *s)
{
	while (*s)
		ldisc_receive(&ld, (uint8_t)*s++);
}

/* Reads what one read(2) of size n would return, as a string. */
static const char *read_str(size_t n)
{
	static char out[200];
	size_t got = ldisc_read(&ld, out, n, NULL);

	out[got] = 0;
	return out;
}

/* One canonical-mode case: typed input, the echo, the first read's result. */
struct canon_case {
	const char *typed, *echo, *line;
};

static const struct canon_case canon_cases[] = {
	{ "ls\r", "ls\r\n", "ls\n" },
	{ "abc\177\177d\n", "abc\b \b\b \bd\r\n", "ad\n" },
	{ "foo bar\027baz\n", "foo bar\b \b\b \b\b \bbaz\r\n", "foo baz\n" },
	{ "hello\025x\n", "hello\b \b\b \b\b \b\b \b\b \bx\r\n", "x\n" },
	{ "a\001\177b\n", "a^A\b \b\b \bb\r\n", "ab\n" },
	{ "\026\003\n", "^\b^C\r\n", "\003\n" },
	{ "x\t\177y\n", "x\t\b\b\b\b\b\b\by\r\n", "xy\n" },
	{ "\177\177ok\n", "ok\r\n", "ok\n" },
};

TEST(canonical_editing_and_echo)
{
	for (size_t i = 0; i < sizeof(canon_cases) / sizeof(canon_cases[0]); i++) {
		setup();
		type(canon_cases[i].typed);
		CHECK_STR(echoed, canon_cases[i].echo);
		CHECK_STR(read_str(100), canon_cases[i].line);
	}
}

TEST(canonical_waits_for_a_line)
{
	setup();
	type("abc");
	CHECK(!ldisc_readable(&ld));
	type("\n");
	CHECK(ldisc_readable(&ld));
	CHECK_EQ(ldisc_available(&ld), 4);
}

TEST(canonical_reads_one_line_at_a_time_and_partial)
{
	setup();
	type("one\ntwo\n");
	CHECK_STR(read_str(2), "on");
	CHECK_STR(read_str(100), "e\n");
	CHECK_STR(read_str(100), "two\n");
	CHECK(!ldisc_readable(&ld));
}

TEST(eof_ends_a_line_and_reads_zero_on_empty)
{
	setup();
	type("ab\004");
	CHECK_STR(echoed, "ab");
	CHECK_STR(read_str(100), "ab");
	type("\004");
	CHECK(ldisc_readable(&ld));
	CHECK_EQ(ldisc_read(&ld, echoed, 10, NULL), 0);
	CHECK(!ldisc_readable(&ld));
}

TEST(signal_characters_flush_and_echo)
{
	setup();
	type("abc\003");
	CHECK_STR(echoed, "abc^C");
	CHECK_EQ(ld.pending_signals, 1u << SIGINT);
	CHECK(!ldisc_readable(&ld));
	type("x\n");
	CHECK_STR(read_str(100), "x\n");
	ld.pending_signals = 0;
	type("\034\032");
	CHECK_EQ(ld.pending_signals, (1u << SIGQUIT) | (1u << SIGTSTP));
}

TEST(noflsh_keeps_input)
{
	setup();
	ld.termios.c_lflag |= NOFLSH;
	type("ab\003\n");
	CHECK_STR(read_str(100), "ab\n");
}

TEST(input_mapping)
{
	setup();
	ld.termios.c_lflag &= ~ICANON;
	ld.termios.c_iflag = INLCR | ISTRIP;
	type("\n\xe1");
	CHECK_STR(read_str(100), "\ra");
	ld.termios.c_iflag = IGNCR;
	type("a\rb");
	CHECK_STR(read_str(100), "ab");
}

TEST(raw_mode_no_echo_8bit)
{
	struct termios2 t;

	setup();
	t = ld.termios;
	t.c_iflag = 0;
	t.c_oflag = 0;
	t.c_lflag = 0;
	ldisc_set_termios(&ld, &t);
	type("\003\r\n\xff\021\023");
	CHECK_EQ(echoed_len, 0);
	CHECK_EQ(ldisc_available(&ld), 6);
	CHECK_STR(read_str(3), "\003\r\n");
	CHECK_STR(read_str(100), "\xff\021\023");
	CHECK_EQ(ld.pending_signals, 0);
}

TEST(echonl_without_echo)
{
	setup();
	ld.termios.c_lflag = ICANON | ECHONL;
	type("secret\n");
	CHECK_STR(echoed, "\r\n");
	CHECK_STR(read_str(100), "secret\n");
}

TEST(echok_without_echoke)
{
	setup();
	ld.termios.c_lflag = ICANON | ECHO | ECHOK | ECHOCTL;
	type("abc\025");
	CHECK_STR(echoed, "abc^U\r\n");
	CHECK(!ldisc_readable(&ld));
}

TEST(eol_characters_end_lines)
{
	setup();
	ld.termios.c_cc[VEOL] = ';';
	type("a;b\n");
	CHECK_STR(read_str(100), "a;");
	CHECK_STR(read_str(100), "b\n");
}

TEST(output_processing)
{
	char out[64];
	size_t n;

	setup();
	n = ldisc_process_output(&ld, "a\nb", 3, out);
	CHECK_EQ(n, 4);
	CHECK(!memcmp(out, "a\r\nb", 4));
	ld.termios.c_oflag = OPOST | OCRNL;
	n = ldisc_process_output(&ld, "\r", 1, out);
	CHECK_EQ(n, 1);
	CHECK_EQ(out[0], '\n');
	ld.termios.c_oflag = 0;
	n = ldisc_process_output(&ld, "\n", 1, out);
	CHECK_EQ(n, 1);
	CHECK_EQ(out[0], '\n');
}

TEST(full_ring_throttles_raw_input)
{
	setup();
	ld.termios.c_lflag = 0;
	for (int i = 0; i < LDISC_BUF_SIZE * 2 && ldisc_can_receive(&ld); i++)
		ldisc_receive(&ld, 'x');
	CHECK_EQ(ldisc_available(&ld), LDISC_BUF_SIZE - 1);
	CHECK(!ldisc_can_receive(&ld));
	CHECK_EQ(ldisc_read(&ld, echoed, 100, NULL), 100);
	CHECK(ldisc_can_receive(&ld));
}

TEST(full_canonical_line_can_still_end)
{
	setup();
	ld.termios.c_lflag = ICANON;
	for (int i = 0; i < LDISC_BUF_SIZE + 10; i++) {
		CHECK(ldisc_can_receive(&ld));
		ldisc_receive(&ld, 'y');
	}
	ldisc_receive(&ld, '\n');
	CHECK_EQ(ldisc_available(&ld), LDISC_BUF_SIZE);
	CHECK(!ldisc_can_receive(&ld));
}

TEST(canonical_switch_keeps_raw_input)
{
	struct termios2 t;

	setup();
	t = ld.termios;
	t.c_lflag &= ~ICANON;
	ldisc_set_termios(&ld, &t);
	type("ab");
	t.c_lflag |= ICANON;
	ldisc_set_termios(&ld, &t);
	CHECK(ldisc_readable(&ld));
	CHECK_STR(read_str(100), "ab");
}

TEST(line_end_reports_a_finished_line)
{
	char out[8];
	bool end = true;

	setup();
	type("abcdef\n\004");
	CHECK_EQ(ldisc_read(&ld, out, 4, &end), 4);
	CHECK(!end);
	CHECK_EQ(ldisc_read(&ld, out, 8, &end), 3);
	CHECK(end);
	CHECK_EQ(ldisc_read(&ld, out, 8, &end), 0);
	CHECK(end);
}

TEST(lnext_takes_the_next_character_literally)
{
	setup();
	type("\026\025x\n");
	CHECK_STR(read_str(100), "\025x\n");
}
