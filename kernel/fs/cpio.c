/*
 * cpio.c — parses cpio newc archives (see cpio.h). Every length read from a header
 * is checked against what is left of the archive before it is used.
 */
#include "fs/cpio.h"

#define CPIO_HEADER_LEN 110
#define CPIO_FIELDS 13

static int cpio_hex(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		char c = s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Parses the header at p (CPIO_HEADER_LEN bytes available) into the fields array:
 * ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor
 * namesize check. */
static int cpio_header(const char *p, uint32_t f[CPIO_FIELDS])
{
	int i;

	if (memcmp(p, "070701", 6) && memcmp(p, "070702", 6))
		return -EINVAL;
	for (i = 0; i < CPIO_FIELDS; i++)
		if (cpio_hex(p + 6 + 8 * i, &f[i]))
			return -EINVAL;
	return 0;
}

/* Strips "./" and "/" prefixes; returns the remaining length. */
static size_t cpio_name_strip(const char **name, size_t len)
{
	for (;;) {
		if (len >= 2 && (*name)[0] == '.' && (*name)[1] == '/') {
			*name += 2;
			len -= 2;
		} else if (len >= 1 && (*name)[0] == '/') {
			*name += 1;
			len -= 1;
		} else {
			return len;
		}
	}
}

/* Parses one entry at data+*off; sets *trailer at TRAILER!!!. */
static int cpio_entry_next(const char *data, size_t size, size_t *off, struct cpio_entry *e,
			   bool *trailer)
{
	uint32_t f[CPIO_FIELDS];
	size_t pos = *off, namesize, filesize;
	const char *name;

	if (size - pos < CPIO_HEADER_LEN || cpio_header(data + pos, f))
		return -EINVAL;
	namesize = f[11];
	filesize = f[6];
	pos += CPIO_HEADER_LEN;
	if (namesize == 0 || namesize > size - pos)
		return -EINVAL;
	name = data + pos;
	if (name[namesize - 1] != 0 || strlen(name) != namesize - 1)
		return -EINVAL;
	pos = pad4(pos + namesize);
	if (pos > size || filesize > size - pos)
		return -EINVAL;
	*trailer = !strcmp(name, "TRAILER!!!");
	e->ino = f[0];
	e->mode = f[1];
	e->uid = f[2];
	e->gid = f[3];
	e->nlink = f[4];
	e->mtime = f[5];
	e->dev_major = f[7];
	e->dev_minor = f[8];
	e->rdev_major = f[9];
	e->rdev_minor = f[10];
	e->name = name;
	e->name_len = cpio_name_strip(&e->name, namesize - 1);
	e->data = data + pos;
	e->size = filesize;
	pos += filesize;
	*off = pad4(pos) <= size ? pad4(pos) : size;
	return 0;
}

/* Walks the archive entry by entry (see cpio.h); -EINVAL on any malformed header. */
int cpio_parse(const void *archive, size_t size, cpio_entry_fn fn, void *ctx)
{
	const char *data = archive;
	size_t off = 0;
	bool trailer = false;
	struct cpio_entry e;
	int err;

	for (;;) {
		while (trailer && off < size && data[off] == 0)
			off++;
		if (trailer && off == size)
			return 0;
		err = cpio_entry_next(data, size, &off, &e, &trailer);
		if (err)
			return err;
		if (trailer || e.name_len == 0 || (e.name_len == 1 && e.name[0] == '.'))
			continue;
		err = fn(&e, ctx);
		if (err)
			return err;
	}
}
