#!/bin/sh
# Install the Debian host packages the build, the QEMU runs and the tests need.
# Checks each package with dpkg-query and apt-get installs only the missing ones
# (with sudo when not root), saying what it does. Exits non-zero if that fails.
set -e

PKGS="gcc make libc6-dev qemu-system-x86 grub-pc-bin grub-common xorriso mtools cpio
python3 e2fsprogs gdb libdrm-dev"

# Print the packages of $PKGS that are not installed.
missing() {
	for p in $PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			echo "$p"
	done
}

MISSING=$(missing | tr '\n' ' ')
[ -z "$MISSING" ] && exit 0
echo "host-deps: installing missing host packages: $MISSING"
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $MISSING
echo "host-deps: done"
