# CPU exceptions in user mode become Linux's signals (traps), and the memory calls
# mmap/mprotect/madvise/mremap/msync/mincore/brk with the faults they cause (mm), and
# the AVX state kept across signals, processes and threads (avx).
traps; echo "traps status=$?"
mm; echo "mm status=$?"
avx; echo "avx status=$?"
