/*
 * uaccess_asm.S — the instructions that touch user memory. Each has an entry in
 * __ex_table: when it faults and the page-fault code cannot resolve the fault, the
 * #PF handler resumes at the fix-up, which reports how far the copy got. Callers
 * (uaccess.c) check the range and open the SMAP window first.
 */

/* size_t uaccess_copy(void *dst, const void *src, size_t n): bytes NOT copied. */
	.text
	.globl uaccess_copy
uaccess_copy:
	mov %rdx, %rcx
1:	rep movsb
	mov %rcx, %rax
	ret
2:	mov %rcx, %rax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad 1b, 2b
	.text

/* size_t uaccess_clear(void *dst, size_t n): bytes NOT cleared. */
	.globl uaccess_clear
uaccess_clear:
	mov %rsi, %rcx
	xor %eax, %eax
3:	rep stosb
	mov %rcx, %rax
	ret
4:	mov %rcx, %rax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad 3b, 4b
	.text

/*
 * long uaccess_strncpy(char *dst, const char *src, size_t max): copies bytes up to
 * and including a NUL, at most max. Returns the string's length, max when no NUL
 * was found, or -EFAULT (-14) when reading faulted.
 */
	.globl uaccess_strncpy
uaccess_strncpy:
	xor %eax, %eax
5:	cmp %rdx, %rax
	jae 7f
6:	movb (%rsi, %rax), %cl
	movb %cl, (%rdi, %rax)
	test %cl, %cl
	jz 7f
	inc %rax
	jmp 5b
7:	ret
8:	mov $-14, %rax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad 6b, 8b
	.text

/*
 * int uaccess_cmpxchg32(uint32_t *uaddr, uint32_t old, uint32_t new, uint32_t *cur):
 * atomically replaces *uaddr by new when it holds old; *cur gets the value found.
 * Returns 0, or -EFAULT (-14) when the access faulted.
 */
	.globl uaccess_cmpxchg32
uaccess_cmpxchg32:
	mov %esi, %eax
9:	lock cmpxchgl %edx, (%rdi)
	mov %eax, (%rcx)
	xor %eax, %eax
	ret
10:	mov $-14, %rax
	ret
	.section __ex_table, "a"
	.balign 8
	.quad 9b, 10b
	.text
