/*
 * log.c — the kernel log ring and console fan-out (see log.h).
 *
 * Records live in a ring of fixed slots; the oldest is overwritten when it is full
 * (long lines are cut to LOG_TEXT_MAX in the ring, not on the consoles). log_lock protects the ring and the console list; it is taken
 * with interrupts off because interrupt handlers log too.
 */
#include "lib/log.h"
#include "lib/spinlock.h"
#include "arch/x86_64/arch.h"

#define LOG_RECORDS 2048
#define LOG_TEXT_MAX 240
#define LOG_LINE_MAX 512

/* One slot of the ring; slot seq % LOG_RECORDS holds record seq. */
struct log_record {
	uint64_t seq;
	uint64_t usec;		/* monotonic time of the record */
	uint16_t len;		/* text bytes, not terminated */
	uint8_t level;
	char text[LOG_TEXT_MAX];
};

static struct log_record log_ring[LOG_RECORDS];
static uint64_t log_head_seq, log_tail_seq;	/* oldest record kept, next record */
static spinlock_t log_lock = SPINLOCK_INIT("log");
static LIST_HEAD(consoles);
int console_level = LOG_DEBUG;

/* Appends one record, overwriting the oldest when the ring is full; needs log_lock. */
static void store_locked(int level, const char *text, size_t len)
{
	struct log_record *r = &log_ring[log_tail_seq % LOG_RECORDS];

	r->seq = log_tail_seq++;
	r->usec = clock_monotonic_ns() / 1000;
	r->len = MIN(len, LOG_TEXT_MAX);
	r->level = level;
	memcpy(r->text, text, r->len);
	if (log_tail_seq - log_head_seq > LOG_RECORDS)
		log_head_seq = log_tail_seq - LOG_RECORDS;
}

void vklog(int level, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX + 32];
	int len, prefix;
	uint64_t flags, ns = clock_monotonic_ns();
	struct console *con;

	prefix = ksnprintf(line, sizeof(line), "[%5lu.%06lu] ",
			   (unsigned long)(ns / 1000000000), (unsigned long)(ns / 1000 % 1000000));
	len = kvsnprintf(line + prefix, LOG_LINE_MAX, fmt, ap);
	if (len >= LOG_LINE_MAX)
		len = LOG_LINE_MAX - 1;
	while (len > 0 && line[prefix + len - 1] == '\n')
		len--;

	flags = spin_lock_irqsave(&log_lock);
	store_locked(level, line + prefix, len);
	if ((level & 7) <= console_level) {	/* bits 3+: a syslog facility */
		line[prefix + len] = '\n';
		list_for_each_entry(con, &consoles, link)
			con->write(con, line, prefix + len + 1);
	}
	spin_unlock_irqrestore(&log_lock, flags);
}

void klog(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vklog(level, fmt, ap);
	va_end(ap);
}

void console_register(struct console *con)
{
	uint64_t flags = spin_lock_irqsave(&log_lock);

	list_add_tail(&con->link, &consoles);
	spin_unlock_irqrestore(&log_lock, flags);
}

void console_unregister(struct console *con)
{
	uint64_t flags = spin_lock_irqsave(&log_lock);

	list_del(&con->link);
	spin_unlock_irqrestore(&log_lock, flags);
}

/* Finds the record with the smallest sequence >= seq; needs log_lock. */
static struct log_record *find_locked(uint64_t seq)
{
	if (seq < log_head_seq)
		seq = log_head_seq;
	if (seq >= log_tail_seq)
		return NULL;
	return &log_ring[seq % LOG_RECORDS];
}

static int read_record(uint64_t *seq, char *buf, size_t size, bool kmsg)
{
	uint64_t flags = spin_lock_irqsave(&log_lock);
	struct log_record *r = find_locked(*seq);
	int n = 0;

	if (r) {
		if (kmsg)
			n = ksnprintf(buf, size, "%u,%lu,%lu,-;%.*s\n", r->level,
				      (unsigned long)r->seq, (unsigned long)r->usec, r->len, r->text);
		else
			n = ksnprintf(buf, size, "<%u>[%5lu.%06lu] %.*s\n", r->level,
				      (unsigned long)(r->usec / 1000000),
				      (unsigned long)(r->usec % 1000000), r->len, r->text);
		if ((size_t)n >= size)
			n = -EINVAL;
		else
			*seq = r->seq + 1;
	}
	spin_unlock_irqrestore(&log_lock, flags);
	return n;
}

int log_read_kmsg(uint64_t *seq, char *buf, size_t size)
{
	return read_record(seq, buf, size, true);
}

int log_read_syslog(uint64_t *seq, char *buf, size_t size)
{
	return read_record(seq, buf, size, false);
}

uint64_t log_first_seq(void)
{
	return READ_ONCE(log_head_seq);
}

uint64_t log_next_seq(void)
{
	return READ_ONCE(log_tail_seq);
}

void log_clear(void)
{
	uint64_t flags = spin_lock_irqsave(&log_lock);

	log_head_seq = log_tail_seq;
	spin_unlock_irqrestore(&log_lock, flags);
}
