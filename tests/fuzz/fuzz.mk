# tests/fuzz/fuzz.mk — fuzz targets of the kernel's parsers (included by unit.mk).
#
# tests/fuzz/fuzz_NAME.c is a target (libFuzzer's entry point; its first line names
# the kernel sources it needs, as unit tests do), linked with driver.c into
# $(BUILD)/fuzz/fuzz_NAME under ASan and UBSan; tests/fuzz/seeds-NAME.sh DIR writes
# its seed inputs. `make unit` runs each target for FUZZ_UNIT_TIME seconds (a smoke
# run that prints PASS/FAIL like a unit test); `make fuzz FUZZ_TIME=600` runs longer.
# A failing input is saved as $(BUILD)/fuzz/crash-fuzz_NAME.

FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS := $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_TARGETS))
FUZZ_SEEDS := $(addprefix $(FUZZ_BUILD)/seeds-,$(FUZZ_TARGETS))
FUZZ_UNIT_TIME ?= 3
FUZZ_TIME ?= 300
FUZZ_SEED ?= 1

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c tests/fuzz/fuzz.h $$(shell tests/unit/sources.sh tests/fuzz/fuzz_$$*.c)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	@$(CC) $(UNIT_CFLAGS) -fno-sanitize-recover=all -Itests/fuzz -o $@ $< tests/fuzz/driver.c $$(tests/unit/sources.sh $<)

$(FUZZ_BUILD)/seeds-%: tests/fuzz/seeds-%.sh
	@mkdir -p $@
	@sh $< $@
	@touch $@

# Runs every target for $(1) seconds; the recipe fails when one does.
define fuzz_run
	for t in $(FUZZ_TARGETS); do \
		$(FUZZ_BUILD)/fuzz_$$t -time $(1) -seed $(FUZZ_SEED) -save $(FUZZ_BUILD) \
			$(FUZZ_BUILD)/seeds-$$t/* 2>&1 || echo "FAIL fuzz_$$t (crashed: see above)"; \
	done
endef

fuzz: $(FUZZ_BINS) $(FUZZ_SEEDS)
	@$(call fuzz_run,$(FUZZ_TIME)) | tee $(FUZZ_BUILD)/last.log; ! grep -q '^FAIL' $(FUZZ_BUILD)/last.log

.PHONY: fuzz
