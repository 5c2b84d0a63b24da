// sources: kernel/lib/printf.c
/* Tests of kvsnprintf against the formats the kernel uses. */
#include "unit.h"
#include "lib/lib.h"

struct printf_case {
	const char *fmt;
	long long arg;
	const char *want;
};

static const struct printf_case int_cases[] = {
	{ "%d", 0, "0" },
	{ "%d", -42, "-42" },
	{ "%5d", 42, "   42" },
	{ "%-5d|", 42, "42   |" },
	{ "%05d", -42, "-0042" },
	{ "%+d", 7, "+7" },
	{ "% d", 7, " 7" },
	{ "%x", 0xbeef, "beef" },
	{ "%X", 0xbeef, "BEEF" },
	{ "%#x", 0xbeef, "0xbeef" },
	{ "%#x", 0, "0" },
	{ "%o", 8, "10" },
	{ "%#o", 8, "010" },
	{ "%.3d", 5, "005" },
	{ "%8.3d", -5, "    -005" },
	{ "%u", 4294967295LL, "4294967295" },
	{ "%hhd", 0x1ff, "-1" },
	{ "%hu", 0x10001, "1" },
};

TEST(printf_integers)
{
	char buf[64];

	for (size_t i = 0; i < sizeof(int_cases) / sizeof(int_cases[0]); i++) {
		ksnprintf(buf, sizeof(buf), int_cases[i].fmt, (int)int_cases[i].arg);
		CHECK_STR(buf, int_cases[i].want);
	}
}

TEST(printf_longs)
{
	char buf[64];

	ksnprintf(buf, sizeof(buf), "%ld %lu %lx", -1L, 18446744073709551615UL, 0xffffffff80000000UL);
	CHECK_STR(buf, "-1 18446744073709551615 ffffffff80000000");
	ksnprintf(buf, sizeof(buf), "%lld %zu", (long long)-9223372036854775807LL - 1, (size_t)12);
	CHECK_STR(buf, "-9223372036854775808 12");
	ksnprintf(buf, sizeof(buf), "%016lx", 0x1234UL);
	CHECK_STR(buf, "0000000000001234");
}

TEST(printf_strings_and_chars)
{
	char buf[64];

	ksnprintf(buf, sizeof(buf), "[%s] [%6s] [%-6s] [%.2s] [%c] [%%]", "abc", "abc", "abc", "abc", 'z');
	CHECK_STR(buf, "[abc] [   abc] [abc   ] [ab] [z] [%]");
	const char *volatile null_string = NULL;
	ksnprintf(buf, sizeof(buf), "%s", null_string);
	CHECK_STR(buf, "(null)");
	ksnprintf(buf, sizeof(buf), "%*d|%-*d|%.*s", 4, 1, 3, 2, 1, "xyz");
	CHECK_STR(buf, "   1|2  |x");
	ksnprintf(buf, sizeof(buf), "%p", (void *)0x1000);
	CHECK_STR(buf, "0x1000");
}

TEST(printf_truncates_and_reports_full_length)
{
	char buf[8];

	CHECK_EQ(ksnprintf(buf, sizeof(buf), "hello, world"), 12);
	CHECK_STR(buf, "hello, ");
	CHECK_EQ(ksnprintf(buf, 1, "abc"), 3);
	CHECK_STR(buf, "");
	CHECK_EQ(ksnprintf(NULL, 0, "%d", 12345), 5);
}
