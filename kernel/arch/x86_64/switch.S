/*
 * switch.S — the kernel-stack switch between tasks and the first entry of a task.
 *
 * context_switch(uint64_t *old_rsp, uint64_t new_rsp) saves the callee-saved
 * registers on the current stack, stores rsp in *old_rsp, loads new_rsp and pops the
 * next task's registers; its `ret` resumes the next task where it last switched
 * away, or at task_first_entry for a new task. The C side (sched.c) has already
 * switched the address space, TSS stack, FPU and TLS bases.
 */
	.section .text
	.globl context_switch
context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/*
 * task_first_entry: where a new task's first switch returns to (task_prepare_stack
 * in sched.c put it there): finish the switch, then call r12(r13), which must not
 * return.
 */
	.globl task_first_entry
task_first_entry:
	call sched_finish_switch
	movq %r13, %rdi
	call *%r12
	ud2

/*
 * user_return_iret(struct trap_frame *frame): leaves for user mode through the
 * frame with IRET (trap_exit in trap_entry.S pops it and does the swapgs).
 */
	.globl user_return_iret
user_return_iret:
	cli
	movq %rdi, %rsp
	jmp trap_exit
