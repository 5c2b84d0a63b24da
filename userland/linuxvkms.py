"""Linux's vkms module for Debian's kernel, which is built without it (CONFIG_DRM_VKMS
is not set): the vblank jobs need a Linux driver with vblank support to record on.

It is built the way an out-of-tree module is built for a Debian kernel: the kernel's
own sources (linux-source-X.Y, the same Debian version as the kernel image), its
headers and kbuild packages, all through the package cache, unpacked in a temporary
directory (no host installation), `make M=drivers/gpu/drm/vkms CONFIG_DRM_VKMS=m`
with the host's gcc-12 (Debian's kernel compiler). The module is cached as
cache/vkms-<release>.ko; the modules initramfs (linuxmods.py) puts it where the
kernel package would have it.
"""
import glob
import os
import re
import shutil
import subprocess
import tempfile

import mkrootfs


def build(cache, image_deb, moddir):
    """Put vkms.ko for the kernel of image_deb into moddir (lib/modules/RELEASE)."""
    release = os.path.basename(moddir.rstrip("/"))
    dest = os.path.join(moddir, "kernel/drivers/gpu/drm/vkms/vkms.ko")
    cached = os.path.join(cache, f"vkms-{release}.ko")
    if not os.path.exists(cached):
        compile_module(cache, image_deb, release, cached)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copyfile(cached, dest)


def compile_module(cache, image_deb, release, out):
    """Compile vkms.ko for release (6.1.0-56-amd64) from the Debian packages."""
    version = os.path.basename(image_deb).split("_")[1]
    abi = release.rsplit("-", 1)[0]
    series = re.match(r"\d+\.\d+", abi).group(0)
    pkgs = [f"linux-source-{series}", f"linux-headers-{release}",
            f"linux-headers-{abi}-common", f"linux-kbuild-{series}"]
    debs = mkrootfs.download(pkgs, os.path.join(cache, "debs"))
    for deb in debs:
        if os.path.basename(deb).split("_")[1] != version:
            raise SystemExit(f"linuxvkms: {deb} is not version {version} of the kernel")
    mkrootfs.log(f"building vkms.ko for {release} from linux-source-{series} {version}")
    with tempfile.TemporaryDirectory() as tmp:
        for deb in debs:
            subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
        src, = glob.glob(os.path.join(tmp, f"usr/src/linux-source-{series}.tar.*"))
        top = f"linux-source-{series}"
        subprocess.run(["tar", "xf", src, "-C", tmp, f"{top}/drivers/gpu/drm/vkms"], check=True)
        headers = os.path.join(tmp, f"usr/src/linux-headers-{release}")
        # the flavour's Makefile includes the common one by its installed path
        with open(os.path.join(headers, "Makefile"), "w") as f:
            f.write(f"include {tmp}/usr/src/linux-headers-{abi}-common/Makefile\n")
        vkms = os.path.join(tmp, top, "drivers/gpu/drm/vkms")
        subprocess.run(["make", "-s", "-C", headers, f"M={vkms}", "CONFIG_DRM_VKMS=m",
                        "modules"], check=True, stdout=subprocess.DEVNULL)
        shutil.copyfile(os.path.join(vkms, "vkms.ko"), out + ".tmp")
    os.replace(out + ".tmp", out)
