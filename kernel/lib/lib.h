/*
 * lib.h — the kernel's small C library: fixed-width types, strings, formatted print,
 * intrusive lists, error pointers and a few macros. No libc in the kernel.
 *
 * The same header builds on the host for unit tests (HOST_TEST), where the string
 * functions come from the host's libc instead.
 */
#ifndef LUMEN_LIB_H
#define LUMEN_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef HOST_TEST
#include <string.h>
#include <stdio.h>
#else
typedef int64_t ssize_t;
typedef int64_t off_t;
typedef int32_t pid_t;
typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef uint32_t mode_t;
#endif

/* The errno values are Linux's own. */
#include <asm-generic/errno.h>
#ifndef ERESTARTSYS
#define ERESTARTSYS 512		/* restart the syscall if the handler allows (SA_RESTART) */
#define ERESTARTNOINTR 513	/* always restart */
#define ERESTARTNOHAND 514	/* restart if no handler ran */
#define ERESTART_RESTARTBLOCK 516
#endif

/* Marks a pointer that came from user space and must go through uaccess helpers. */
#define __user

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define __packed __attribute__((packed))
#define __noreturn __attribute__((noreturn))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define barrier() __asm__ volatile("" ::: "memory")

/* Error pointers, as Linux: a pointer in the top 4095 values carries a -errno. */
#define MAX_ERRNO 4095
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr)
{
	return (uintptr_t)ptr >= (uintptr_t)-MAX_ERRNO;
}
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }

/* Strings and memory (kernel/lib/string.c). */
#ifndef HOST_TEST
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
#endif
size_t strlcpy(char *dst, const char *src, size_t size);
char *kstrdup(const char *s);
char *kstrndup(const char *s, size_t n);
/* Parses an unsigned number in the given base (0 = auto); returns -EINVAL on junk. */
int kstrtou64(const char *s, unsigned base, uint64_t *out);

/* Formatted print (kernel/lib/printf.c): %d %i %u %x %X %o %p %s %c %%, with
 * flags -, 0, +, space, #, width, precision, * and the l, ll, z, h, hh length
 * modifiers. Returns the length the full output would have, like C's snprintf. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Intrusive doubly linked lists, as Linux's list_head. */
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void list_init(struct list_head *h) { h->next = h->prev = h; }
static inline bool list_empty(const struct list_head *h) { return h->next == h; }
static inline void list_insert_between(struct list_head *n, struct list_head *prev,
				       struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}
/* Adds n at the front of h. */
static inline void list_add(struct list_head *n, struct list_head *h)
{
	list_insert_between(n, h, h->next);
}
/* Adds n at the back of h. */
static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	list_insert_between(n, h->prev, h);
}
/* Unlinks n and leaves it pointing at itself, so a second list_del is harmless. */
static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	list_init(n);
}
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_for_each_entry(pos, h, member)                                  \
	for (pos = list_entry((h)->next, __typeof__(*pos), member);          \
	     &pos->member != (h);                                            \
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_safe(pos, tmp, h, member)                        \
	for (pos = list_entry((h)->next, __typeof__(*pos), member),          \
	     tmp = list_entry(pos->member.next, __typeof__(*pos), member);   \
	     &pos->member != (h);                                            \
	     pos = tmp, tmp = list_entry(tmp->member.next, __typeof__(*tmp), member))

#endif
