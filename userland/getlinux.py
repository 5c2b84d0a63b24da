#!/usr/bin/env python3
"""Fetch Debian's Linux kernel (the oracle for `make reference`) through the package cache.

linux-image-amd64 is a metapackage; it is resolved to the real linux-image-6.1.*-amd64
package, which is downloaded into the same cache as the rootfs packages, and its
/boot/vmlinuz-* is copied to the output path (--out); --modules writes the modules
initramfs of linux.iso (userland/linuxmods.py), with the vkms module Debian does not
build (userland/linuxvkms.py).
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import linuxmods  # noqa: E402
import linuxvkms  # noqa: E402
import mkrootfs  # noqa: E402


def real_image(cache):
    """Return the name of the linux-image-6.1.*-amd64 package behind linux-image-amd64."""
    closure = mkrootfs.cached_closure(["linux-image-amd64"], cache)
    images = [p for p in closure if p.startswith("linux-image-6.1") and p.endswith("-amd64")]
    if not images:
        sys.exit("getlinux: linux-image-amd64 does not depend on a linux-image-6.1.*-amd64")
    return images[0]


def main():
    """Download the kernel package if needed; write its vmlinuz and/or modules archive."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", required=True)
    ap.add_argument("--out", help="where to copy vmlinuz")
    ap.add_argument("--modules", help="where to write the modules initramfs")
    args = ap.parse_args()
    debs = os.path.join(args.cache, "debs")
    os.makedirs(debs, exist_ok=True)
    pkg = real_image(args.cache)
    deb, = mkrootfs.download([pkg], debs)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
        for out in (args.out, args.modules):
            if out:
                os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
        if args.out:
            vmlinuz, = glob.glob(os.path.join(tmp, "boot/vmlinuz-*"))
            shutil.copyfile(vmlinuz, args.out)
            mkrootfs.log(f"{args.out} from {os.path.basename(deb)}")
        if args.modules:
            moddir, = glob.glob(os.path.join(tmp, "lib/modules/*"))
            linuxvkms.build(args.cache, deb, moddir)
            linuxmods.write_cpio(moddir, args.modules)


if __name__ == "__main__":
    main()
