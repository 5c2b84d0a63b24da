/*
 * libfuzzer.c — fuzz_bug for targets linked with clang's libFuzzer instead of
 * driver.c (libFuzzer saves the input of a crash itself):
 *   clang -fsanitize=fuzzer,address,undefined -DHOST_TEST -Ikernel -I. -Itests/fuzz \
 *     tests/fuzz/fuzz_ext2.c tests/fuzz/libfuzzer.c $(tests/unit/sources.sh \
 *     tests/fuzz/fuzz_ext2.c) -o fuzz_ext2 && ./fuzz_ext2 CORPUS_DIR
 */
#include "fuzz.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Reports a wrong answer of the target and aborts. See fuzz.h. */
void fuzz_bug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
