/*
 * path.h — pure helpers that split path strings into components; no locks, no
 * memory allocation, so the host unit tests (tests/unit/test_path.c) run them.
 */
#ifndef LUMEN_FS_PATH_H
#define LUMEN_FS_PATH_H

#include "lib/lib.h"

#define PATH_NAME_MAX 255

/*
 * Takes the next component of *cursor: skips slashes, sets *name and *len, advances
 * *cursor past it. Returns 1 with a component, 0 at the end of the path,
 * -ENAMETOOLONG when the component is longer than 255 bytes.
 */
int path_component_next(const char **cursor, const char **name, size_t *len);
/* True when only slashes (or nothing) remain at cursor. */
bool path_at_end(const char *cursor);
/* True when the component is "." (1) or ".." (2); 0 otherwise. */
int path_dots(const char *name, size_t len);
/*
 * Splits path into its directory part and last component: *dir_len is the length of
 * the directory prefix (0 when relative with no slash; 1 for "/x"), *name and *name_len
 * the last component (length 0 for "/" alone), *trailing true when path ends in
 * '/' after a component. Returns -ENAMETOOLONG for an over-long last component.
 */
int path_split_last(const char *path, size_t *dir_len, const char **name, size_t *name_len,
		    bool *trailing);

#endif
