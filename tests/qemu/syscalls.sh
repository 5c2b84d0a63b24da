# Bad user pointers give EFAULT; unknown syscall numbers give ENOSYS.
efault; echo "efault status=$?"
enosys; echo "enosys status=$?"
# The initial stack and auxiliary vector of a static program.
AUXV_TEST=hello /usr/local/bin/auxv one "two words" ""; echo "auxv status=$?"
