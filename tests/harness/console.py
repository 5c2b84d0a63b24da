"""Drive an interactive boot (init's INTERACTIVE mode: busybox sh on the console)
through a script of console steps, and return what the console showed.

A script (tests/qemu/NAME.tty) has one step per line; blank lines and # comments are
skipped; TEXT takes Python escapes (\\r, \\x03 for Ctrl-C):
    expect TEXT    wait until TEXT appears on the console after the previous match
    send TEXT      type TEXT on the console (one byte every 10 ms, as a person would)
    wait SECONDS   let the guest run for a while
The transcript starts after the first `expect` (the first prompt, so that the boot
messages of the two kernels stay out of it) and ends when QEMU powers off. Kernel log
lines ("[    1.234] ...") are left out of it, \\r\\n becomes \\n.

Status: 0 when the script ran and the guest powered off by itself within 10 s after
its last step; 240 kernel panic; 241 when an expected text did not come in time
(or no power off); 242 when QEMU died before the script ended.
"""
import codecs
import re
import time

import lumenqemu

CURSOR_QUERY = b"\x1b[6n"      # busybox's line editor asks where the cursor is
CURSOR_REPLY = b"\x1b[1;1R"    # always answer: row 1, column 1
KERNEL_LINE = re.compile(rb"^\[ *\d+\.\d+\][^\n]*\n", re.M)


def parse(text):
    """Return the steps of a script as (kind, bytes or float) tuples."""
    steps = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, _, arg = line.partition(" ")
        if kind in ("expect", "send"):
            steps.append((kind, codecs.decode(arg, "unicode_escape").encode("latin-1")))
        elif kind == "wait":
            steps.append((kind, float(arg)))
        else:
            raise ValueError(f"line {n}: unknown step {kind!r}")
    return steps


class ConsoleSession(lumenqemu.Session):
    """A Session without a job whose main loop runs the console steps."""

    def __init__(self, opts, steps, console):
        super().__init__(opts, None, console)
        self.steps = steps
        self.screen = b""         # everything the console showed
        self.pos = 0              # where the next expect starts searching
        self.start_at = None      # transcript start (end of the first expect)
        self.failed = None        # status when the script did not finish

    def on_console(self, data):
        """Keep the screen; answer cursor position queries."""
        super().on_console(data)
        self.screen += data
        if CURSOR_QUERY in data and self.con:
            for _ in range(data.count(CURSOR_QUERY)):
                self.con.sendall(CURSOR_REPLY)

    def alive(self, deadline):
        """Pump once; False when QEMU is gone, panicked or the deadline passed."""
        if self.panic_at is not None or self.proc.poll() is not None:
            return False
        if time.monotonic() > deadline:
            self.timed_out = True
            return False
        self.pump(0.05)
        return True

    def expect(self, text, deadline):
        """Wait for text after the previous match; True when it came."""
        while True:
            i = self.screen.find(text, self.pos)
            if i >= 0:
                self.pos = i + len(text)
                if self.start_at is None:
                    self.start_at = self.pos
                return True
            if not self.alive(deadline):
                return False

    def run_step(self, kind, arg, deadline):
        """Run one step; False when the session cannot go on."""
        if kind == "expect":
            return self.expect(arg, deadline)
        if kind == "send":
            for byte in arg:
                self.con.sendall(bytes([byte]))
                end = time.monotonic() + 0.01
                while time.monotonic() < end and self.alive(deadline):
                    pass
            return True
        end = time.monotonic() + arg
        while time.monotonic() < end:
            if not self.alive(deadline):
                return False
        return True

    def loop(self):
        """Run the steps, then wait for the guest to power off (10 s at most)."""
        deadline = time.monotonic() + self.opts.timeout
        for kind, arg in self.steps:
            if not self.run_step(kind, arg, deadline):
                self.failed = lumenqemu.TIMEOUT if self.timed_out else lumenqemu.DIED
                break
        end = time.monotonic() + 10
        while self.failed is None and self.proc.poll() is None and time.monotonic() < end:
            self.pump(0.1)
        if self.proc.poll() is None:
            if self.failed is None:
                lumenqemu.warn("the guest did not power off within 10 s after the script")
                self.failed = lumenqemu.TIMEOUT
            self.proc.kill()
        self.proc.wait()
        self.drain()

    def verdict(self):
        """0, or why the script did not run to a power off."""
        if self.panic_at is not None:
            lumenqemu.warn(f"kernel panic ({self.opts.kernel})")
            return lumenqemu.PANIC
        if self.failed is not None:
            lumenqemu.warn(f"console script stopped: {self.screen[self.pos:][-200:]!r}")
            return self.failed
        return 0

    def transcript(self):
        """The console from the first prompt on, without kernel log lines."""
        text = self.screen[self.start_at or len(self.screen):].replace(b"\r\n", b"\n")
        return KERNEL_LINE.sub(b"", text)


def run(opts, script, console):
    """Boot opts.iso interactively and run script (text); return (status, transcript)."""
    session = ConsoleSession(opts, parse(script), console)
    status = session.run()
    return status, session.transcript()
