/* runner.c — runs every registered unit test of one test binary (see unit.h). */
#include <stdlib.h>
#include "unit.h"

static struct unit_test *tests, **tests_tail = &tests;
static int current_failures;

void unit_register(struct unit_test *t)
{
	*tests_tail = t;
	tests_tail = &t->next;
}

void unit_fail(const char *file, int line, const char *what)
{
	printf("    %s:%d: check failed: %s\n", file, line, what);
	current_failures++;
}

int main(void)
{
	int failed = 0;

	for (struct unit_test *t = tests; t; t = t->next) {
		current_failures = 0;
		t->fn();
		printf("%s %s\n", current_failures ? "FAIL" : "PASS", t->name);
		failed += current_failures != 0;
	}
	return failed ? 1 : 0;
}
