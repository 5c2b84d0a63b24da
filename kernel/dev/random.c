/*
 * random.c — the kernel's random numbers: a ChaCha20 generator with fast key
 * erasure (each request ends by replacing the key with fresh output), seeded from
 * RDSEED/RDRAND when the CPU has them, TSC jitter and the wall clock. Serves
 * random_bytes() (AT_RANDOM, getrandom) and /dev/random, /dev/urandom.
 */
#include "dev/dev.h"
#include "dev/devices.h"
#include "arch/x86_64/arch.h"
#include "fs/vfs.h"
#include "lib/spinlock.h"
#include "proc/proc.h"

#define CHACHA_BLOCK 64

/* The generator. `lock` protects key and counter; taken with interrupts off so
 * interrupt handlers may ask for random bytes too. */
static struct {
	spinlock_t lock;
	uint32_t key[8];
	uint64_t counter;
	bool seeded;
} rng = { .lock = SPINLOCK_INIT("random") };

static inline uint32_t rotl32(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

#define QUARTER(a, b, c, d) do {			\
	a += b; d ^= a; d = rotl32(d, 16);		\
	c += d; b ^= c; b = rotl32(b, 12);		\
	a += b; d ^= a; d = rotl32(d, 8);		\
	c += d; b ^= c; b = rotl32(b, 7);		\
} while (0)

/* One ChaCha20 block (RFC 8439 layout, 64-bit counter, zero nonce). */
static void chacha20_block(const uint32_t key[8], uint64_t counter, uint32_t out[16])
{
	uint32_t x[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };

	memcpy(&x[4], key, 32);
	x[12] = (uint32_t)counter;
	x[13] = (uint32_t)(counter >> 32);
	x[14] = x[15] = 0;
	memcpy(out, x, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QUARTER(out[0], out[4], out[8], out[12]);
		QUARTER(out[1], out[5], out[9], out[13]);
		QUARTER(out[2], out[6], out[10], out[14]);
		QUARTER(out[3], out[7], out[11], out[15]);
		QUARTER(out[0], out[5], out[10], out[15]);
		QUARTER(out[1], out[6], out[11], out[12]);
		QUARTER(out[2], out[7], out[8], out[13]);
		QUARTER(out[3], out[4], out[9], out[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] += x[i];
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* One word from RDSEED (seed = true) or RDRAND; false when the CPU gave none. */
static bool cpu_random(bool seed, uint64_t *v)
{
	for (int i = 0; i < 16; i++) {
		bool ok;

		if (seed)
			__asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
		else
			__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* Replaces the key with output keyed by the old key; needs rng.lock. */
static void rekey_locked(void)
{
	uint32_t block[16];

	chacha20_block(rng.key, rng.counter++, block);
	memcpy(rng.key, block, sizeof(rng.key));
	memset(block, 0, sizeof(block));
}

/* XORs n bytes into the key and rekeys; needs rng.lock. */
static void mix_locked(const void *data, size_t n)
{
	const uint8_t *p = data;

	while (n > 0) {
		size_t chunk = MIN(n, sizeof(rng.key));

		for (size_t i = 0; i < chunk; i++)
			((uint8_t *)rng.key)[i] ^= p[i];
		rekey_locked();
		p += chunk;
		n -= chunk;
	}
}

/* Gathers the seed material the machine has; needs rng.lock. */
static void seed_locked(void)
{
	uint32_t r[4];
	bool has_rdrand, has_rdseed = false;
	uint64_t words[12];

	cpuid(1, 0, r);
	has_rdrand = r[2] & (1u << 30);
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		has_rdseed = r[1] & (1u << 18);
	}
	for (int i = 0; i < 8; i++) {
		uint64_t t0 = rdtsc(), v = 0;

		if (!(has_rdseed && cpu_random(true, &v)) && has_rdrand)
			cpu_random(false, &v);
		words[i] = v ^ (rdtsc() - t0) << 32 ^ rdtsc();
	}
	words[8] = clock_realtime_ns();
	words[9] = clock_monotonic_ns();
	words[10] = rdtsc();
	words[11] = (uint64_t)&words;
	mix_locked(words, sizeof(words));
	rng.seeded = true;
}

void random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint32_t block[16];
	uint64_t flags = spin_lock_irqsave(&rng.lock), tsc = rdtsc();

	if (!rng.seeded)
		seed_locked();
	mix_locked(&tsc, sizeof(tsc));
	while (n > 0) {
		size_t chunk = MIN(n, (size_t)CHACHA_BLOCK);

		chacha20_block(rng.key, rng.counter++, block);
		memcpy(p, block, chunk);
		p += chunk;
		n -= chunk;
	}
	rekey_locked();
	memset(block, 0, sizeof(block));
	spin_unlock_irqrestore(&rng.lock, flags);
}

/* /dev/random and /dev/urandom: never block once seeded, which is at first use. */
static ssize_t random_read(struct file *file, struct iobuf *buf, off_t *pos)
{
	char chunk[256];
	size_t done = 0;
	int err;

	while (done < buf->len) {
		size_t n = MIN(buf->len - done, sizeof(chunk));

		if (done && signal_pending_current())
			break;
		random_bytes(chunk, n);
		err = iobuf_copy_out(buf, done, chunk, n);
		if (err)
			return done ? (ssize_t)done : err;
		done += n;
	}
	memset(chunk, 0, sizeof(chunk));
	return done;
}

/* Writes are mixed into the key (they never reduce what the generator knows). */
static ssize_t random_write(struct file *file, const struct iobuf *buf, off_t *pos)
{
	char chunk[256];
	size_t done = 0;
	uint64_t flags;
	int err;

	while (done < buf->len) {
		size_t n = MIN(buf->len - done, sizeof(chunk));

		err = iobuf_copy_in(chunk, buf, done, n);
		if (err)
			return done ? (ssize_t)done : err;
		flags = spin_lock_irqsave(&rng.lock);
		mix_locked(chunk, n);
		spin_unlock_irqrestore(&rng.lock, flags);
		done += n;
	}
	return done;
}

static unsigned random_poll(struct file *file, struct poll_table *pt)
{
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

const struct file_operations random_fops = {
	.read = random_read,
	.write = random_write,
	.poll = random_poll,
};
