// sources: kernel/fs/path.c
/* Tests of the path string helpers the path walk is built on. */
#include "unit.h"
#include "fs/path.h"

static int split_all(const char *path, char out[][300], int max)
{
	const char *cursor = path, *name;
	size_t len;
	int n = 0, ret;

	while ((ret = path_component_next(&cursor, &name, &len)) > 0 && n < max) {
		memcpy(out[n], name, len);
		out[n][len] = 0;
		n++;
	}
	return ret < 0 ? ret : n;
}

TEST(path_components)
{
	char parts[8][300];

	CHECK_EQ(split_all("/usr//bin/./ls/", parts, 8), 4);
	CHECK_STR(parts[0], "usr");
	CHECK_STR(parts[1], "bin");
	CHECK_STR(parts[2], ".");
	CHECK_STR(parts[3], "ls");
	CHECK_EQ(split_all("", parts, 8), 0);
	CHECK_EQ(split_all("///", parts, 8), 0);
	CHECK_EQ(split_all("a", parts, 8), 1);
	CHECK_STR(parts[0], "a");
}

TEST(path_component_too_long)
{
	char path[300], parts[8][300];

	memset(path, 'x', 256);
	path[256] = 0;
	CHECK_EQ(split_all(path, parts, 8), -ENAMETOOLONG);
	path[255] = 0;
	CHECK_EQ(split_all(path, parts, 8), 1);
}

TEST(path_dots_and_end)
{
	CHECK_EQ(path_dots(".", 1), 1);
	CHECK_EQ(path_dots("..", 2), 2);
	CHECK_EQ(path_dots("...", 3), 0);
	CHECK_EQ(path_dots(".a", 2), 0);
	CHECK(path_at_end(""));
	CHECK(path_at_end("//"));
	CHECK(!path_at_end("/a"));
}

struct split_case {
	const char *path;
	size_t dir_len;
	const char *name;
	bool trailing;
};

static const struct split_case split_cases[] = {
	{ "a", 0, "a", false },
	{ "/a", 1, "a", false },
	{ "//a", 1, "a", false },
	{ "a/b", 1, "b", false },
	{ "a//b/", 1, "b", true },
	{ "/usr/bin/", 4, "bin", true },
	{ "/", 1, "", false },
	{ "//", 1, "", false },
	{ "a/..", 1, "..", false },
	{ "./x", 1, "x", false },
};

TEST(path_split_last)
{
	for (size_t i = 0; i < sizeof(split_cases) / sizeof(split_cases[0]); i++) {
		const struct split_case *c = &split_cases[i];
		const char *name;
		size_t dir_len, len;
		bool trailing;
		char got[300];

		CHECK_EQ(path_split_last(c->path, &dir_len, &name, &len, &trailing), 0);
		memcpy(got, name, len);
		got[len] = 0;
		CHECK_EQ(dir_len, c->dir_len);
		CHECK_STR(got, c->name);
		CHECK_EQ(trailing, c->trailing);
	}
}
