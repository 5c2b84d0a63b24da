#!/bin/sh
# mkiso.sh lumen|linux OUT.iso KERNEL INITRAMFS [MODULES]
# Make a BIOS-bootable GRUB ISO (grub-mkrescue) that boots KERNEL with INITRAMFS:
# Lumen by multiboot2 with a linear framebuffer, Linux with the linux/initrd commands
# and MODULES (the Linux modules archive) as a second initrd, unpacked over the first.
# It stages in a private directory and renames the ISO into place at the end, so that
# two builds running at once do not mix their files.
# Both kernels' command lines end with the words of QEMU's SMBIOS OEM string (type 11,
# its first string: lumenqemu.py --cmdline), read by GRUB's smbios command, so a job
# can add words (a vkms device) without another ISO; none without one.
set -e
kind=$1 out=$2 kernel=$3 initramfs=$4 modules=$5
stage=$(mktemp -d "$(dirname "$out")/iso-$kind.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$initramfs" "$stage/boot/initramfs.cpio"

if [ "$kind" = lumen ]; then
	cp "$kernel" "$stage/boot/lumen.elf"
	cat > "$stage/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
set extra=
insmod smbios
smbios --type 11 --get-string 4 --set extra
export extra
insmod all_video
set gfxpayload=1024x768x32,1024x768
menuentry "Lumen" {
	multiboot2 /boot/lumen.elf console=ttyS0 \$extra
	module2 /boot/initramfs.cpio initramfs
	boot
}
CFG
else
	cp "$kernel" "$stage/boot/vmlinuz"
	initrds=/boot/initramfs.cpio
	if [ -n "$modules" ]; then
		cp "$modules" "$stage/boot/modules.cpio"
		initrds="$initrds /boot/modules.cpio"
	fi
	cat > "$stage/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
set extra=
insmod smbios
smbios --type 11 --get-string 4 --set extra
export extra
menuentry "Linux" {
	linux /boot/vmlinuz console=ttyS0 quiet \$extra
	initrd $initrds
	boot
}
CFG
fi

if ! grub-mkrescue -d /usr/lib/grub/i386-pc --locales= --fonts= --themes= \
		-o "$stage.iso" "$stage" > "$stage.log" 2>&1; then
	cat "$stage.log" >&2
	rm -f "$stage.log" "$stage.iso"
	echo "mkiso: grub-mkrescue failed for $out" >&2
	exit 1
fi
rm -f "$stage.log"
mv "$stage.iso" "$out"
echo "mkiso: $out"
