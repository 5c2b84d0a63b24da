/*
 * elf.h — the pure ELF and `#!` parsing behind execve (kernel/proc/elf.c).
 */
#ifndef LUMEN_PROC_ELF_H
#define LUMEN_PROC_ELF_H

#include "lib/lib.h"
#include <linux/elf.h>

#define ELF_PAGE_SIZE 4096UL
#define ELF_USER_END 0x00007ffffffff000UL	/* top of the user stack */
#define ELF_MAX_PHNUM (65536 / sizeof(Elf64_Phdr))
#define ELF_MAX_INTERP 4096

/* What execve needs to know of an image's program headers. */
struct elf_layout {
	uint64_t lo, hi;		/* page-aligned span of the PT_LOADs */
	uint64_t phdr_vaddr;		/* program headers in memory, unrelocated; 0 = unknown */
	bool has_interp;
	uint64_t interp_offset, interp_size;
	bool exec_stack;
};

int elf_check_header(const Elf64_Ehdr *eh, uint64_t file_size);
int elf_scan(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, struct elf_layout *out);
uint32_t elf_prot(uint32_t p_flags);
int shebang_parse(char *buf, size_t len, char **interp, char **arg);

#endif
