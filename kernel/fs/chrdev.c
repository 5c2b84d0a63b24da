/*
 * chrdev.c — the character device table: which file operations a device number
 * opens. chrdev_lock protects the list; entries are never removed.
 */
#include "fs/fs.h"
#include "mm/mm.h"

struct chrdev {
	unsigned major, first_minor, count;
	const char *name;
	const struct file_operations *ops;
	struct list_head link;
};

static spinlock_t chrdev_lock = SPINLOCK_INIT("chrdev");
static LIST_HEAD(chrdevs);

/* Registers ops for character devices major:[first_minor, first_minor+count); 0 or
 * -ENOMEM. Later registrations never replace earlier ones. */
int chrdev_register(unsigned major, unsigned first_minor, unsigned count,
		    const char *name, const struct file_operations *ops)
{
	struct chrdev *c = kzalloc(sizeof(*c));
	uint64_t flags;

	if (!c)
		return -ENOMEM;
	c->major = major;
	c->first_minor = first_minor;
	c->count = count;
	c->name = name;
	c->ops = ops;
	flags = spin_lock_irqsave(&chrdev_lock);
	list_add_tail(&c->link, &chrdevs);
	spin_unlock_irqrestore(&chrdev_lock, flags);
	return 0;
}

/* The operations registered for dev, or NULL (open then fails with ENXIO). */
const struct file_operations *chrdev_lookup(dev_t dev)
{
	const struct file_operations *ops = NULL;
	struct chrdev *c;
	uint64_t flags = spin_lock_irqsave(&chrdev_lock);

	list_for_each_entry(c, &chrdevs, link) {
		if (c->major == MAJOR(dev) && MINOR(dev) >= c->first_minor &&
		    MINOR(dev) - c->first_minor < c->count) {
			ops = c->ops;
			break;
		}
	}
	spin_unlock_irqrestore(&chrdev_lock, flags);
	return ops;
}
