/*
 * syscall_entry.S — the SYSCALL instruction's entry point (MSR_LSTAR).
 *
 * The CPU arrives here in ring 0 with the user's rsp, rip in rcx, rflags in r11,
 * interrupts off (SFMASK). We swap to the kernel GS, move to the task's kernel stack
 * (gs:8), build a struct trap_frame exactly where an interrupt from user mode would
 * (vector = TRAP_SYSCALL, error = the original rax for restarts) and call
 * syscall_handle(frame). It returns nonzero when SYSRET may be used; otherwise the
 * frame changed (signal, execve, sigreturn) or is unsafe for SYSRET and we IRET.
 */
#define TRAP_SYSCALL 0x100
#define USER_DS 0x1b
#define USER_CS 0x23

#include "arch/x86_64/frame_macros.h"

	.section .text
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:16
	movq %gs:8, %rsp
	pushq $USER_DS			/* ss */
	pushq %gs:16			/* rsp */
	pushq %r11			/* rflags */
	pushq $USER_CS			/* cs */
	pushq %rcx			/* rip */
	pushq %rax			/* error: the original syscall number */
	pushq $TRAP_SYSCALL		/* vector */
	PUSH_REGS
	cld
	sti
	movq %rsp, %rdi
	call syscall_handle
	cli
	testq %rax, %rax
	jz syscall_exit_iret
	POP_REGS
	movq 16(%rsp), %rcx		/* rip */
	movq 32(%rsp), %r11		/* rflags */
	movq 40(%rsp), %rsp		/* user rsp */
	swapgs
	sysretq

syscall_exit_iret:
	jmp trap_exit
