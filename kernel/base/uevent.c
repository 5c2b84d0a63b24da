/*
 * uevent.c — kobject uevents: a device's variables (its uevent file), the messages
 * sent to NETLINK_KOBJECT_UEVENT sockets with Linux's layout and sequence numbers,
 * and synthetic events written to a uevent file ("change", "add UUID KEY=value").
 */
#include "base/base.h"
#include "lib/spinlock.h"
#include "mm/mm.h"
#include "net/net.h"

/* Linux's UEVENT_BUFFER_SIZE: a message's variables must fit. */
#define UEVENT_BUFFER 2048
#define UUID_LEN 36

static const char *const uevent_actions[] = {
	"add", "remove", "change", "move", "online", "offline", "bind", "unbind",
};

/* uevent_lock orders sequence numbers with deliveries: listeners see SEQNUMs rising. */
static spinlock_t uevent_lock = SPINLOCK_INIT("uevent");
static uint64_t uevent_seqnum;		/* under uevent_lock; read racily for the file */

/* The variables of dev, "KEY=value\n" each, as Linux's dev_uevent orders them. */
size_t device_show_uevent(void *ctx, char *buf, size_t size)
{
	struct device *dev = ctx;
	const char *driver = READ_ONCE(dev->driver);
	size_t len = 0;

#define PUT(...) (len += ksnprintf(buf + MIN(len, size), size - MIN(len, size), __VA_ARGS__))
	if (dev->devt) {
		PUT("MAJOR=%u\nMINOR=%u\nDEVNAME=%s\n", MAJOR(dev->devt), MINOR(dev->devt),
		    dev->devname ? dev->devname : dev->name);
		if (dev->devmode)
			PUT("DEVMODE=0%03o\n", dev->devmode & 07777);
	}
	if (dev->devtype)
		PUT("DEVTYPE=%s\n", dev->devtype);
	if (driver)
		PUT("DRIVER=%s\n", driver);
#undef PUT
	if (dev->uevent)
		len += dev->uevent(dev, buf + MIN(len, size), size - MIN(len, size));
	return len;
}

/* The subsystem a uevent names: the class, else the bus; NULL for neither. */
static const char *device_subsystem(struct device *dev)
{
	return dev->class ? dev->class : dev->bus;
}

static bool uevent_action_valid(const char *action)
{
	for (size_t i = 0; i < ARRAY_SIZE(uevent_actions); i++)
		if (!strcmp(uevent_actions[i], action))
			return true;
	return false;
}

/* Sends a uevent for dev (see device.h). */
int device_uevent(struct device *dev, const char *action, const char *extra)
{
	const char *subsystem = device_subsystem(dev);
	char *msg;
	size_t len, i;
	uint64_t flags;

	if (!uevent_action_valid(action))
		return -EINVAL;
	if (!subsystem)
		return 0;
	msg = kmalloc(UEVENT_BUFFER + 64);
	if (!msg)
		return -ENOMEM;
	len = ksnprintf(msg, UEVENT_BUFFER, "%s@/%s\nACTION=%s\nDEVPATH=/%s\nSUBSYSTEM=%s\n%s",
			action, dev->path, action, dev->path, subsystem, extra ? extra : "");
	if (len < UEVENT_BUFFER)
		len += device_show_uevent(dev, msg + len, UEVENT_BUFFER - len);
	if (len >= UEVENT_BUFFER) {
		kfree(msg);
		return -ENOMEM;
	}
	flags = spin_lock_irqsave(&uevent_lock);
	len += ksnprintf(msg + len, 64, "SEQNUM=%lu\n", (unsigned long)++uevent_seqnum);
	/* The wire format separates the header and the variables with NULs. */
	for (i = 0; i < len; i++)
		if (msg[i] == '\n')
			msg[i] = 0;
	netlink_uevent_broadcast(msg, len);
	spin_unlock_irqrestore(&uevent_lock, flags);
	kfree(msg);
	return 0;
}

/* The end of an alphanumeric word of buf[0..end) that stops at delim; NULL when the
 * word is empty or has another character (Linux's action_arg_word_end). */
static const char *uevent_word_end(const char *buf, const char *end, char delim)
{
	const char *p = buf;

	while (p < end && *p != delim) {
		char c = *p++;

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return NULL;
	}
	return p == buf ? NULL : p;
}

static bool uevent_uuid_valid(const char *s)
{
	for (int i = 0; i < UUID_LEN; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return true;
}

/* Turns a synthetic event's arguments "UUID KEY=value ..." (args[0..len)) into
 * "SYNTH_UUID=...\nSYNTH_ARG_KEY=value\n..." in out; -EINVAL when malformed. */
static int uevent_synth_args(const char *args, size_t len, char *out, size_t size)
{
	const char *end = args + len, *p, *key, *val;
	size_t n;

	if (len < UUID_LEN || !uevent_uuid_valid(args))
		return -EINVAL;
	n = ksnprintf(out, size, "SYNTH_UUID=%.*s\n", UUID_LEN, args);
	for (p = args + UUID_LEN; p < end && n < size;) {
		if (*p++ != ' ' || p >= end)
			return -EINVAL;
		key = p;
		p = uevent_word_end(key, end, '=');
		if (!p || p >= end || *p != '=' || ++p >= end)
			return -EINVAL;
		val = p;
		p = uevent_word_end(val, end, ' ');
		if (!p)
			return -EINVAL;
		n += ksnprintf(out + n, size - n, "SYNTH_ARG_%.*s=%.*s\n", (int)(val - 1 - key), key,
			       (int)(p - val), val);
	}
	return n < size ? 0 : -ENOMEM;
}

/* A write to a uevent file: "ACTION[ UUID[ KEY=value]...]", one trailing newline
 * allowed. Returns len, or -EINVAL for anything else. */
ssize_t device_store_uevent(void *ctx, const char *buf, size_t len)
{
	char action[16], *extra;
	size_t count = len, first;
	const char *space;
	int err = 0;

	/* sysfs hands an empty write to no attribute: it writes nothing. */
	if (!len)
		return 0;
	if (count && (buf[count - 1] == '\n' || buf[count - 1] == 0))
		count--;
	if (!count)
		return -EINVAL;
	for (first = 0; first < count && buf[first] != ' '; first++)
		;
	space = first < count ? buf + first : NULL;
	if (first >= sizeof(action))
		return -EINVAL;
	memcpy(action, buf, first);
	action[first] = 0;
	if (!uevent_action_valid(action))
		return -EINVAL;
	extra = kmalloc(UEVENT_BUFFER);
	if (!extra)
		return -ENOMEM;
	if (space)
		err = uevent_synth_args(space + 1, count - first - 1, extra, UEVENT_BUFFER);
	else
		strlcpy(extra, "SYNTH_UUID=0\n", UEVENT_BUFFER);
	if (!err)
		err = device_uevent(ctx, action, extra);
	kfree(extra);
	return err ? err : (ssize_t)len;
}

static size_t uevent_show_seqnum(void *ctx, char *buf, size_t size)
{
	return ksnprintf(buf, size, "%lu\n", (unsigned long)READ_ONCE(uevent_seqnum));
}

/* Adds /sys/kernel/uevent_seqnum; 0 or -errno. */
int device_uevent_init(void)
{
	struct sysfs_node *kernel = device_mkdirs("kernel");

	return kernel ? sysfs_add_file(kernel, "uevent_seqnum", 0444, uevent_show_seqnum, NULL)
		      : -ENOMEM;
}
