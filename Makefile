# Lumen: the only entry points (see ../shared/ARCHITECTURE.md, "Contracts").
#   make / make all     kernel, rootfs (initramfs) and build/lumen.iso
#   make run            boot Lumen with the console on this terminal (make debug: + gdb stub)
#   make test           host unit tests, then the QEMU tests; ends with "N passed, N failed"
#   make boot CMD=...   run CMD in Lumen headless, exit with its status (GNU make itself
#                       can only exit 0 or 2: the runner prints the status on stderr,
#                       STATUS=file writes it, OUT=file writes the job's output)
#   make reference CMD=...   the same on Debian's Linux kernel (the oracle)
#   make reference-record    rerun every QEMU test job on Linux, record tests/qemu/*.out|exit
#   make bench          Lumen vs Linux figures measured in the same run
#   make fuzz           the host fuzz targets (tests/fuzz) for FUZZ_TIME seconds each
#   make clean          remove build/ except the package download cache

BUILD    := build
SMP      ?= 1
MEM      ?= 1G
TIMEOUT  ?= 120
GPU      ?= virtio
SHOTS    ?= $(BUILD)/shots
PACKAGES ?=
OVERLAY  ?=
OUT      ?=
TESTS    ?=
STATUS   ?=
DISK     ?=
DISK_RO  ?=
CMDLINE  ?=
PYTHON   ?= python3

# The job for boot/reference goes to the runner through the environment, not argv,
# unexpanded: $(value) keeps make from eating the shell's $VAR and $((...)).
export LUMEN_CMD = $(value CMD)

.DEFAULT_GOAL := all

# kernel.mk (the kernel team's) defines $(BUILD)/lumen.elf and the `unit` target.
-include kernel/kernel.mk

ifeq ($(wildcard kernel/kernel.mk),)
$(BUILD)/lumen.elf:
	@echo "error: kernel/kernel.mk is missing, so build/lumen.elf cannot be built" >&2; exit 1
unit:
	@echo "error: kernel/kernel.mk is missing, so there are no host unit tests" >&2; exit 1
endif

USER_CFLAGS := -static -O2 -s -Wall -Wextra -I/usr/include/libdrm -I$(BUILD)/linuxuapi
GUEST_PROGS := $(patsubst tests/guest/%.c,%,$(wildcard tests/guest/*.c))
TOOLS       := $(BUILD)/userland/shot $(addprefix $(BUILD)/userland/,$(GUEST_PROGS))
HOST_DEPS   := $(BUILD)/.host-deps
RUNNER      := $(PYTHON) tests/harness/lumenqemu.py --build $(BUILD) --gpu $(GPU) \
               --smp $(SMP) --mem $(MEM) --timeout $(TIMEOUT) --shots $(SHOTS) \
               $(if $(OUT),--out $(OUT)) $(if $(STATUS),--status-file $(STATUS)) \
               $(foreach d,$(DISK),--disk $(d)) $(foreach d,$(DISK_RO),--disk-ro $(d)) \
               $(if $(CMDLINE),--cmdline "$(CMDLINE)")

.PHONY: all run debug test boot reference reference-record bench clean host-deps FORCE

all: $(HOST_DEPS) $(BUILD)/lumen.iso

# Install missing host packages once (again when the script changes). The entry points
# list it first so that it runs before anything is compiled.
host-deps: $(HOST_DEPS)
$(HOST_DEPS): tests/harness/host-deps.sh
	@sh tests/harness/host-deps.sh
	@mkdir -p $(BUILD) && touch $@

# Our own static user programs: PID 1, shot, and the guest test programs.
$(BUILD)/userland/%: userland/%.c userland/control.h Makefile | $(HOST_DEPS)
	@mkdir -p $(dir $@)
	gcc $(USER_CFLAGS) -o $@ $<
$(BUILD)/userland/%: tests/guest/%.c tests/guest/errname.h tests/guest/check.h tests/guest/drmtest.h \
		     Makefile | $(HOST_DEPS)
	@mkdir -p $(dir $@)
	gcc $(USER_CFLAGS) -o $@ $<

# drmvirtgpu uses Linux 6.1's virtgpu_drm.h (<linuxdrm/...>, see kernel/kernel.mk).
$(BUILD)/userland/drmvirtgpu: $(BUILD)/linuxuapi/.stamp

# Rebuild the rootfs when PACKAGES or OVERLAY change (and always when OVERLAY is set).
$(BUILD)/rootfs.config: FORCE
	@mkdir -p $(BUILD)
	@echo 'packages=$(PACKAGES) overlay=$(OVERLAY)' | cmp -s - $@ || \
		echo 'packages=$(PACKAGES) overlay=$(OVERLAY)' > $@

# The root disk image and the initramfs (only our init, which mounts the disk).
$(BUILD)/initramfs.cpio $(BUILD)/root.img &: userland/mkrootfs.py userland/packages.txt \
		$(BUILD)/rootfs.config $(BUILD)/userland/init $(TOOLS) $(if $(OVERLAY),FORCE) \
		| $(HOST_DEPS)
	$(PYTHON) userland/mkrootfs.py --list userland/packages.txt --packages "$(PACKAGES)" \
		--cache $(BUILD)/cache --root $(BUILD)/rootfs --cpio $(BUILD)/initramfs.cpio \
		--image $(BUILD)/root.img \
		--init $(BUILD)/userland/init --overlay "$(OVERLAY)" $(TOOLS)

# Debian's Linux kernel, through the same package cache.
$(BUILD)/linux/vmlinuz: userland/getlinux.py | $(HOST_DEPS)
	$(PYTHON) userland/getlinux.py --cache $(BUILD)/cache --out $@

# Its virtio, ext4, DRM and input modules: a second initrd, for linux.iso only.
$(BUILD)/linux/modules.cpio: userland/getlinux.py userland/linuxmods.py userland/linuxvkms.py \
		| $(HOST_DEPS)
	$(PYTHON) userland/getlinux.py --cache $(BUILD)/cache --modules $@

# The ISOs depend on root.img too: everything that boots them boots that disk.
$(BUILD)/lumen.iso: $(BUILD)/lumen.elf $(BUILD)/initramfs.cpio $(BUILD)/root.img \
		tests/harness/mkiso.sh
	@sh tests/harness/mkiso.sh lumen $@ $(BUILD)/lumen.elf $(BUILD)/initramfs.cpio

$(BUILD)/linux.iso: $(BUILD)/linux/vmlinuz $(BUILD)/linux/modules.cpio $(BUILD)/initramfs.cpio \
		$(BUILD)/root.img tests/harness/mkiso.sh
	@sh tests/harness/mkiso.sh linux $@ $(BUILD)/linux/vmlinuz $(BUILD)/initramfs.cpio \
		$(BUILD)/linux/modules.cpio

boot: $(HOST_DEPS) $(BUILD)/lumen.iso
	@$(RUNNER) --iso $(BUILD)/lumen.iso --kernel lumen --cmd-env LUMEN_CMD

reference: $(HOST_DEPS) $(BUILD)/linux.iso
	@$(RUNNER) --iso $(BUILD)/linux.iso --kernel linux --cmd-env LUMEN_CMD

# make run boots a writable copy of root.img, build/run.img, kept between runs so
# that a user's files survive (the runner makes it again when root.img is newer).
run: $(HOST_DEPS) $(BUILD)/lumen.iso
	@$(RUNNER) --iso $(BUILD)/lumen.iso --kernel lumen --interactive --keep-root $(BUILD)/run.img

debug: $(HOST_DEPS) $(BUILD)/lumen.iso
	@$(RUNNER) --iso $(BUILD)/lumen.iso --kernel lumen --interactive --debug \
		--keep-root $(BUILD)/run.img

test: $(HOST_DEPS)
	@$(PYTHON) tests/run --make "$(MAKE)" --build $(BUILD) --timeout $(TIMEOUT) \
		--tests "$(TESTS)"

reference-record: $(HOST_DEPS) $(BUILD)/linux.iso
	@$(PYTHON) tests/run --record --make "$(MAKE)" --build $(BUILD) --timeout $(TIMEOUT) \
		--tests "$(TESTS)"

bench: $(HOST_DEPS) $(BUILD)/linux.iso
	@-$(MAKE) --no-print-directory $(BUILD)/lumen.iso
	@$(PYTHON) tests/harness/bench.py --build $(BUILD) --timeout $(TIMEOUT)

clean:
	@if [ -d $(BUILD) ]; then \
		find $(BUILD) -mindepth 1 -maxdepth 1 ! -name cache -exec rm -rf {} +; fi
	@echo "clean: removed $(BUILD)/ except the download cache $(BUILD)/cache"

FORCE:
