// sources: kernel/proc/elf.c
/* Tests of execve's pure ELF header checks, PT_LOAD scan and `#!` parsing. */
#include "unit.h"
#include "proc/elf.h"

/* A minimal valid static executable: one RX and one RW segment, PT_GNU_STACK. */
struct image {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[4];
};

static void image_init(struct image *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->eh.e_ident, ELFMAG, SELFMAG);
	im->eh.e_ident[EI_CLASS] = ELFCLASS64;
	im->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	im->eh.e_ident[EI_VERSION] = EV_CURRENT;
	im->eh.e_type = ET_EXEC;
	im->eh.e_machine = EM_X86_64;
	im->eh.e_entry = 0x401000;
	im->eh.e_phoff = sizeof(Elf64_Ehdr);
	im->eh.e_phentsize = sizeof(Elf64_Phdr);
	im->eh.e_phnum = 3;
	im->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
		.p_vaddr = 0x400000, .p_filesz = 0x2000, .p_memsz = 0x2000 };
	im->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x2100,
		.p_vaddr = 0x403100, .p_filesz = 0x100, .p_memsz = 0x5000 };
	im->ph[2] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };
}

TEST(elf_valid_exec)
{
	struct image im;
	struct elf_layout lay;

	image_init(&im);
	CHECK_EQ(elf_check_header(&im.eh, sizeof(im)), 0);
	CHECK_EQ(elf_scan(&im.eh, im.ph, &lay), 0);
	CHECK_EQ(lay.lo, 0x400000);
	CHECK_EQ(lay.hi, 0x409000);
	CHECK_EQ(lay.phdr_vaddr, 0x400040);
	CHECK(!lay.has_interp);
	CHECK(!lay.exec_stack);
}

TEST(elf_header_rejects)
{
	static const struct { int field; long value; } cases[] = {
		{ 0, 'X' }, { 1, ELFCLASS32 }, { 2, ELFDATA2MSB }, { 3, EM_386 },
		{ 4, ET_REL }, { 5, 32 }, { 6, 0 }, { 7, 5000 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct image im;

		image_init(&im);
		switch (cases[i].field) {
		case 0: im.eh.e_ident[0] = cases[i].value; break;
		case 1: im.eh.e_ident[EI_CLASS] = cases[i].value; break;
		case 2: im.eh.e_ident[EI_DATA] = cases[i].value; break;
		case 3: im.eh.e_machine = cases[i].value; break;
		case 4: im.eh.e_type = cases[i].value; break;
		case 5: im.eh.e_phentsize = cases[i].value; break;
		case 6: im.eh.e_phnum = cases[i].value; break;
		case 7: im.eh.e_phoff = cases[i].value; break;
		}
		CHECK_EQ(elf_check_header(&im.eh, sizeof(im)), -ENOEXEC);
	}
}

TEST(elf_scan_rejects_bad_segments)
{
	struct image im;
	struct elf_layout lay;

	image_init(&im);
	im.ph[1].p_filesz = 0x6000;	/* filesz > memsz */
	CHECK_EQ(elf_scan(&im.eh, im.ph, &lay), -ENOEXEC);
	image_init(&im);
	im.ph[1].p_vaddr = 0x403200;	/* vaddr and offset not congruent */
	CHECK_EQ(elf_scan(&im.eh, im.ph, &lay), -ENOEXEC);
	image_init(&im);
	im.ph[1].p_vaddr = 0x7ffffffff100;	/* reaches the kernel half */
	CHECK_EQ(elf_scan(&im.eh, im.ph, &lay), -ENOEXEC);
	image_init(&im);
	im.ph[0].p_type = PT_NOTE;
	im.ph[1].p_type = PT_NOTE;	/* nothing to load */
	CHECK_EQ(elf_scan(&im.eh, im.ph, &lay), -ENOEXEC);
}

TEST(elf_scan_interp_and_stack)
{
	struct image im;
	struct elf_layout lay;

	image_init(&im);
	im.eh.e_type = ET_DYN;
	im.ph[0].p_vaddr = 0;
	im.ph[1].p_vaddr = 0x3100;
	im.ph[2].p_flags |= PF_X;
	im.ph[3] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_offset = 0x300, .p_filesz = 28 };
	im.eh.e_phnum = 4;
	CHECK_EQ(elf_scan(&im.eh, im.ph, &lay), 0);
	CHECK(lay.has_interp);
	CHECK_EQ(lay.interp_offset, 0x300);
	CHECK_EQ(lay.interp_size, 28);
	CHECK(lay.exec_stack);
	CHECK_EQ(lay.lo, 0);
	im.ph[3].p_filesz = 1;		/* no room for a name */
	CHECK_EQ(elf_scan(&im.eh, im.ph, &lay), -ENOEXEC);
}

TEST(elf_prot_bits)
{
	CHECK_EQ(elf_prot(PF_R), 1);
	CHECK_EQ(elf_prot(PF_R | PF_W), 3);
	CHECK_EQ(elf_prot(PF_R | PF_X), 5);
	CHECK_EQ(elf_prot(0), 0);
}

TEST(shebang_lines)
{
	static const struct { const char *line; int ret; const char *interp, *arg; } cases[] = {
		{ "#!/bin/sh\necho hi\n", 0, "/bin/sh", NULL },
		{ "#! /bin/sh -e \n", 0, "/bin/sh", "-e" },
		{ "#!/usr/bin/env  python3 -u\n", 0, "/usr/bin/env", "python3 -u" },
		{ "#!\t/bin/busybox\tsh", 0, "/bin/busybox", "sh" },
		{ "#!\n", -ENOEXEC, NULL, NULL },
		{ "#!   \n", -ENOEXEC, NULL, NULL },
		{ "echo hi\n", -ENOEXEC, NULL, NULL },
		{ "#", -ENOEXEC, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[128], *interp = NULL, *arg = NULL;
		size_t len = strlen(cases[i].line);

		memcpy(buf, cases[i].line, len + 1);
		CHECK_EQ(shebang_parse(buf, len, &interp, &arg), cases[i].ret);
		if (cases[i].ret)
			continue;
		CHECK_STR(interp, cases[i].interp);
		if (cases[i].arg)
			CHECK_STR(arg, cases[i].arg);
		else
			CHECK(arg == NULL);
	}
}
