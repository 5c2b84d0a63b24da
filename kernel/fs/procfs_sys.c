/*
 * procfs_sys.c — /proc/sys/kernel: the basics programs read (ostype, osrelease,
 * hostname, pid_max, random/boot_id, random/uuid) in Linux's formats.
 */
#include "dev/dev.h"
#include "fs/pseudo.h"

/* boot_id: made once, on first read; boot_id_lock guards it. */
static spinlock_t boot_id_lock = SPINLOCK_INIT("boot_id");
static uint8_t boot_id[16];
static bool boot_id_set;

/* Formats 16 random bytes as a version 4 UUID, as Linux's generate_random_uuid. */
static size_t uuid_format(uint8_t b[16], char *buf, size_t size)
{
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	return ksnprintf(buf, size,
			 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x\n",
			 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
			 b[12], b[13], b[14], b[15]);
}

static size_t sys_boot_id_show(void *ctx, char *buf, size_t size)
{
	uint8_t b[16], fresh[16];
	uint64_t f;

	random_bytes(fresh, sizeof(fresh));
	f = spin_lock_irqsave(&boot_id_lock);
	if (!boot_id_set) {
		memcpy(boot_id, fresh, sizeof(boot_id));
		boot_id_set = true;
	}
	memcpy(b, boot_id, sizeof(b));
	spin_unlock_irqrestore(&boot_id_lock, f);
	return uuid_format(b, buf, size);
}

static size_t sys_uuid_show(void *ctx, char *buf, size_t size)
{
	uint8_t b[16];

	random_bytes(b, sizeof(b));
	return uuid_format(b, buf, size);
}

/* A fixed text: ctx is the string. */
static size_t sys_text_show(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "%s\n", (const char *)ctx);
}

static bool sys_add(struct pseudo_node *dir, const char *name, pseudo_show_t show, void *ctx)
{
	struct pseudo_node *n = pseudo_add(dir, name, S_IFREG | 0444);

	if (n) {
		n->show = show;
		n->ctx = ctx;
	}
	return n;
}

/* Adds sys/kernel/ under the /proc root; from procfs_init. The names match what
 * uname(2) reports (kernel/sys/misc.c). */
bool procfs_sys_init(struct pseudo_node *root)
{
	struct pseudo_node *sys = pseudo_add(root, "sys", S_IFDIR | 0555);
	struct pseudo_node *kernel = sys ? pseudo_add(sys, "kernel", S_IFDIR | 0555) : NULL;
	struct pseudo_node *random = kernel ? pseudo_add(kernel, "random", S_IFDIR | 0555) : NULL;

	return random && sys_add(kernel, "ostype", sys_text_show, "Linux") &&
	       sys_add(kernel, "osrelease", sys_text_show, "6.1.0-lumen") &&
	       sys_add(kernel, "hostname", sys_text_show, "(none)") &&
	       sys_add(kernel, "domainname", sys_text_show, "(none)") &&
	       sys_add(kernel, "pid_max", sys_text_show, "32768") &&
	       sys_add(random, "boot_id", sys_boot_id_show, NULL) &&
	       sys_add(random, "uuid", sys_uuid_show, NULL);
}
