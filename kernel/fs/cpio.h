/*
 * cpio.h — the cpio "newc" archive parser (pure: no allocation, no locks), used by
 * the initramfs unpacker and tested on the host (tests/unit/test_cpio.c).
 */
#ifndef LUMEN_FS_CPIO_H
#define LUMEN_FS_CPIO_H

#include "lib/lib.h"

struct cpio_entry {
	const char *name;	/* without leading "./" or "/"; NUL-terminated in the archive */
	size_t name_len;
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t dev_major, dev_minor, rdev_major, rdev_minor;
	const void *data;	/* file data or symlink target, inside the archive */
	size_t size;
};

/* Called for each entry (the root "." itself is skipped); a non-zero return stops the
 * parse and is returned. */
typedef int (*cpio_entry_fn)(const struct cpio_entry *e, void *ctx);

/*
 * Walks the archive at data[0, size): "070701" or "070702" headers, up to the
 * TRAILER!!! entry; further archives may follow (zero padding between them is
 * skipped). Returns 0, the callback's non-zero value, or -EINVAL for a malformed or
 * truncated archive; never reads outside [data, data+size).
 */
int cpio_parse(const void *data, size_t size, cpio_entry_fn fn, void *ctx);

#endif
