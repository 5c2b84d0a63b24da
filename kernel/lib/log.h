/*
 * log.h — the kernel log: leveled records in a ring buffer, copied to every
 * registered console (serial first, the framebuffer console later). User space reads
 * the records through /dev/kmsg and syslog(2).
 */
#ifndef LUMEN_LOG_H
#define LUMEN_LOG_H

#include "lib/lib.h"

/* Linux's levels: 0 emergency .. 7 debug. */
enum { LOG_EMERG, LOG_ALERT, LOG_CRIT, LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG };

/* level may carry a syslog facility above the low 3 bits (facility << 3 | level), as
 * /dev/kmsg writes from user space do; records keep it, consoles look at the level. */
void klog(int level, const char *fmt, ...) __printf(2, 3);
void vklog(int level, const char *fmt, va_list ap);
#define pr_emerg(...) klog(LOG_EMERG, __VA_ARGS__)
#define pr_err(...) klog(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) klog(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...) klog(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...) klog(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) klog(LOG_DEBUG, __VA_ARGS__)

/* A console gets every log line whose level is at or below console_level. */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *text, size_t len);
	struct list_head link;	/* in the console list, under the log lock */
};
void console_register(struct console *con);
void console_unregister(struct console *con);
/* Level at or below which records are printed on consoles (syslog(2) can change it). */
extern int console_level;

/*
 * Reading records back. Records have increasing sequence numbers; log_read formats
 * the first record with sequence >= *seq the way /dev/kmsg does
 * ("level,seq,usec,-;text\n") and advances *seq past it. Returns the length written,
 * 0 when there is no such record yet, or -EINVAL when buf is too small.
 */
int log_read_kmsg(uint64_t *seq, char *buf, size_t size);
/* Sequence number of the oldest record still in the ring, and of the next record. */
uint64_t log_first_seq(void);
uint64_t log_next_seq(void);
/* Same, in syslog(2)'s "<level>[seconds.micros] text\n" format. */
int log_read_syslog(uint64_t *seq, char *buf, size_t size);
/* Drops every record (syslog's CLEAR). */
void log_clear(void);

/* Stops the machine after printing "KERNEL PANIC: <msg>", registers and a backtrace. */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);
/* Prints a symbolized backtrace starting from frame pointer rbp. */
void backtrace_print(uint64_t rip, uint64_t rbp);
/* Finds the function containing addr; returns its name and sets *offset, or NULL. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);

#define BUG_ON(cond) do { if (unlikely(cond)) panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); } while (0)

#endif
