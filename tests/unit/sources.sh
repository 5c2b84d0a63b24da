#!/bin/sh
# Prints the kernel sources a unit test names on its first line ("// sources: ...").
sed -n '1s|^// sources:||p' "$1"
