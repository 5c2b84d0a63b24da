/*
 * fpu.c — CPU feature set-up (SSE, XSAVE with AVX and AVX-512 state, SMEP, SMAP)
 * and saving/restoring a task's FPU/SIMD registers.
 *
 * The kernel itself is built with -mgeneral-regs-only, so FPU state only changes in
 * user mode and the process code saves it on a task switch.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu_private.h"
#include "lib/log.h"

#define CR0_MP (1UL << 1)
#define CR0_EM (1UL << 2)
#define CR0_TS (1UL << 3)
#define CR0_NE (1UL << 5)
#define CR4_OSFXSR (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_OSXSAVE (1UL << 18)
#define CR4_SMEP (1UL << 20)
#define CR4_SMAP (1UL << 21)

#define CPUID1_ECX_XSAVE (1U << 26)
#define CPUID7_EBX_SMEP (1U << 7)
#define CPUID7_EBX_SMAP (1U << 20)

/* XCR0 components the kernel saves for user space: x87, SSE, AVX, AVX-512. */
#define XFEATURE_USER_MASK 0xe7UL

#define FXSAVE_SIZE 512
#define XSAVE_HEADER_OFFSET 512

static size_t fpu_area_size = FXSAVE_SIZE;
bool smap_enabled;
static uint64_t xcr0;		/* 0 when XSAVE is not used */
/* Large enough for x87 + SSE + AVX + AVX-512 (2696 bytes); set by cpu_features_init. */
static uint8_t fpu_clean_state[4096] __attribute__((aligned(64)));

static uint64_t read_cr0(void) { uint64_t v; __asm__ volatile("movq %%cr0, %0" : "=r"(v)); return v; }
static uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("movq %%cr4, %0" : "=r"(v)); return v; }
static void write_cr0(uint64_t v) { __asm__ volatile("movq %0, %%cr0" :: "r"(v) : "memory"); }
static void write_cr4(uint64_t v) { __asm__ volatile("movq %0, %%cr4" :: "r"(v) : "memory"); }

static void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" :: "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* Turns XSAVE on with every user-state component the CPU supports. */
static void xsave_init(void)
{
	uint32_t r[4];

	write_cr4(read_cr4() | CR4_OSXSAVE);
	cpuid(0xd, 0, r);
	xcr0 = ((uint64_t)r[3] << 32 | r[0]) & XFEATURE_USER_MASK;
	if ((xcr0 & 0xe0) != 0xe0)	/* AVX-512 is all three components or none */
		xcr0 &= ~0xe0UL;
	xsetbv(0, xcr0);
	cpuid(0xd, 0, r);		/* ebx: area size for what XCR0 now enables */
	fpu_area_size = r[1];
}

/* SSE, XSAVE, SMEP and SMAP on this CPU, as far as CPUID offers them. */
void cpu_features_init(void)
{
	uint32_t r[4];
	uint32_t mxcsr = 0x1f80;

	write_cr0((read_cr0() | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS));
	write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit; ldmxcsr %0" :: "m"(mxcsr));
	cpuid(1, 0, r);
	if (r[2] & CPUID1_ECX_XSAVE)
		xsave_init();
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		if (r[1] & CPUID7_EBX_SMEP)
			write_cr4(read_cr4() | CR4_SMEP);
		if (r[1] & CPUID7_EBX_SMAP) {
			write_cr4(read_cr4() | CR4_SMAP);
			smap_enabled = true;
		}
	}
	if (fpu_area_size > sizeof(fpu_clean_state))
		panic("fpu: XSAVE area of %zu bytes is larger than expected", fpu_area_size);
	fpu_state_init(fpu_clean_state);
	pr_info("cpu: %s, XCR0 %#lx, FPU state %zu bytes%s%s", xcr0 ? "XSAVE" : "FXSAVE",
		(unsigned long)xcr0, fpu_area_size, read_cr4() & CR4_SMEP ? ", SMEP" : "",
		smap_enabled ? ", SMAP" : "");
}

/* Bytes of a saved state: the XSAVE area for the enabled features, or 512 (FXSAVE). */
size_t fpu_state_size(void)
{
	return fpu_area_size;
}

/* Writes a clean FPU state (as after exec) into area (fpu_state_size bytes). */
void fpu_state_init(void *area)
{
	uint8_t *p = area;

	memset(p, 0, fpu_area_size);
	*(uint16_t *)p = 0x37f;			/* FCW: all x87 exceptions masked */
	*(uint32_t *)(p + 24) = 0x1f80;		/* MXCSR: all SSE exceptions masked */
	*(uint32_t *)(p + 28) = 0xffff;		/* MXCSR_MASK */
	if (xcr0)	/* XSTATE_BV: x87 and SSE from the area, the rest in init state */
		*(uint64_t *)(p + XSAVE_HEADER_OFFSET) = 0x3;
}

/* Saves this CPU's FPU/SIMD registers into area (64-byte aligned). */
void fpu_save(void *area)
{
	if (xcr0)
		__asm__ volatile("xsave64 (%0)" :: "r"(area), "a"((uint32_t)xcr0),
				 "d"((uint32_t)(xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" :: "r"(area) : "memory");
}

/*
 * Runs the restore instruction with an exception-table fix-up: a state user space
 * corrupted (through a signal frame) makes it fault with #GP. Returns false then.
 */
static bool fpu_try_restore(const void *area)
{
	bool ok = true;

	if (xcr0)
		__asm__ volatile("1: xrstor64 (%1)\n\t"
				 "jmp 3f\n"
				 "2: movb $0, %0\n"
				 "3:\n\t"
				 ".pushsection __ex_table, \"a\"\n\t"
				 ".balign 8\n\t"
				 ".quad 1b, 2b\n\t"
				 ".popsection"
				 : "+r"(ok) : "r"(area), "a"((uint32_t)xcr0),
				   "d"((uint32_t)(xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("1: fxrstor64 (%1)\n\t"
				 "jmp 3f\n"
				 "2: movb $0, %0\n"
				 "3:\n\t"
				 ".pushsection __ex_table, \"a\"\n\t"
				 ".balign 8\n\t"
				 ".quad 1b, 2b\n\t"
				 ".popsection"
				 : "+r"(ok) : "r"(area) : "memory");
	return ok;
}

/*
 * Loads the FPU/SIMD registers from area (64-byte aligned). An invalid state (bad
 * MXCSR or header bits) is replaced by the clean state instead of crashing.
 */
void fpu_restore(const void *area)
{
	if (!fpu_try_restore(area))
		fpu_try_restore(fpu_clean_state);
}
