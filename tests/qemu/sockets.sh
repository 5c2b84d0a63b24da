# Sockets: every AF_UNIX call, its data paths and its bad input; NETLINK_KOBJECT_UEVENT
# sockets as device monitors open them.
unix; echo "unix status=$?"
netlink; echo "netlink status=$?"
