/* boot_info.c — reads GRUB's multiboot2 information block into struct boot_info. */
#include "arch/x86_64/arch.h"
#include "lib/log.h"
#include "mm/mm.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289

enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MMAP = 6,
	MB2_TAG_FRAMEBUFFER = 8,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};

struct mb2_tag {
	uint32_t type, size;
};

struct boot_info boot_info;

static void parse_mmap(const uint8_t *tag)
{
	uint32_t size = ((const uint32_t *)tag)[1];
	uint32_t entry_size = ((const uint32_t *)tag)[2];

	for (uint32_t off = 16; off + 24 <= size && boot_info.memmap_count < BOOT_MAX_MEMMAP;
	     off += entry_size) {
		const uint8_t *e = tag + off;
		struct boot_memory_region *r = &boot_info.memmap[boot_info.memmap_count++];

		r->base = *(const uint64_t *)e;
		r->length = *(const uint64_t *)(e + 8);
		r->type = *(const uint32_t *)(e + 16);
	}
}

static void parse_framebuffer(const uint8_t *tag)
{
	struct boot_framebuffer *fb = &boot_info.fb;
	uint8_t type = tag[29];

	if (type != 1)		/* only direct RGB, not indexed or EGA text */
		return;
	fb->phys = *(const uint64_t *)(tag + 8);
	fb->pitch = *(const uint32_t *)(tag + 16);
	fb->width = *(const uint32_t *)(tag + 20);
	fb->height = *(const uint32_t *)(tag + 24);
	fb->bpp = tag[28];
	fb->red_pos = tag[32];
	fb->red_size = tag[33];
	fb->green_pos = tag[34];
	fb->green_size = tag[35];
	fb->blue_pos = tag[36];
	fb->blue_size = tag[37];
}

/* Walks the tags; the block sits in the first GiB, which the boot tables map. */
void boot_info_parse(uint32_t magic, uint64_t mbi_phys)
{
	const uint8_t *mbi = phys_to_virt(mbi_phys);
	uint32_t total = *(const uint32_t *)mbi;

	if (magic != MB2_BOOTLOADER_MAGIC)
		panic("not booted by a multiboot2 loader (magic %#x)", magic);
	boot_info.mbi_phys = mbi_phys;
	boot_info.mbi_size = total;
	for (uint32_t off = 8; off + 8 <= total;) {
		const struct mb2_tag *tag = (const void *)(mbi + off);

		if (tag->type == MB2_TAG_END)
			break;
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			strlcpy(boot_info.cmdline, (const char *)tag + 8, sizeof(boot_info.cmdline));
			break;
		case MB2_TAG_MODULE:
			if (!boot_info.initramfs_phys) {
				const uint32_t *m = (const uint32_t *)tag;
				boot_info.initramfs_phys = m[2];
				boot_info.initramfs_size = m[3] - m[2];
			}
			break;
		case MB2_TAG_MMAP:
			parse_mmap((const uint8_t *)tag);
			break;
		case MB2_TAG_FRAMEBUFFER:
			parse_framebuffer((const uint8_t *)tag);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			if (!boot_info.rsdp_phys || tag->type == MB2_TAG_ACPI_NEW)
				boot_info.rsdp_phys = mbi_phys + off + 8;
			break;
		}
		off += ALIGN_UP(tag->size, 8);
	}
}
