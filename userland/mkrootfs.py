#!/usr/bin/env python3
"""Build Lumen's root file system from Debian packages: an ext2 disk image + a tiny initramfs.

Steps (ARCHITECTURE.md decision 4): resolve the dependency closure of the package
list, download the .debs into a cache (apt-get download), unpack them with dpkg-deb -x,
add busybox applet links, our init, shot and the guest test programs, copy an optional
overlay tree on top, and write the tree as an ext2 image (Debian's mke2fs -d, the
root disk /dev/vda). The initramfs GRUB loads is an uncompressed cpio (newc) owned by
root:root holding only our init, which mounts the disk and moves into it.

The closure is cached per package set and the .debs are cached per package, so a second
build with the same set needs no network and takes seconds.
"""
import argparse
import hashlib
import os
import shutil
import stat
import subprocess
import sys

DEP_KINDS = ("Depends:", "PreDepends:", "|Depends:", "|PreDepends:")
BASE_DIRS = ("dev", "proc", "sys", "tmp", "root", "etc", "run", "mnt",
             "usr/local/bin", "usr/local/sbin")


def log(msg):
    """Print a progress line of the builder."""
    print(f"mkrootfs: {msg}", flush=True)


def sudo_prefix():
    """Return the command prefix that gives root (empty when we are root)."""
    return [] if os.geteuid() == 0 else ["sudo"]


def apt_update_once(state={"done": False}):
    """Run apt-get update once per build, used when apt does not know a package."""
    if not state["done"]:
        log("apt does not know a package; running apt-get update")
        subprocess.run(sudo_prefix() + ["apt-get", "update", "-q"], check=True)
        state["done"] = True


def apt_depends(pkgs):
    """Run apt-cache depends on pkgs; return {pkg: [[alternative, ...], ...]}.

    Each alternative is (name, [providers]); providers is non-empty for a virtual name.
    """
    cmd = ["apt-cache", "depends", "--no-recommends", "--no-suggests", "--no-conflicts",
           "--no-breaks", "--no-replaces", "--no-enhances"] + sorted(pkgs)
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        apt_update_once()
        res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    deps, cur, group, last = {}, None, [], None
    for line in res.stdout.splitlines():
        if not line.startswith(" "):
            cur = line.strip()
            deps[cur] = []
        elif line.startswith("    ") and last is not None:
            last[1].append(line.strip())
        else:
            kind, _, name = line.strip().partition(" ")
            if kind not in DEP_KINDS:
                continue
            last = (name.strip("<>").split(":")[0], [])
            group.append(last)
            if not kind.startswith("|"):
                deps[cur].append(group)
                group = []
    return deps


def pick(group, chosen):
    """Choose one real package from an alternative group (prefer one already chosen)."""
    candidates = []
    for name, providers in group:
        candidates += providers if providers else [name]
    for name in candidates:
        if name in chosen:
            return name
    return candidates[0] if candidates else None


def resolve_closure(roots):
    """Return the sorted dependency closure of roots (first alternative, no recommends)."""
    chosen, todo = set(roots), set(roots)
    while todo:
        found = apt_depends(todo)
        todo = set()
        for pkg in sorted(found):
            for group in found[pkg]:
                dep = pick(group, chosen)
                if dep and dep not in chosen:
                    chosen.add(dep)
                    todo.add(dep)
    return sorted(chosen)


def cached_closure(roots, cache):
    """Return the closure of roots, read from the cache when this set was resolved before."""
    key = hashlib.sha256(" ".join(sorted(roots)).encode()).hexdigest()[:16]
    path = os.path.join(cache, f"closure-{key}.txt")
    if os.path.exists(path):
        with open(path) as f:
            return f.read().split()
    log(f"resolving dependencies of: {' '.join(sorted(roots))}")
    closure = resolve_closure(roots)
    os.makedirs(cache, exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write("\n".join(closure) + "\n")
    os.replace(tmp, path)
    return closure


def deb_path(pkg, debs):
    """Return the cached .deb of pkg, or None when it has not been downloaded."""
    prefix = pkg + "_"
    for name in sorted(os.listdir(debs)):
        if name.startswith(prefix) and name.endswith(".deb") and name.count("_") == 2:
            return os.path.join(debs, name)
    return None


def apt_download_cmd(pkg):
    """Return the apt-get download command line for pkg (no _apt sandbox when root)."""
    sandbox = ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []
    return ["apt-get", "download", "-q"] + sandbox + [pkg]


def download(pkgs, debs):
    """Download the .debs of pkgs that are not cached yet, one by one with progress."""
    missing = [p for p in pkgs if deb_path(p, debs) is None]
    for i, pkg in enumerate(missing, 1):
        log(f"[{i}/{len(missing)}] downloading {pkg}")
        res = subprocess.run(apt_download_cmd(pkg), cwd=debs)
        if res.returncode != 0:
            apt_update_once()
            subprocess.run(apt_download_cmd(pkg), cwd=debs, check=True)
    return [deb_path(p, debs) for p in pkgs]


def unpack(debfiles, root):
    """Unpack every .deb into a new root directory."""
    os.makedirs(root)
    for deb in debfiles:
        subprocess.run(["dpkg-deb", "-x", deb, root], check=True)


def busybox_links(root):
    """Create busybox's applet links (from its --list-full) where no file exists yet."""
    busybox = os.path.join(root, "bin/busybox")
    if not os.path.exists(busybox):
        return
    out = subprocess.run([busybox, "--list-full"], capture_output=True, text=True,
                         check=True).stdout
    for rel in out.split():
        path = os.path.join(root, rel)
        if os.path.lexists(path):
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink(os.path.relpath(busybox, os.path.dirname(path)), path)


def install_file(src, root, dest, mode=0o755):
    """Copy a host file into the rootfs at dest with the given mode."""
    path = os.path.join(root, dest.lstrip("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    shutil.copyfile(src, path)
    os.chmod(path, mode)


def add_own_files(root, init, tools):
    """Add the base directories, /init and our tools (into /usr/local/bin)."""
    for d in BASE_DIRS:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    install_file(init, root, "/init")
    for tool in tools:
        install_file(tool, root, "/usr/local/bin/" + os.path.basename(tool))
    etc = os.path.join(root, "etc")
    for name, text in (("passwd", "root:x:0:0:root:/root:/bin/sh\n"),
                       ("group", "root:x:0:\n"), ("hostname", "lumen\n")):
        if not os.path.exists(os.path.join(etc, name)):
            with open(os.path.join(etc, name), "w") as f:
                f.write(text)


def copy_overlay(src, root):
    """Copy a host tree over the rootfs (OVERLAY=dir)."""
    log(f"copying overlay {src}")
    shutil.copytree(src, root, symlinks=True, dirs_exist_ok=True)


def cpio_entry(out, name, st, data=b"", rdev=(0, 0)):
    """Write one newc header + name + data, owner root:root, nlink 1, mtime 0."""
    nameb = name.encode() + b"\0"
    fields = (0, st.st_mode if st else 0, 0, 0, 1, 0, len(data), 0, 0,
              rdev[0], rdev[1], len(nameb), 0)
    out.write(b"070701" + b"".join(b"%08X" % v for v in fields))
    out.write(nameb + b"\0" * ((-(110 + len(nameb))) % 4))
    out.write(data + b"\0" * ((-len(data)) % 4))


class Node:
    """A synthetic stat result for entries that are not files on the host."""
    def __init__(self, mode):
        self.st_mode = mode


def tree_paths(root):
    """Yield the paths under root relative to it, sorted, each directory before its contents."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            yield os.path.relpath(os.path.join(dirpath, name), root)


def write_cpio(root, path):
    """Pack root into an uncompressed newc cpio, adding /dev/console and friends."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as out:
        for rel in tree_paths(root):
            full = os.path.join(root, rel)
            st = os.lstat(full)
            data = b""
            if stat.S_ISLNK(st.st_mode):
                data = os.readlink(full).encode()
            elif stat.S_ISREG(st.st_mode):
                with open(full, "rb") as f:
                    data = f.read()
            cpio_entry(out, rel, st, data)
        for name, major, minor in (("console", 5, 1), ("ttyS0", 4, 64),
                                   ("ttyS1", 4, 65), ("null", 1, 3)):
            cpio_entry(out, "dev/" + name, Node(stat.S_IFCHR | 0o600), rdev=(major, minor))
        cpio_entry(out, "TRAILER!!!", None)
    os.replace(tmp, path)


def write_image(root, path):
    """Write root as an ext2 image at path: the tree's size with headroom (half again
    plus 32 MiB) and an inode for every file with room for as many again.

    mke2fs -d copies the host owners: the build runs as root here (the tree's files
    are root's); -E root_owner sets the root directory's in any case."""
    size, files = 0, 0
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            size += os.lstat(os.path.join(dirpath, name)).st_size + 4096
            files += 1
    mib = (size * 3 // 2 >> 20) + 32
    tmp = f"{path}.tmp{os.getpid()}"
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-N", str(files * 2 + 1024),
                    "-E", "root_owner=0:0", "-L", "lumen-root", "-d", root, tmp, f"{mib}M"],
                   check=True, stdout=subprocess.DEVNULL)
    os.replace(tmp, path)
    return mib


def write_boot_cpio(init, path, work):
    """Write the initramfs: /init and the directories it mounts on (plus /dev nodes)."""
    tree = os.path.join(work, "boot")
    for d in ("dev", "proc", "sys", "newroot"):
        os.makedirs(os.path.join(tree, d), exist_ok=True)
    install_file(init, tree, "/init")
    write_cpio(tree, path)
    shutil.rmtree(tree)


def replace_dir(new, old):
    """Put directory new in the place of old (removing what was there)."""
    trash = f"{old}.old{os.getpid()}"
    if os.path.exists(old):
        os.rename(old, trash)
    os.rename(new, old)
    shutil.rmtree(trash, ignore_errors=True)


def main():
    """Parse arguments and build the rootfs + initramfs."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", required=True, help="package list file")
    ap.add_argument("--packages", default="", help="extra packages (PACKAGES=)")
    ap.add_argument("--cache", required=True, help="download cache directory")
    ap.add_argument("--root", required=True, help="rootfs directory to (re)create")
    ap.add_argument("--cpio", required=True, help="initramfs output path")
    ap.add_argument("--image", required=True, help="root disk image output path")
    ap.add_argument("--init", required=True, help="our static PID 1")
    ap.add_argument("--overlay", default="", help="host tree copied over the rootfs")
    ap.add_argument("tools", nargs="*", help="programs for /usr/local/bin")
    args = ap.parse_args()

    with open(args.list) as f:
        roots = [w for line in f for w in line.split("#")[0].split()]
    roots = sorted(set(roots + args.packages.split()))
    debs = os.path.join(args.cache, "debs")
    os.makedirs(debs, exist_ok=True)
    closure = cached_closure(roots, args.cache)
    log(f"{len(closure)} packages: {' '.join(closure)}")
    # Build in a private directory and swap it in at the end, so that two builds
    # running at once in the same tree do not pull files from under each other.
    tmp = f"{args.root}.tmp{os.getpid()}"
    unpack(download(closure, debs), tmp)
    busybox_links(tmp)
    add_own_files(tmp, args.init, args.tools)
    if args.overlay:
        copy_overlay(args.overlay, tmp)
    mib = write_image(tmp, args.image)
    write_boot_cpio(args.init, args.cpio, f"{tmp}.work")
    replace_dir(tmp, args.root)
    log(f"wrote {args.image} ({mib} MiB) and {args.cpio} "
        f"({os.path.getsize(args.cpio) // 1024} KiB)")


if __name__ == "__main__":
    sys.exit(main())
