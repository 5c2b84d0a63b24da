# AF_UNIX sockets: every call of the socket family, its data paths and its bad input.
unix; echo "unix status=$?"
