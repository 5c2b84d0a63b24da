# drmprime: PRIME export/import on virtio-gpu (drmprime.gpu) within a file, between
# files and between two processes over a UNIX socket, the dma-buf file, buffer
# lifetimes, GEM_FLINK/GEM_OPEN and bad input; then the connector's mode list, every
# field of the 26 modes Linux derives from QEMU's EDID.
drmprime
drmprime modes
