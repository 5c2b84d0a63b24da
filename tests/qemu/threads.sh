# pthreads: clone3, robust mutexes, 16 x 100,000 mutex handoffs, condition
# variables, cancellation, signals to chosen threads, exit vs exit_group, fork from
# a threaded process, 1000 threads, affinity, futex timeouts (threads.c).
/usr/local/bin/threads; echo "threads status=$?"
