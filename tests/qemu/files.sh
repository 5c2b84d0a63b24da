# File system and device system calls, checked call by call against Linux:
# fsapi (open/mkdir/rename/link/stat/fcntl/pipes/poll/mount/proc/*at, ~210 checks) and
# devices (tty ioctls and job control, /dev/kmsg, syslog, null/zero/full/urandom, ~90)
# and locks (fcntl record locks, OFD locks, flock: conflicts, waits, release; ~110).
fsapi; echo "fsapi status=$?"
devices; echo "devices status=$?"
locks; echo "locks status=$?"
