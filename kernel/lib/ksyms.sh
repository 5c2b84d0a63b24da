#!/bin/sh
# Turns `nm -n` output (on stdin when $1 is "-") into an assembly file holding the
# kernel's function table: sorted addresses and NUL-separated names. ksyms.c reads it.
echo '.section .rodata'
echo '.balign 8'
echo '.globl ksyms_addrs, ksyms_names, ksyms_count'
if [ "$1" = "-" ]; then
	awk '$2 ~ /^[tTW]$/ && $1 ~ /^ffffffff8/ { print $1, $3 }' > /tmp/ksyms.$$
else
	: > /tmp/ksyms.$$
fi
echo 'ksyms_addrs:'
awk '{ print "\t.quad 0x" $1 }' /tmp/ksyms.$$
echo 'ksyms_count:'
echo "	.quad $(wc -l < /tmp/ksyms.$$)"
echo 'ksyms_names:'
awk '{ print "\t.asciz \"" $2 "\"" }' /tmp/ksyms.$$
rm -f /tmp/ksyms.$$
