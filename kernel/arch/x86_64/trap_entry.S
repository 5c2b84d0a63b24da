/*
 * trap_entry.S — one 16-byte stub per IDT vector. Each pushes a zero error code
 * where the CPU pushes none, then the vector number, and joins trap_common, which
 * builds struct trap_frame (arch.h) and calls trap_handler(frame).
 *
 * GS convention: the kernel runs with GS base = its per-CPU block; a trap from ring 3
 * arrives with the user's GS base, so swapgs on the way in and out. NMI, #DF and #MC
 * can also hit the few kernel instructions around a swapgs, so they look at the GS
 * base itself instead of the saved cs (paranoid_common).
 */
#define MSR_GS_BASE 0xc0000101

#include "arch/x86_64/frame_macros.h"

	/* SMAP: a trap during a user-access window must not run with AC set. */
	.macro CLAC_IF_SMAP
	testb $1, smap_enabled(%rip)
	jz 9f
	clac
9:
	.endm
	.section .text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	/* vectors where the CPU pushes an error code */
	.if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	.if (vec == 2) || (vec == 8) || (vec == 18)
	jmp paranoid_common
	.else
	jmp trap_common
	.endif
	.set vec, vec + 1
	.endr

trap_common:
	testb $3, 24(%rsp)		/* saved cs: from user mode? */
	jz 1f
	swapgs
1:	PUSH_REGS
	CLAC_IF_SMAP
	cld
	movq %rsp, %rdi
	call trap_handler

/*
 * trap_exit: returns through the trap frame at %rsp (to user mode when its cs says
 * so). A new task may start here with a frame built on its kernel stack.
 */
	.globl trap_exit
trap_exit:
	POP_REGS
	testb $3, 24(%rsp)
	jz 2f
	swapgs
2:	addq $16, %rsp			/* vector and error code */
	iretq

/* NMI, #DF, #MC (on IST stacks): swapgs only when the GS base is not the kernel's. */
paranoid_common:
	PUSH_REGS
	CLAC_IF_SMAP
	cld
	movl $MSR_GS_BASE, %ecx
	rdmsr
	xorl %ebx, %ebx			/* rbx survives the call: 1 = swapped */
	testl %edx, %edx
	js 1f				/* kernel half: already the per-CPU block */
	swapgs
	movl $1, %ebx
1:	movq %rsp, %rdi
	call trap_handler
	testl %ebx, %ebx
	jz 2f
	swapgs
2:	POP_REGS
	addq $16, %rsp
	iretq
