# /proc files of processes and threads, /proc/sys/kernel (procfs.c), and clocks,
# sleeps, interval timers, times and getrusage (clocks.c).
/usr/local/bin/procfs one two; echo "procfs status=$?"
/usr/local/bin/clocks; echo "clocks status=$?"
