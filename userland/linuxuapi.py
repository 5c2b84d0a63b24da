#!/usr/bin/env python3
"""Linux 6.1's own DRM uapi headers, for what libdrm-dev 2.4.114 is too old to name.

Debian's libdrm-dev is the only virtgpu_drm.h on the host, and it lacks the blob
resources, context init and the later GETPARAM params; linux-libc-dev ships no drm/.
The headers come from the kernel's linux-headers-ABI-common package (the same Debian
version as linux-image-amd64's kernel, about 10 MB, through the package cache), and
only the drm/ uapi headers named here are extracted, as include/uapi/drm/ lays them
out: OUT/virtgpu_drm.h includes "drm.h" from the same directory.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import getlinux  # noqa: E402
import mkrootfs  # noqa: E402

HEADERS = ["drm.h", "virtgpu_drm.h"]


def main():
    """Download the kernel's -common headers package if needed; extract HEADERS to --out."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", required=True)
    ap.add_argument("--out", required=True, help="directory that gets the drm/*.h headers")
    args = ap.parse_args()
    image = getlinux.real_image(args.cache)
    abi = re.fullmatch(r"linux-image-(.*)-amd64", image).group(1)
    debs = os.path.join(args.cache, "debs")
    os.makedirs(debs, exist_ok=True)
    deb, = mkrootfs.download([f"linux-headers-{abi}-common"], debs)
    inside = [f"./usr/src/linux-headers-{abi}-common/include/uapi/drm/{h}" for h in HEADERS]
    dest = args.out
    os.makedirs(dest, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True,
                              capture_output=True).stdout
        subprocess.run(["tar", "x", "-C", tmp] + inside, input=data, check=True)
        for name, path in zip(HEADERS, inside):
            os.replace(os.path.join(tmp, path), os.path.join(dest, name))
    mkrootfs.log(f"{dest}: {' '.join(HEADERS)} from {os.path.basename(deb)}")


if __name__ == "__main__":
    main()
