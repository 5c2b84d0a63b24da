/*
 * uaccess.c — copies between kernel and user memory that survive bad pointers: the
 * range is checked against the user half first, and the copying instructions
 * (uaccess_asm.S) have exception-table fix-ups, so a fault that the page-fault code
 * cannot resolve makes the copy return -EFAULT. No lock may be held across these
 * calls that the page-fault path takes (vm->lock).
 */
#include "arch/x86_64/arch.h"
#include "mm/mm.h"

size_t uaccess_copy(void *dst, const void *src, size_t n);
size_t uaccess_clear(void *dst, size_t n);
long uaccess_strncpy(char *dst, const char *src, size_t max);
int uaccess_cmpxchg32(uint32_t *uaddr, uint32_t old, uint32_t new, uint32_t *cur);

/* True when [ptr, ptr+n) lies wholly below USER_SPACE_END. */
bool access_ok(const void __user *ptr, size_t n)
{
	uint64_t p = (uint64_t)ptr;

	return p <= USER_SPACE_END && n <= USER_SPACE_END - p;
}

/* Copies n bytes from user src; 0, or -EFAULT with the uncopied tail of dst zeroed. */
int copy_from_user(void *dst, const void __user *src, size_t n)
{
	size_t left = n;

	if (access_ok(src, n)) {
		user_access_begin();
		left = uaccess_copy(dst, (const void *)src, n);
		user_access_end();
	}
	if (!left)
		return 0;
	memset((char *)dst + (n - left), 0, left);
	return -EFAULT;
}

/* Copies n bytes to user dst; 0 or -EFAULT (a prefix may have been written). */
int copy_to_user(void __user *dst, const void *src, size_t n)
{
	size_t left;

	if (!access_ok(dst, n))
		return -EFAULT;
	user_access_begin();
	left = uaccess_copy((void *)dst, src, n);
	user_access_end();
	return left ? -EFAULT : 0;
}

/* Zeroes n bytes of user memory; 0 or -EFAULT. */
int clear_user(void __user *dst, size_t n)
{
	size_t left;

	if (!access_ok(dst, n))
		return -EFAULT;
	user_access_begin();
	left = uaccess_clear((void *)dst, n);
	user_access_end();
	return left ? -EFAULT : 0;
}

/* See mm.h: the string's length, -EFAULT, or -ENAMETOOLONG without a NUL in max bytes. */
long strncpy_from_user(char *dst, const char __user *src, size_t max)
{
	uint64_t p = (uint64_t)src;
	size_t limit = max;
	long n;

	if (p >= USER_SPACE_END || !max)
		return max ? -EFAULT : -ENAMETOOLONG;
	if (limit > USER_SPACE_END - p)
		limit = USER_SPACE_END - p;
	user_access_begin();
	n = uaccess_strncpy(dst, (const char *)src, limit);
	user_access_end();
	if (n < 0)
		return n;
	if ((size_t)n < limit)
		return n;
	return limit < max ? -EFAULT : -ENAMETOOLONG;
}

/* See mm.h: an atomic compare-and-exchange of an aligned user word. */
int cmpxchg_user32(uint32_t __user *uaddr, uint32_t old, uint32_t new, uint32_t *cur)
{
	int err;

	if (((uint64_t)uaddr & 3) || !access_ok(uaddr, sizeof(*uaddr)))
		return -EFAULT;
	user_access_begin();
	err = uaccess_cmpxchg32((uint32_t *)uaddr, old, new, cur);
	user_access_end();
	return err;
}
