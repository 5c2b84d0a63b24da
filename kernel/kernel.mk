# kernel/kernel.mk — how build/lumen.elf is made. Included by the top-level Makefile.
#
# Every .c and .S under kernel/, drm/ and drivers/ is part of the kernel: adding a
# file needs no edit here. The Linux uapi headers (linux/, asm/, asm-generic/) come
# from Debian's linux-libc-dev through build/uapi, so glibc's headers stay out.

BUILD       ?= build
KBUILD      := $(BUILD)/kernel
KERNEL_ELF  := $(BUILD)/lumen.elf

KERNEL_SRCS := $(shell find kernel drm drivers -name '*.c' -o -name '*.S' 2>/dev/null | sort)
KERNEL_OBJS := $(patsubst %,$(KBUILD)/%.o,$(KERNEL_SRCS))

KCFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror=implicit-function-declaration \
	-Wno-unused-parameter -Wno-sign-compare \
	-ffreestanding -fno-stack-protector -fno-pic -fno-pie -mcmodel=kernel \
	-mno-red-zone -mgeneral-regs-only -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-builtin-malloc -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-isystem $(BUILD)/linuxuapi -isystem $(BUILD)/uapi -Ikernel -I. -I$(KBUILD)/gen -MMD -MP
KLDFLAGS := -nostdlib -Wl,--no-warn-rwx-segments -Wl,--build-id=none -static -z max-page-size=4096 -z noexecstack -T kernel/arch/x86_64/linker.ld

# The uapi headers, as Debian's linux-libc-dev installs them.
$(BUILD)/uapi/.stamp:
	@mkdir -p $(BUILD)/uapi
	@test -f /usr/include/linux/types.h || { echo "kernel: linux-libc-dev is missing"; exit 1; }
	ln -sfn /usr/include/linux $(BUILD)/uapi/linux
	ln -sfn /usr/include/asm-generic $(BUILD)/uapi/asm-generic
	ln -sfn /usr/include/x86_64-linux-gnu/asm $(BUILD)/uapi/asm
	@touch $@

# The DRM uapi (drm.h, drm_mode.h, drm_fourcc.h) from Debian's libdrm-dev, included
# as <libdrm/...> so that it cannot be confused with our own drm/drm.h.
$(BUILD)/uapi/.libdrm-stamp: $(BUILD)/uapi/.stamp
	@test -f /usr/include/libdrm/drm.h || { echo "kernel: libdrm-dev is missing"; exit 1; }
	ln -sfn /usr/include/libdrm $(BUILD)/uapi/libdrm
	@touch $@

# Linux 6.1's own DRM uapi headers for what libdrm-dev 2.4.114 does not name yet
# (virtgpu_drm.h's blob resources, context init), included as <linuxdrm/...>; from the
# kernel's linux-headers-ABI-common package through the package cache.
$(BUILD)/linuxuapi/.stamp: userland/linuxuapi.py
	$(PYTHON) userland/linuxuapi.py --cache $(BUILD)/cache --out $(BUILD)/linuxuapi/linuxdrm
	@touch $@

$(KBUILD)/drivers/gpu/virtio/virtgpu.c.o: $(BUILD)/linuxuapi/.stamp

# Syscall names and numbers, generated from Linux's own unistd_64.h.
$(KBUILD)/gen/syscall_list.h: /usr/include/x86_64-linux-gnu/asm/unistd_64.h
	@mkdir -p $(dir $@)
	sed -n 's/^#define __NR_\([a-z0-9_]*\) \([0-9]*\)$$/SYSCALL(\2, \1)/p' $< > $@

# The console font: a PSF from Debian's console-setup-linux, linked into the kernel.
# Downloaded into the package cache like the rootfs packages (apt lists are refreshed
# once when a fresh machine has none).
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_SANDBOX := $(if $(filter 0,$(shell id -u)),-o APT::Sandbox::User=root)
$(KBUILD)/font.psf:
	@mkdir -p $(BUILD)/cache/debs $(KBUILD)/fontpkg
	cd $(BUILD)/cache/debs && { ls console-setup-linux_*.deb >/dev/null 2>&1 || \
		apt-get download -q $(APT_SANDBOX) console-setup-linux || \
		{ $(SUDO) apt-get update -q && apt-get download -q $(APT_SANDBOX) console-setup-linux; }; }
	dpkg-deb -x $$(ls $(BUILD)/cache/debs/console-setup-linux_*.deb | head -n1) $(KBUILD)/fontpkg
	gunzip -c $(KBUILD)/fontpkg/usr/share/consolefonts/Lat15-Fixed16.psf.gz > $@

$(KBUILD)/font.o: $(KBUILD)/font.psf
	cd $(KBUILD) && objcopy -I binary -O elf64-x86-64 -B i386:x86-64 \
		--rename-section .data=.rodata,alloc,load,readonly,data,contents font.psf font.o

$(KBUILD)/%.c.o: %.c $(BUILD)/uapi/.libdrm-stamp $(KBUILD)/gen/syscall_list.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(KBUILD)/%.S.o: %.S $(BUILD)/uapi/.stamp
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KCFLAGS) -D__ASSEMBLY__ -c $< -o $@

# Two links: the first finds every function's address, the second embeds that table
# (kernel/lib/ksyms.c reads it) so a fault prints a symbolized backtrace.
$(KERNEL_ELF): $(KERNEL_OBJS) $(KBUILD)/font.o kernel/arch/x86_64/linker.ld kernel/lib/ksyms.sh
	@echo "  LD      $@"
	@kernel/lib/ksyms.sh /dev/null > $(KBUILD)/ksyms0.S
	@$(CC) $(KCFLAGS) -c $(KBUILD)/ksyms0.S -o $(KBUILD)/ksyms0.o
	@$(CC) $(KLDFLAGS) -o $(KBUILD)/lumen.pass1 $(KERNEL_OBJS) $(KBUILD)/font.o $(KBUILD)/ksyms0.o
	@nm -n $(KBUILD)/lumen.pass1 | kernel/lib/ksyms.sh - > $(KBUILD)/ksyms1.S
	@$(CC) $(KCFLAGS) -c $(KBUILD)/ksyms1.S -o $(KBUILD)/ksyms1.o
	@$(CC) $(KLDFLAGS) -o $(KBUILD)/lumen.pass2 $(KERNEL_OBJS) $(KBUILD)/font.o $(KBUILD)/ksyms1.o
	@nm -n $(KBUILD)/lumen.pass2 | kernel/lib/ksyms.sh - > $(KBUILD)/ksyms2.S
	@$(CC) $(KCFLAGS) -c $(KBUILD)/ksyms2.S -o $(KBUILD)/ksyms2.o
	@$(CC) $(KLDFLAGS) -o $@ $(KERNEL_OBJS) $(KBUILD)/font.o $(KBUILD)/ksyms2.o

kernel: $(KERNEL_ELF)

-include $(KERNEL_OBJS:.o=.d)

include tests/unit/unit.mk

.PHONY: kernel
