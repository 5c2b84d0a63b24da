# drmleaseheads: mode leases on virtio-gpu with two scanouts (drmleaseheads.gpu:
# max_outputs=2): a lessee of one head sees nothing of the other (ENOENT, EACCES as
# an atomic CRTC_ID), CRTC masks renumbered over its CRTCs, a lease mixing the heads.
drmlease heads
