/*
 * unit.h — the host unit-test runner for the kernel's pure code.
 *
 * A test file defines TEST(name) { ... } blocks and uses CHECK / CHECK_EQ /
 * CHECK_STR; runner.c runs every test, prints "PASS name" or "FAIL name" with the
 * failed checks, and exits non-zero when any test failed. Test files are compiled
 * with -DHOST_TEST together with the kernel sources they test.
 */
#ifndef LUMEN_UNIT_H
#define LUMEN_UNIT_H

#include <stdio.h>
#include <string.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};
void unit_register(struct unit_test *t);
/* Records a failed check in the running test. */
void unit_fail(const char *file, int line, const char *what);

#define TEST(name)                                                          \
	static void test_##name(void);                                      \
	static struct unit_test unit_##name = { #name, test_##name, 0 };    \
	__attribute__((constructor)) static void register_##name(void)      \
	{                                                                   \
		unit_register(&unit_##name);                                \
	}                                                                   \
	static void test_##name(void)

#define CHECK(cond) \
	do { if (!(cond)) unit_fail(__FILE__, __LINE__, #cond); } while (0)
#define CHECK_EQ(a, b)                                                          \
	do {                                                                    \
		long long _a = (long long)(a), _b = (long long)(b);             \
		if (_a != _b) {                                                 \
			char _m[256];                                           \
			snprintf(_m, sizeof(_m), "%s == %s (%lld != %lld)", #a, #b, _a, _b); \
			unit_fail(__FILE__, __LINE__, _m);                      \
		}                                                               \
	} while (0)
#define CHECK_STR(a, b)                                                         \
	do {                                                                    \
		const char *_a = (a), *_b = (b);                                \
		if (strcmp(_a, _b)) {                                           \
			char _m[512];                                           \
			snprintf(_m, sizeof(_m), "%s == %s (\"%s\" != \"%s\")", #a, #b, _a, _b); \
			unit_fail(__FILE__, __LINE__, _m);                      \
		}                                                               \
	} while (0)

#endif
