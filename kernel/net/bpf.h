/*
 * bpf.h — classic BPF programs (SO_ATTACH_FILTER): the checks and the interpreter,
 * pure code shared by the socket families and the host unit tests.
 */
#ifndef LUMEN_NET_BPF_H
#define LUMEN_NET_BPF_H

#include "lib/lib.h"
#include <linux/filter.h>

/* 0 when the program passes Linux's checks (bpf_check_classic), -EINVAL otherwise. */
int bpf_check(const struct sock_filter *prog, unsigned len);
/* Runs a checked program over a packet: the bytes to keep (0: drop it). */
uint32_t bpf_run(const struct sock_filter *prog, unsigned len, const void *packet, size_t size);

#endif
