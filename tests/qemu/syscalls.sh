# Bad user pointers give EFAULT; unknown syscall numbers give ENOSYS.
efault; echo "efault status=$?"
enosys; echo "enosys status=$?"
