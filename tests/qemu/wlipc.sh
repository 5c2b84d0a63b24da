# Wayland-shaped IPC: memfd_create and sealing checked call by call (memfd), then a
# server and a forked client passing sealed memfd-backed shared memory over AF_UNIX
# with SCM_RIGHTS and SCM_CREDENTIALS, driven by epoll, timerfd, eventfd (a render
# thread) and signalfd (wlipc).
memfd; echo "memfd status=$?"
wlipc; echo "wlipc status=$?"
