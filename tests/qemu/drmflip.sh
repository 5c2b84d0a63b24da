# drmflip: PAGE_FLIP and flip-complete events read from the DRM fd (poll, epoll,
# blocking and non-blocking reads), the vblank ioctls and bad input, on virtio-gpu.
drmflip drmflip
