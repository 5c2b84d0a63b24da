/*
 * boot.S — from GRUB's multiboot2 hand-off (32-bit protected mode, paging off) to
 * kernel_main() in 64-bit long mode at -2 GiB.
 *
 * The early page tables map the first 1 GiB of physical memory three times with
 * 2 MiB pages: at 0 (identity, so the jump into long mode survives), at the direct
 * map base 0xffff800000000000 and at the kernel base 0xffffffff80000000.
 * mm_init() replaces them with the real tables.
 */
#define KERNEL_VMA 0xffffffff80000000
#define MB2_MAGIC 0xe85250d6

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long 0					/* i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + 0 + (mb2_header_end - mb2_header))
	/* framebuffer request: 1024x768x32, optional (flags=1) */
	.balign 8
	.short 5
	.short 1
	.long 20
	.long 1024
	.long 768
	.long 32
	/* end tag */
	.balign 8
	.short 0
	.short 0
	.long 8
mb2_header_end:

	.section .boot.data, "aw"
	.balign 4096
boot_pml4:	.fill 512, 8, 0
boot_pdpt_low:	.fill 512, 8, 0
boot_pdpt_high:	.fill 512, 8, 0
boot_pd:	.fill 512, 8, 0
boot_stack_bottom:
	.fill 4096, 1, 0
boot_stack_top:
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff		/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff		/* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
	.short boot_gdt_end - boot_gdt - 1
	.long boot_gdt
boot_magic:	.long 0
boot_info:	.long 0

	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	mov $boot_stack_top, %esp
	mov %eax, boot_magic
	mov %ebx, boot_info

	/* PD: 512 x 2 MiB pages covering 0..1 GiB, present | writable | huge */
	mov $boot_pd, %edi
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax
	mov %eax, (%edi, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	mov $boot_pd, %eax
	or $0x3, %eax
	mov %eax, boot_pdpt_low		/* pdpt_low[0]   -> 0..1 GiB */
	mov %eax, boot_pdpt_high + 510*8	/* pdpt_high[510] -> -2 GiB */

	mov $boot_pdpt_low, %eax
	or $0x3, %eax
	mov %eax, boot_pml4			/* pml4[0]   identity */
	mov %eax, boot_pml4 + 256*8		/* pml4[256] direct map */
	mov $boot_pdpt_high, %eax
	or $0x3, %eax
	mov %eax, boot_pml4 + 511*8		/* pml4[511] kernel */

	mov %cr4, %eax
	or $(1 << 5), %eax			/* PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3

	mov $0xC0000080, %ecx			/* EFER: long mode + NX */
	rdmsr
	or $((1 << 8) | (1 << 11)), %eax
	wrmsr

	mov %cr0, %eax
	or $((1 << 31) | (1 << 16) | 1), %eax	/* paging, write-protect, protected mode */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode_entry

	.code64
long_mode_entry:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %ax, %ax
	mov %ax, %fs
	mov %ax, %gs

	movabs $kernel_stack_top, %rsp
	xor %rbp, %rbp
	mov boot_magic, %edi
	mov boot_info, %esi
	movabs $kernel_main, %rax
	call *%rax
2:	cli
	hlt
	jmp 2b

	.section .bss
	.balign 16
	.globl kernel_stack_bottom, kernel_stack_top
kernel_stack_bottom:
	.skip 16384
kernel_stack_top:
