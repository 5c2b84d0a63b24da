# Sockets: every AF_UNIX call, its data paths and its bad input; its ioctls, timeouts,
# sendmmsg/recvmmsg, datagram write wake-ups and garbage collection of sockets in
# flight; NETLINK_KOBJECT_UEVENT sockets as device monitors open them.
unix; echo "unix status=$?"
unixio; echo "unixio status=$?"
netlink; echo "netlink status=$?"
