/*
 * elf.c — pure checks of ELF64 headers and `#!` lines for execve; no kernel state,
 * so the host unit tests (tests/unit/test_elf.c) run it as is.
 */
#include "proc/elf.h"

/* Returns 0 when eh is an ELF64 little-endian x86_64 executable or shared object
 * whose program headers lie within file_size bytes, else -ENOEXEC. */
int elf_check_header(const Elf64_Ehdr *eh, uint64_t file_size)
{
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return -ENOEXEC;
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh->e_ident[EI_VERSION] != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_machine != EM_X86_64 || (eh->e_type != ET_EXEC && eh->e_type != ET_DYN))
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_PHNUM)
		return -ENOEXEC;
	if (eh->e_phoff > file_size ||
	    file_size - eh->e_phoff < (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr))
		return -ENOEXEC;
	return 0;
}

/* Checks one PT_LOAD: sizes, page congruence, and that it fits the user half. */
static int elf_check_load(const Elf64_Phdr *ph)
{
	if (ph->p_filesz > ph->p_memsz)
		return -ENOEXEC;
	if ((ph->p_vaddr & (ELF_PAGE_SIZE - 1)) != (ph->p_offset & (ELF_PAGE_SIZE - 1)))
		return -ENOEXEC;
	if (ph->p_vaddr >= ELF_USER_END || ph->p_memsz > ELF_USER_END - ph->p_vaddr)
		return -ENOEXEC;
	if (ph->p_offset + ph->p_filesz < ph->p_offset)
		return -ENOEXEC;
	return 0;
}

/*
 * Scans the program headers: the page-aligned span of the PT_LOADs, the
 * interpreter's name location, the stack's executability and where the program
 * headers are in memory (unrelocated). Returns 0 or -ENOEXEC.
 */
int elf_scan(const Elf64_Ehdr *eh, const Elf64_Phdr *ph, struct elf_layout *out)
{
	bool have_load = false;

	memset(out, 0, sizeof(*out));
	out->exec_stack = false;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *p = &ph[i];

		if (p->p_type == PT_INTERP) {
			if (out->has_interp || p->p_filesz < 2 || p->p_filesz > ELF_MAX_INTERP)
				return -ENOEXEC;
			out->has_interp = true;
			out->interp_offset = p->p_offset;
			out->interp_size = p->p_filesz;
		} else if (p->p_type == PT_GNU_STACK) {
			out->exec_stack = (p->p_flags & PF_X) != 0;
		} else if (p->p_type == PT_PHDR) {
			out->phdr_vaddr = p->p_vaddr;
		} else if (p->p_type == PT_LOAD) {
			uint64_t lo = p->p_vaddr & ~(ELF_PAGE_SIZE - 1);
			uint64_t hi = (p->p_vaddr + p->p_memsz + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);

			if (elf_check_load(p))
				return -ENOEXEC;
			if (!have_load || lo < out->lo)
				out->lo = lo;
			if (!have_load || hi > out->hi)
				out->hi = hi;
			if (!out->phdr_vaddr && eh->e_phoff >= p->p_offset &&
			    eh->e_phoff - p->p_offset < p->p_filesz)
				out->phdr_vaddr = p->p_vaddr + (eh->e_phoff - p->p_offset);
			have_load = true;
		}
	}
	if (!have_load)
		return -ENOEXEC;
	if (eh->e_type == ET_EXEC && out->lo == 0)
		return -ENOEXEC;
	return 0;
}

/* VM_* protection bits (same values as PROT_*) of a segment's PF_* flags. */
uint32_t elf_prot(uint32_t p_flags)
{
	return ((p_flags & PF_R) ? 1 : 0) | ((p_flags & PF_W) ? 2 : 0) | ((p_flags & PF_X) ? 4 : 0);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Parses a `#!` line in buf (len bytes, NUL-terminated in place): *interp gets the
 * interpreter path, *arg the optional single argument (everything after the path,
 * trimmed, like Linux) or NULL. Returns 0, -ENOEXEC when buf is not a script or
 * names no interpreter.
 */
int shebang_parse(char *buf, size_t len, char **interp, char **arg)
{
	char *p, *end;

	if (len < 2 || buf[0] != '#' || buf[1] != '!')
		return -ENOEXEC;
	for (end = buf; end < buf + len && *end != '\n' && *end; end++)
		;
	*end = '\0';
	while (end > buf + 2 && is_blank(end[-1]))
		*--end = '\0';
	for (p = buf + 2; is_blank(*p); p++)
		;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && !is_blank(*p))
		p++;
	*arg = NULL;
	if (!*p)
		return 0;
	*p++ = '\0';
	while (is_blank(*p))
		p++;
	if (*p)
		*arg = p;
	return 0;
}
