// sources: kernel/fs/cpio.c
/* Tests of the cpio newc parser: well-formed archives, and truncated or malformed
 * ones that must fail with -EINVAL without reading outside the buffer (ASan). */
#include "unit.h"
#include "fs/cpio.h"
#include <stdlib.h>

struct archive {
	char buf[8192];
	size_t len;
};

static void pad4(struct archive *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

static void add(struct archive *a, const char *magic, unsigned ino, unsigned mode,
		unsigned nlink, const char *name, const char *data, size_t size)
{
	a->len += sprintf(a->buf + a->len,
			  "%s%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X", magic, ino,
			  mode, 1000, 100, nlink, 1700000000, size, 0, 1, 4, 64, strlen(name) + 1, 0);
	memcpy(a->buf + a->len, name, strlen(name) + 1);
	a->len += strlen(name) + 1;
	pad4(a);
	memcpy(a->buf + a->len, data, size);
	a->len += size;
	pad4(a);
}

static void add_trailer(struct archive *a)
{
	add(a, "070701", 0, 0, 1, "TRAILER!!!", "", 0);
}

static void build_sample(struct archive *a)
{
	a->len = 0;
	add(a, "070701", 1, 040755, 2, ".", "", 0);
	add(a, "070701", 2, 040755, 2, "./bin", "", 0);
	add(a, "070702", 3, 0100755, 1, "./bin/hello", "hello world\n", 12);
	add(a, "070701", 4, 0120777, 1, "bin/sh", "hello", 5);
	add(a, "070701", 5, 0100644, 2, "/etc-a", "", 0);
	add(a, "070701", 5, 0100644, 2, "etc-b", "xyz", 3);
	add(a, "070701", 6, 020620, 1, "console", "", 0);
	add_trailer(a);
}

struct seen {
	int count;
	char names[16][64];
	unsigned modes[16], inos[16], nlinks[16], rdev_minor[16];
	char data[16][64];
};

static int collect(const struct cpio_entry *e, void *ctx)
{
	struct seen *s = ctx;

	if (s->count == 16)
		return -1;
	snprintf(s->names[s->count], 64, "%.*s", (int)e->name_len, e->name);
	snprintf(s->data[s->count], 64, "%.*s", (int)e->size, (const char *)e->data);
	s->modes[s->count] = e->mode;
	s->inos[s->count] = e->ino;
	s->nlinks[s->count] = e->nlink;
	s->rdev_minor[s->count] = e->rdev_minor;
	s->count++;
	return 0;
}

/* Parses a copy in a buffer of exactly len bytes, so ASan sees any overrun. */
static int parse_exact(const char *data, size_t len, struct seen *s)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	memcpy(copy, data, len);
	memset(s, 0, sizeof(*s));
	ret = cpio_parse(copy, len, collect, s);
	free(copy);
	return ret;
}

TEST(cpio_parses_entries)
{
	struct archive a;
	struct seen s;

	build_sample(&a);
	CHECK_EQ(parse_exact(a.buf, a.len, &s), 0);
	CHECK_EQ(s.count, 6);
	CHECK_STR(s.names[0], "bin");
	CHECK_EQ(s.modes[0], 040755);
	CHECK_STR(s.names[1], "bin/hello");
	CHECK_STR(s.data[1], "hello world\n");
	CHECK_STR(s.names[2], "bin/sh");
	CHECK_EQ(s.modes[2], 0120777);
	CHECK_STR(s.data[2], "hello");
	CHECK_STR(s.names[3], "etc-a");
	CHECK_STR(s.names[4], "etc-b");
	CHECK_EQ(s.inos[3], s.inos[4]);
	CHECK_EQ(s.nlinks[4], 2);
	CHECK_STR(s.data[4], "xyz");
	CHECK_STR(s.names[5], "console");
	CHECK_EQ(s.rdev_minor[5], 64);
}

TEST(cpio_accepts_padding_and_concatenation)
{
	struct archive a;
	struct seen s;

	build_sample(&a);
	memset(a.buf + a.len, 0, 512);
	a.len += 512;
	add(&a, "070701", 9, 0100600, 1, "late", "z", 1);
	add_trailer(&a);
	CHECK_EQ(parse_exact(a.buf, a.len, &s), 0);
	CHECK_EQ(s.count, 7);
	CHECK_STR(s.names[6], "late");
}

TEST(cpio_rejects_every_truncation)
{
	struct archive a;
	struct seen s;
	size_t len;

	build_sample(&a);
	for (len = 0; len < a.len; len++) {
		int ret = parse_exact(a.buf, len, &s);

		if (ret != -EINVAL) {
			char msg[64];

			snprintf(msg, sizeof(msg), "truncated at %zu gave %d", len, ret);
			unit_fail(__FILE__, __LINE__, msg);
			break;
		}
	}
}

TEST(cpio_rejects_malformed_headers)
{
	struct archive a;
	struct seen s;

	build_sample(&a);
	a.buf[5] = '9';			/* bad magic */
	CHECK_EQ(parse_exact(a.buf, a.len, &s), -EINVAL);

	build_sample(&a);
	a.buf[6 + 8 * 1] = 'g';		/* bad hex in the mode */
	CHECK_EQ(parse_exact(a.buf, a.len, &s), -EINVAL);

	build_sample(&a);
	memcpy(a.buf + 6 + 8 * 11, "00000000", 8);	/* namesize 0 */
	CHECK_EQ(parse_exact(a.buf, a.len, &s), -EINVAL);

	build_sample(&a);
	memcpy(a.buf + 6 + 8 * 11, "FFFFFFFF", 8);	/* name past the end */
	CHECK_EQ(parse_exact(a.buf, a.len, &s), -EINVAL);

	build_sample(&a);
	memcpy(a.buf + 6 + 8 * 6, "7FFFFFF0", 8);	/* data past the end */
	CHECK_EQ(parse_exact(a.buf, a.len, &s), -EINVAL);

	build_sample(&a);
	memcpy(a.buf + 6 + 8 * 11, "00000001", 8);	/* name not NUL-terminated */
	CHECK_EQ(parse_exact(a.buf, a.len, &s), -EINVAL);
}

TEST(cpio_rejects_missing_trailer_and_junk)
{
	struct archive a;
	struct seen s;

	a.len = 0;
	add(&a, "070701", 1, 0100644, 1, "f", "abc", 3);
	CHECK_EQ(parse_exact(a.buf, a.len, &s), -EINVAL);
	CHECK_EQ(parse_exact("garbage", 7, &s), -EINVAL);
	CHECK_EQ(parse_exact("", 0, &s), -EINVAL);
}
