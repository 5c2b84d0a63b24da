/*
 * arch.h — what the rest of the kernel may use of the x86_64 machine: port and MSR
 * access, interrupt state, the per-CPU block, the register frame of traps and
 * syscalls, interrupt routing, clocks, PCI and power-off.
 */
#ifndef LUMEN_ARCH_H
#define LUMEN_ARCH_H

#include "lib/lib.h"

/* ---- boot information, parsed from multiboot2 by boot_info_parse() ---- */
#define BOOT_MAX_MEMMAP 128
struct boot_memory_region {
	uint64_t base, length;
	uint32_t type;		/* multiboot2: 1 available, 3 ACPI, 4 reserved-hibernate, 5 bad */
};
struct boot_framebuffer {
	uint64_t phys;		/* 0 when GRUB gave none */
	uint32_t pitch, width, height;
	uint8_t bpp;
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};
struct boot_info {
	char cmdline[1024];
	struct boot_memory_region memmap[BOOT_MAX_MEMMAP];
	int memmap_count;
	uint64_t initramfs_phys, initramfs_size;	/* the module, 0 when none */
	struct boot_framebuffer fb;
	uint64_t rsdp_phys;	/* copy of the ACPI RSDP inside the multiboot info */
	uint64_t mbi_phys, mbi_size;	/* the multiboot info block itself */
};
extern struct boot_info boot_info;
void boot_info_parse(uint32_t magic, uint64_t mbi_phys);
/* Physical start and end of the loaded kernel image. */
extern char _kernel_end[];
#define KERNEL_VMA 0xffffffff80000000UL

/* ---- ports, MSRs, CPU control ---- */
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint16_t inw(uint16_t port) { uint16_t v; __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SFMASK 0xc0000084
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

/* ---- interrupt state ---- */
static inline uint64_t irq_save(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) :: "memory");
	return flags;
}
static inline void irq_restore(uint64_t flags)
{
	if (flags & (1 << 9))
		__asm__ volatile("sti" ::: "memory");
}
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }

/* ---- segments (GDT layout fixed so SYSCALL/SYSRET work) ---- */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS 0x1b	/* 0x18 | RPL 3 */
#define USER_CS 0x23	/* 0x20 | RPL 3 */

/*
 * The register frame of an interrupt, exception or syscall, as the entry code saves
 * it on the kernel stack. For syscalls: rax = number, rdi rsi rdx r10 r8 r9 = args,
 * vector = 0x80 - unused by interrupts here - marks "syscall" as TRAP_SYSCALL.
 */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU (or built by syscall entry) */
};
#define TRAP_SYSCALL 0x100
static inline bool trap_from_user(const struct trap_frame *f) { return (f->cs & 3) == 3; }

/* ---- per-CPU block, reached through GS in kernel mode ---- */
struct task;
struct cpu {
	struct cpu *self;		/* gs:0 */
	uint64_t kernel_rsp;		/* gs:8   top of the current task's kernel stack */
	uint64_t user_rsp;		/* gs:16  scratch for the syscall entry */
	struct task *current;		/* gs:24 */
	uint32_t id;			/* 0.. in boot order */
	uint32_t apic_id;
	struct task *idle;		/* this CPU's idle task */
	bool need_resched;		/* set by the timer, checked on return to user */
	int irq_depth;
	uint64_t irq_count;		/* interrupts handled, for /proc/stat */
};
#define MAX_CPUS 16
extern struct cpu cpus[MAX_CPUS];
extern int cpu_count;
static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(c));
	return c;
}
/* CPU number; 0 before the per-CPU block is set up. */
int cpu_id(void);

/* ---- traps and interrupts (kernel/arch/x86_64/trap.c, apic.c) ---- */
void arch_init(void);		/* GDT, TSS, IDT, per-CPU block, CPU features */
void interrupts_init(void);	/* ACPI MADT, LAPIC, IOAPIC, timer calibration */
/* Sets the stack the CPU switches to on an interrupt from user mode (TSS.rsp0). */
void tss_set_kernel_stack(uint64_t rsp0);
/* Routes legacy IRQ / GSI `irq` to handler, called with interrupts off. */
typedef void (*irq_handler_t)(void *ctx);
int irq_register(int irq, irq_handler_t handler, void *ctx);
/* Allocates an IDT vector for an MSI and routes it to handler; returns the vector. */
int irq_alloc_msi(irq_handler_t handler, void *ctx, uint32_t *msi_addr, uint32_t *msi_data);
/*
 * Returns through the trap frame at %rsp (trap_entry.S): pops the registers and
 * irets, with swapgs when the frame's cs is a user selector. A new task can start by
 * jumping here with a frame on its kernel stack.
 */
extern char trap_exit[];
/* Exception fix-ups for uaccess: a fault at `insn` resumes at `fixup`. */
struct exception_entry { uint64_t insn, fixup; };
/* Frequency of the scheduler tick. */
#define TIMER_HZ 250

/* ---- FPU/SSE/AVX state (kernel/arch/x86_64/fpu.c) ---- */
/* Bytes of a task's saved FPU area (FXSAVE or XSAVE layout); the area is 64-byte aligned. */
size_t fpu_state_size(void);
/* Fills area with the clean initial state (FCW 0x37f, MXCSR 0x1f80). */
void fpu_state_init(void *area);
void fpu_save(void *area);
void fpu_restore(const void *area);

/* ---- user memory access under SMAP ---- */
extern bool smap_enabled;	/* set once by arch_init */
/* Opens / closes a window where the kernel may touch user pages (STAC / CLAC). */
static inline void user_access_begin(void)
{
	if (smap_enabled)
		__asm__ volatile("stac" ::: "memory");
}
static inline void user_access_end(void)
{
	if (smap_enabled)
		__asm__ volatile("clac" ::: "memory");
}

/* ---- clocks (kernel/arch/x86_64/clock.c) ---- */
uint64_t clock_monotonic_ns(void);	/* since boot; 0 until calibrated */
uint64_t clock_realtime_ns(void);	/* wall clock, from the CMOS RTC at boot */
void clock_set_realtime_ns(uint64_t ns);
/* The wall clock minus the monotonic clock, as set now: converts between them
 * exactly, where two clock reads would differ by the time between them. */
int64_t clock_realtime_offset_ns(void);
/* The coarse clocks: their value at the last whole tick (TIMER_HZ steps). */
uint64_t clock_monotonic_coarse_ns(void);
uint64_t clock_realtime_coarse_ns(void);
void clock_tick(void);			/* CPU 0's timer tick advances them */

/* ---- PCI (kernel/dev/pci.c) ---- */
struct pci_device {
	uint8_t bus, slot, func;
	uint16_t vendor, device, subsystem_vendor, subsystem_device;
	uint8_t class, subclass, prog_if, revision;
	uint8_t irq_line, irq_pin;
	uint64_t bar[6];	/* decoded base addresses */
	uint64_t bar_size[6];
	bool bar_is_io[6];
	struct device *sysdev;	/* its device-model device (pci_sysfs_init), or NULL */
	struct list_head link;
};
extern struct list_head pci_devices;
uint32_t pci_config_read32(struct pci_device *d, uint16_t offset);
void pci_config_write32(struct pci_device *d, uint16_t offset, uint32_t v);
uint16_t pci_config_read16(struct pci_device *d, uint16_t offset);
void pci_config_write16(struct pci_device *d, uint16_t offset, uint16_t v);
uint8_t pci_config_read8(struct pci_device *d, uint16_t offset);
/* Returns the offset of capability `id` in config space, or 0. */
uint8_t pci_find_capability(struct pci_device *d, uint8_t id);
void pci_enable_bus_master(struct pci_device *d);
void pci_init(void);
/* Registers every function as a device on the "pci" bus, /sys/devices/pci0000:00/
 * 0000:BB:SS.F (kernel/dev/pci_sysfs.c). After device_model_init. */
void pci_sysfs_init(void);
/* The sysfs directory of d; path gets "devices/pci0000:00/0000:...". NULL when d has
 * none. */
struct sysfs_node;
struct device;
struct sysfs_node *pci_sysfs_dir(struct pci_device *d, char *path, size_t size);

/* ---- power (kernel/arch/x86_64/acpi.c) ---- */
__noreturn void machine_power_off(void);
__noreturn void machine_reboot(void);
__noreturn void machine_halt(void);

#endif
