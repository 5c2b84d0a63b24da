/*
 * path.c — splitting path strings (see path.h); pure, tested on the host.
 */
#include "fs/path.h"

/* Next component of *cursor (see path.h); 1, 0 at the end, -ENAMETOOLONG. */
int path_component_next(const char **cursor, const char **name, size_t *len)
{
	const char *p = *cursor;
	const char *start;

	while (*p == '/')
		p++;
	if (!*p) {
		*cursor = p;
		return 0;
	}
	start = p;
	while (*p && *p != '/')
		p++;
	*name = start;
	*len = p - start;
	*cursor = p;
	return *len > PATH_NAME_MAX ? -ENAMETOOLONG : 1;
}

/* True when only slashes remain. */
bool path_at_end(const char *cursor)
{
	while (*cursor == '/')
		cursor++;
	return !*cursor;
}

/* 1 for ".", 2 for "..", 0 otherwise. */
int path_dots(const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return 1;
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return 2;
	return 0;
}

/* Splits off the last component (see path.h). */
int path_split_last(const char *path, size_t *dir_len, const char **name, size_t *name_len,
		    bool *trailing)
{
	size_t end = strlen(path), start;

	while (end > 0 && path[end - 1] == '/')
		end--;
	*trailing = end < strlen(path) && end > 0;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	*name = path + start;
	*name_len = end - start;
	*dir_len = start;
	while (*dir_len > 1 && path[*dir_len - 1] == '/')
		(*dir_len)--;
	if (end == 0 && path[0] == '/')
		*dir_len = 1;
	return *name_len > PATH_NAME_MAX ? -ENAMETOOLONG : 0;
}
