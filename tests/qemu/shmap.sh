# shmap: shared file mappings of /dev/shm and of a tmpfs mounted for the job, seen
# by separately mapping processes and by read/write; truncation and SIGBUS; msync,
# mincore, MAP_FIXED, fork, mprotect, munmap and mremap of shared mappings.
mkdir -p /mnt/t
mount -t tmpfs none /mnt/t; echo "mount: $?"
shmap /mnt/t; echo "shmap status=$?"
umount /mnt/t; echo "umount: $?"
