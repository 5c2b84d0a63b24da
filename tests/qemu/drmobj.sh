# drmobj: GETFB/GETFB2 (handles for the master, other files, non-root processes) and
# the CRTC gamma ioctls on virtio-gpu (drmobj.gpu), with bad input.
drmobj
