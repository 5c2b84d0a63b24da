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
Prints one line per figure: name, Lumen, Linux, ratio (Lumen / Linux).
"""
import argparse
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lumenqemu  # noqa: E402

RUNS = 3
FORK_ROUNDS = 200
PROBE_JOB = (b"grep -E '^(MemTotal|MemFree):' /proc/meminfo; "
             b"forkbench %d /usr/local/bin/nop; abibench" % FORK_ROUNDS)
ABI_LINE = re.compile(r"^abibench: (\S+) (\d+) (\S+)$", re.M)


class Null:
    """A console sink that drops everything (bench output stays readable)."""
    def write(self, data):
        pass

    def flush(self):
        pass


def boot(args, kernel, job):
    """Boot kernel's ISO with job; return the session, or None when the run failed."""
    iso = os.path.join(args.build, f"{kernel}.iso")
    opts = lumenqemu.options(["--iso", iso, "--kernel", kernel, "--build", args.build,
                              "--timeout", str(args.timeout)])
    status, session = lumenqemu.run(opts, job, Null())
    return session if status == 0 else None


def measure(args, kernel):
    """One run on one kernel: return {figure: value} for what could be measured."""
    figures = {}
    session = boot(args, kernel, b"true")
    if session:
        figures["init-line (s)"] = session.times.get("init")
        figures["boot-true (s)"] = session.times["qemu-exit"]
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
    names = ["init-line (s)", "boot-true (s)", "fork-exec (us)", "kernel-mem (KiB)"]
    names += sorted({n for runs in results.values() for r in runs for n in r} - set(names))
    print(f"{'figure':<24} {'Lumen':>10} {'Linux':>10} {'ratio':>7}")
    for name in names:
        lumen = median(r.get(name) for r in results["lumen"])
        linux = median(r.get(name) for r in results["linux"])
        ratio = f"{lumen / linux:.2f}" if lumen is not None and linux else "n/a"
        print(f"{name:<24} {show(name, lumen):>10} {show(name, linux):>10} {ratio:>7}")


if __name__ == "__main__":
    main()
