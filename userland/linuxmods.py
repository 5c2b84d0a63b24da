"""The Linux-only modules initramfs: Debian's virtio, disk, ext4, DRM and input modules.

Debian's kernel has the drivers `make reference` needs as modules. linux.iso gets a
second GRUB initrd holding those modules, their dependencies (read from each module's
.modinfo section: the deb has no modules.dep, depmod makes it at install time), the
deb's modules.* files and a modules.dep in depmod's format whose lines are in load
order (every module after the modules it needs). userland/init.c loads the modules in
the order of that file's lines, and those of vkms.dep (vkms and what it needs beyond
modules.dep) only when the kernel's command line has lumen.vkms=1. Lumen never sees
this archive.
"""
import os
import stat
import struct

import mkrootfs

# What the reference needs: the disks (virtio-pci, virtio-blk, ext2 through ext4 and
# crc32c for its checksums), virtio-gpu and bochs (QEMU -vga std) for the DRM work,
# virtio-input and evdev.
WANTED = ["virtio_pci", "virtio_blk", "ext4", "crc32c_generic", "virtio_gpu", "bochs",
          "virtio_input", "evdev"]
# Loaded only for a job whose command line has lumen.vkms=1 (init.c reads vkms.dep):
# the virtual KMS device of the vblank tests, kept off the other jobs' card numbers.
ON_DEMAND = ["vkms"]


def modinfo(path):
    """Return the key=value strings of an ELF64 module's .modinfo section."""
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)

    def section(i):
        name, _, _, _, off, size = struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
        return name, off, size

    _, stroff, _ = section(shstrndx)
    for i in range(shnum):
        name, off, size = section(i)
        end = data.index(b"\0", stroff + name)
        if data[stroff + name:end] == b".modinfo":
            return [s.decode() for s in data[off:off + size].split(b"\0") if s]
    return []


def index(moddir):
    """Map module name -> (path relative to moddir, [modules it needs before it])."""
    mods = {}
    for dirpath, _, files in os.walk(os.path.join(moddir, "kernel")):
        for f in files:
            if not f.endswith(".ko"):
                continue
            path = os.path.join(dirpath, f)
            info = modinfo(path)
            fields = dict(kv.split("=", 1) for kv in info if "=" in kv)
            deps = [d for d in fields.get("depends", "").split(",") if d]
            name = fields.get("name", f[:-3]).replace("-", "_")
            mods[name] = (os.path.relpath(path, moddir), deps)
    return mods


def load_order(mods, wanted):
    """Return the wanted modules and their dependencies, each after its dependencies."""
    order, seen = [], set()

    def visit(name):
        if name in seen:
            return
        seen.add(name)
        if name not in mods:
            raise SystemExit(f"linuxmods: module {name} is not in the kernel package")
        for dep in mods[name][1]:
            visit(dep)
        order.append(name)

    for name in wanted:
        visit(name)
    return order


def modules_dep(mods, order):
    """depmod's modules.dep text for the modules in order (deps listed last-loaded first)."""
    lines = []
    for name in order:
        deps = load_order(mods, mods[name][1])
        lines.append(mods[name][0] + ":" + "".join(" " + mods[d][0] for d in reversed(deps)))
    return "".join(line + "\n" for line in lines)


def write_cpio(moddir, out_path):
    """Write the modules initramfs for the unpacked kernel tree moddir (lib/modules/VER)."""
    mods = index(moddir)
    order = load_order(mods, WANTED)
    extra = [n for n in load_order(mods, WANTED + ON_DEMAND) if n not in order]
    version = os.path.basename(moddir.rstrip("/"))
    base = f"lib/modules/{version}"
    files = {f"{base}/{mods[n][0]}": os.path.join(moddir, mods[n][0]) for n in order + extra}
    for f in os.listdir(moddir):
        if f.startswith("modules.") and f != "modules.dep":
            files[f"{base}/{f}"] = os.path.join(moddir, f)
    dep = modules_dep(mods, order).encode()
    dirs = set()
    for name in files:
        while "/" in name:
            name = os.path.dirname(name)
            dirs.add(name)
    tmp = f"{out_path}.tmp{os.getpid()}"
    with open(tmp, "wb") as out:
        for d in sorted(dirs):
            mkrootfs.cpio_entry(out, d, mkrootfs.Node(stat.S_IFDIR | 0o755))
        for name in sorted(files):
            with open(files[name], "rb") as f:
                mkrootfs.cpio_entry(out, name, mkrootfs.Node(stat.S_IFREG | 0o644), f.read())
        mkrootfs.cpio_entry(out, f"{base}/modules.dep",
                            mkrootfs.Node(stat.S_IFREG | 0o644), dep)
        mkrootfs.cpio_entry(out, f"{base}/vkms.dep", mkrootfs.Node(stat.S_IFREG | 0o644),
                            modules_dep(mods, extra).encode())
        mkrootfs.cpio_entry(out, "TRAILER!!!", None)
    os.replace(tmp, out_path)
    mkrootfs.log(f"{out_path}: {len(order)} modules: {' '.join(order)}; "
                 f"on lumen.vkms=1: {' '.join(extra)}")
