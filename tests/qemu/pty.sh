# Pseudo-terminals: /dev/ptmx and devpts, the slave's line discipline and job
# control, hang-ups both ways, and an interactive busybox sh driven through a master.
/usr/local/bin/pty; echo "pty status=$?"
