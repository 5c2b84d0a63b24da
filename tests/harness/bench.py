#!/usr/bin/env python3
"""make bench: Lumen vs Linux on the same rootfs and the same QEMU, in the same run.

Figures (median of 3 runs each):
  init-line   QEMU start -> console line "lumen-init: started" (PID 1's first output)
  boot-true   QEMU start -> QEMU exited after the job `true` (make boot CMD=true)
  fork-exec   fork + execve + wait of a static binary, per call (tests/guest/forkbench.c)
  kernel-mem  MemTotal - MemFree from /proc/meminfo right after boot, KiB
  abi-*       Linux-ABI micro-benchmarks (tests/guest/abibench.c): getpid round trip,
              pipe ping-pong, AF_UNIX 64 KiB throughput, futex wake-up, mmap + touch +
              munmap of 64 MiB, pthread create + join, fork + exec + exit of bash
  hello       QEMU start -> init's hello on the control channel (root mounted, moved
              into), with build/root.img and with hello-big-root's copy of it
              carrying 300 MiB more (the boot time must not grow with the root)
  abi-seqread-cold/-warm, abi-untar-10k, abi-fsync-4k   storage (abibench storage):
              a 100 MiB file read sequentially, first (cold: fresh boot) and second
              time, busybox tar of 10,000 small files plus sync, 4 KiB write + fsync;
              on an ext2 data disk (read-only, vdc) and a fresh ext2 work disk (vdb)
  drm-*       DRM on virtio-gpu (tests/guest/drmbench.c), per second: page flips with
              flip-complete events, full-screen dumb-buffer fill + flip at the preferred
              mode, CREATE_DUMB + MAP_DUMB + mmap + munmap + DESTROY_DUMB round trips
              (higher is better; Lumen paces flips at the mode's refresh rate, Linux's
              virtio_gpu completes them when the host is done)
  drm-vkms-*  DRM on vkms (a boot with no GPU and lumen.vkms=1: Lumen's vkms, Linux's
              vkms module; drmbench vkms): page flips a second with flip-complete
              events, the vblank rate those events' sequence numbers and times show
              (Hz), and lost events, the consecutive events whose sequence did not step
              by exactly 1 (virtio-gpu has no vblank counter: its events carry 0)
Prints one line per figure: name, Lumen, Linux, ratio (Lumen / Linux).
"""
import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lumenqemu  # noqa: E402

RUNS = 3
FORK_ROUNDS = 200
PROBE_JOB = (b"grep -E '^(MemTotal|MemFree):' /proc/meminfo; "
             b"forkbench %d /usr/local/bin/nop; abibench; drmbench" % FORK_ROUNDS)
ABI_LINE = re.compile(r"^abibench: (\S+) (\d+) (\S+)$", re.M)
VKMS_JOB = b"drmbench vkms"
VKMS_OPTS = ["--gpu", "none", "--cmdline", "lumen.vkms=1"]
DRM_LINE = re.compile(r"^drmbench: (\S+) (\d+) (\S+)$", re.M)


class Null:
    """A console sink that drops everything (bench output stays readable)."""
    def write(self, data):
        pass

    def flush(self):
        pass


STORAGE_JOB = (b"mkdir -p /mnt/d /mnt/w && mount -t ext2 -o ro /dev/vdc /mnt/d && "
               b"mount -t ext2 /dev/vdb /mnt/w && abibench storage /mnt/d /mnt/w")
MIB = 1 << 20
STORAGE_TIMEOUT = 1200  # seconds; generous: an untar under TCG took minutes before ext2 had caches


def bench_dir(args):
    """build/bench, where the storage images live."""
    path = os.path.join(args.build, "bench")
    os.makedirs(path, exist_ok=True)
    return path


def random_file(path, size):
    """Write size bytes of random data to path (1 MiB at a time)."""
    with open(path, "wb") as f:
        for _ in range(size // MIB):
            f.write(os.urandom(MIB))


def small_files_tar(path, count=10000):
    """A tar of count small files (50..2049 bytes) in 100 directories."""
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for i in range(count):
            data = (b"%d " % i) * (50 + i * 37 % 2000 // 4)
            info = tarfile.TarInfo(f"d{i % 100}/file-{i}")
            info.size, info.mtime = len(data), 1700000000
            tar.addfile(info, io.BytesIO(data))


def data_image(args):
    """build/bench/data.img (made once): ext2 with big (100 MiB) and files.tar."""
    image = os.path.join(bench_dir(args), "data.img")
    if os.path.exists(image):
        return image
    tree = os.path.join(bench_dir(args), "tree")
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(tree)
    random_file(os.path.join(tree, "big"), 100 * MIB)
    small_files_tar(os.path.join(tree, "files.tar"))
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", "-d", tree,
                    image + ".tmp", "300M"], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(tree)
    os.replace(image + ".tmp", image)
    return image


def work_image(args):
    """A fresh, empty 256 MiB ext2 image for one run."""
    image = os.path.join(bench_dir(args), "work.img")
    if os.path.exists(image):
        os.unlink(image)
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext2", "-b", "4096", image, "256M"],
                   check=True, stdout=subprocess.DEVNULL)
    return image


def big_root(args):
    """build/bench/root-big.img: build/root.img with a 300 MiB file added (made again
    when root.img is newer)."""
    root = os.path.join(args.build, "root.img")
    image = os.path.join(bench_dir(args), "root-big.img")
    if os.path.exists(image) and os.path.getmtime(image) >= os.path.getmtime(root):
        return image
    pad = os.path.join(bench_dir(args), "pad")
    subprocess.run(["cp", "--sparse=always", root, image + ".tmp"], check=True)
    subprocess.run(["truncate", "-s", "+400M", image + ".tmp"], check=True)
    subprocess.run(["resize2fs", "-f", image + ".tmp"], check=True, capture_output=True)
    random_file(pad, 300 * MIB)
    subprocess.run(["debugfs", "-w", "-R", f"write {pad} pad-300M", image + ".tmp"],
                   check=True, capture_output=True)
    os.unlink(pad)
    os.replace(image + ".tmp", image)
    return image


def boot(args, kernel, job, extra=()):
    """Boot kernel's ISO with job (and extra runner options); return the session, or
    None when the run failed."""
    iso = os.path.join(args.build, f"{kernel}.iso")
    opts = lumenqemu.options(["--iso", iso, "--kernel", kernel, "--build", args.build,
                              "--timeout", str(args.timeout)] + list(extra))
    status, session = lumenqemu.run(opts, job, Null())
    return session if status == 0 else None


def measure(args, kernel):
    """One run on one kernel: return {figure: value} for what could be measured."""
    figures = {}
    session = boot(args, kernel, b"true")
    if session:
        figures["init-line (s)"] = session.times.get("init")
        figures["boot-true (s)"] = session.times["qemu-exit"]
        figures["hello (s)"] = session.times.get("hello")
    session = boot(args, kernel, b"true", ["--root", big_root(args)])
    if session:
        figures["hello-big-root (s)"] = session.times.get("hello")
    session = boot(args, kernel, STORAGE_JOB,
                   ["--disk", work_image(args), "--disk-ro", data_image(args),
                    "--timeout", str(max(args.timeout, STORAGE_TIMEOUT))])
    if session:
        for name, value, unit in ABI_LINE.findall(session.out.decode(errors="replace")):
            figures[f"abi-{name} ({unit})"] = int(value)
    session = boot(args, kernel, PROBE_JOB)
    if session:
        text = session.out.decode(errors="replace")
        mem = dict(re.findall(r"^(\w+):\s+(\d+) kB", text, re.M))
        fork = re.search(r"(\d+) us per call", text)
        if "MemTotal" in mem and "MemFree" in mem:
            figures["kernel-mem (KiB)"] = int(mem["MemTotal"]) - int(mem["MemFree"])
        if fork:
            figures["fork-exec (us)"] = int(fork.group(1))
        for name, value, unit in ABI_LINE.findall(text):
            figures[f"abi-{name} ({unit})"] = int(value)
        for name, value, unit in DRM_LINE.findall(text):
            figures[f"drm-{name} ({unit})"] = int(value)
    session = boot(args, kernel, VKMS_JOB, VKMS_OPTS)
    if session:
        for name, value, unit in DRM_LINE.findall(session.out.decode(errors="replace")):
            figures[f"drm-{name} ({unit})"] = int(value)
    return figures


def median(values):
    """Median of the measured values, or None when there are none."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def show(name, value):
    """Format a figure for the table: seconds with two decimals, the rest whole."""
    if value is None:
        return "n/a"
    return f"{value:.2f}" if "(s)" in name else str(round(value))


def main():
    """Measure both kernels RUNS times, interleaved, and print the medians."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    kernels = [k for k in ("lumen", "linux")
               if os.path.exists(os.path.join(args.build, f"{k}.iso"))]
    results = {k: [] for k in ("lumen", "linux")}
    for run in range(1, RUNS + 1):
        for kernel in kernels:
            print(f"bench: run {run}/{RUNS} on {kernel}", file=sys.stderr, flush=True)
            results[kernel].append(measure(args, kernel))
    names = ["init-line (s)", "boot-true (s)", "hello (s)", "hello-big-root (s)",
             "fork-exec (us)", "kernel-mem (KiB)"]
    names += sorted({n for runs in results.values() for r in runs for n in r} - set(names))
    print(f"{'figure':<24} {'Lumen':>10} {'Linux':>10} {'ratio':>7}")
    for name in names:
        lumen = median(r.get(name) for r in results["lumen"])
        linux = median(r.get(name) for r in results["linux"])
        ratio = f"{lumen / linux:.2f}" if lumen is not None and linux else "n/a"
        print(f"{name:<24} {show(name, lumen):>10} {show(name, linux):>10} {ratio:>7}")


if __name__ == "__main__":
    main()
