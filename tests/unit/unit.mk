# tests/unit/unit.mk — `make unit`: host unit tests of the kernel's pure code.
#
# Each tests/unit/test_<part>.c is one binary. The kernel sources it needs are named
# on its first line as `// sources: kernel/lib/printf.c ...`. Every test prints
# PASS/FAIL lines; the closing line counts them over all binaries. A short run of each
# fuzz target (tests/fuzz/fuzz.mk) counts as one test.

UNIT_BUILD := $(BUILD)/unit
UNIT_TESTS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(UNIT_BUILD)/%,$(UNIT_TESTS))
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-DHOST_TEST -Ikernel -I. -fsanitize=address,undefined -fno-omit-frame-pointer

.SECONDEXPANSION:
include tests/fuzz/fuzz.mk

$(UNIT_BUILD)/%: tests/unit/%.c tests/unit/runner.c tests/unit/unit.h $$(shell tests/unit/sources.sh tests/unit/$$*.c)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(UNIT_CFLAGS) -o $@ $< tests/unit/runner.c $$(tests/unit/sources.sh $<)

unit: $(UNIT_BINS) $(FUZZ_BINS) $(FUZZ_SEEDS)
	@pass=0; fail=0; \
	for t in $(UNIT_BINS) fuzz; do \
		if [ $$t = fuzz ]; then out=$$($(call fuzz_run,$(FUZZ_UNIT_TIME))); \
		else out=$$($$t 2>&1); fi; echo "$$out"; \
		pass=$$((pass + $$(echo "$$out" | grep -c '^PASS '))); \
		fail=$$((fail + $$(echo "$$out" | grep -c '^FAIL '))); \
		if ! echo "$$out" | grep -q '^PASS \|^FAIL '; then fail=$$((fail + 1)); echo "FAIL $$t (crashed)"; fi; \
	done; \
	echo "unit: $$pass passed, $$fail failed"; \
	test $$fail -eq 0

.PHONY: unit
