/*
 * fuzz.h — what a fuzz target (tests/fuzz/fuzz_*.c, libFuzzer's entry point) and the
 * freestanding driver (driver.c) share.
 */
#ifndef LUMEN_FUZZ_H
#define LUMEN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Runs the target on one input; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Reports a bug the sanitizers cannot see (a wrong answer), saves the input, aborts. */
void fuzz_bug(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
