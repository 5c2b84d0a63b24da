/*
 * syscall.h — the syscall layer's interface. Each family file under kernel/sys/
 * defines `long sys_<linux name>(...)` with the real argument types; the dispatcher
 * calls it with the six argument registers.
 */
#ifndef LUMEN_SYSCALL_H
#define LUMEN_SYSCALL_H

#include "lib/lib.h"
#include "arch/x86_64/arch.h"

typedef long (*syscall_fn)(unsigned long, unsigned long, unsigned long,
			   unsigned long, unsigned long, unsigned long);

/* Runs the syscall in f->rax with f's argument registers; returns its result. */
long syscall_dispatch(struct trap_frame *f);
/* Linux's name for a syscall number, or NULL. */
const char *syscall_name(uint64_t nr);

#endif
