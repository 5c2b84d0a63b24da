/*
 * clock.c — the monotonic clock from the calibrated TSC and the wall clock: the CMOS
 * RTC (UTC) read once at boot plus the monotonic time since.
 */
#include "arch/x86_64/arch.h"
#include "arch/x86_64/cpu_private.h"
#include "lib/log.h"

#define NSEC_PER_SEC 1000000000ULL

static uint64_t tsc_base;	/* TSC at calibration: monotonic time 0 */
static uint64_t ns_per_tick_fp;	/* nanoseconds per TSC tick, 32.32 fixed point */
static uint64_t mono_last;	/* largest value handed out: keeps CPUs monotonic */
static int64_t realtime_offset;	/* realtime - monotonic, in ns */
/* The coarse clocks: monotonic time at the last tick, advanced in whole ticks as
 * Linux's timekeeper advances its base, so they step by the jiffy. Written by CPU
 * 0's tick only. */
static uint64_t mono_coarse;

#define TICK_NS (NSEC_PER_SEC / TIMER_HZ)

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, 0x80 | reg);		/* bit 7: keep NMIs off while selecting */
	return inb(0x71);
}

static uint8_t bcd(uint8_t v) { return (v & 0x0f) + (v >> 4) * 10; }

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The RTC time in seconds since the epoch; reads until two reads agree. */
static int64_t rtc_read_seconds(void)
{
	uint8_t t[6], prev[6], regb;
	int hour;

	do {
		while (cmos_read(0x0a) & 0x80)	/* update in progress */
			cpu_relax();
		for (int i = 0; i < 6; i++)
			prev[i] = cmos_read((uint8_t[]){ 0, 2, 4, 7, 8, 9 }[i]);
		for (int i = 0; i < 6; i++)
			t[i] = cmos_read((uint8_t[]){ 0, 2, 4, 7, 8, 9 }[i]);
	} while (memcmp(t, prev, sizeof(t)));
	regb = cmos_read(0x0b);
	hour = t[2] & 0x7f;
	if (!(regb & 0x04)) {		/* BCD */
		for (int i = 0; i < 6; i++)
			t[i] = bcd(t[i]);
		hour = bcd(hour);
	}
	if (!(regb & 0x02))		/* 12-hour mode: bit 7 of the hour means PM */
		hour = hour % 12 + (prev[2] & 0x80 ? 12 : 0);
	return days_from_civil(2000 + t[5], t[4], t[3]) * 86400 + hour * 3600 + t[1] * 60 + t[0];
}

/* Starts the clocks from a calibrated TSC frequency; called by interrupts_init. */
void clock_init(uint64_t tsc_hz)
{
	int64_t rtc = rtc_read_seconds();

	tsc_base = rdtsc();
	WRITE_ONCE(ns_per_tick_fp, (NSEC_PER_SEC << 32) / tsc_hz);
	realtime_offset = rtc * (int64_t)NSEC_PER_SEC;
	pr_info("clock: RTC %ld s since the epoch", (long)rtc);
}

/* Nanoseconds since the clocks started; never goes backwards, on any CPU. */
uint64_t clock_monotonic_ns(void)
{
	uint64_t mult = READ_ONCE(ns_per_tick_fp), ns, last;

	if (!mult)
		return 0;
	ns = (uint64_t)(((unsigned __int128)(rdtsc() - tsc_base) * mult) >> 32);
	last = __atomic_load_n(&mono_last, __ATOMIC_RELAXED);
	while (ns > last)
		if (__atomic_compare_exchange_n(&mono_last, &last, ns, false, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return ns;
	return last;
}

/* Advances the coarse clocks to the last whole tick; called by CPU 0's timer tick. */
void clock_tick(void)
{
	uint64_t now = clock_monotonic_ns(), c = mono_coarse;

	if (now >= c + TICK_NS)
		WRITE_ONCE(mono_coarse, c + (now - c) / TICK_NS * TICK_NS);
}

/* CLOCK_MONOTONIC_COARSE: monotonic time at the last tick. */
uint64_t clock_monotonic_coarse_ns(void)
{
	return READ_ONCE(mono_coarse);
}

/* CLOCK_REALTIME_COARSE: wall-clock time at the last tick. */
uint64_t clock_realtime_coarse_ns(void)
{
	return READ_ONCE(mono_coarse) + READ_ONCE(realtime_offset);
}

/* See arch.h: realtime - monotonic. */
int64_t clock_realtime_offset_ns(void)
{
	return READ_ONCE(realtime_offset);
}

/* Wall-clock time in nanoseconds since the epoch (UTC). */
uint64_t clock_realtime_ns(void)
{
	return clock_monotonic_ns() + READ_ONCE(realtime_offset);
}

/* Sets the wall clock (settimeofday/clock_settime); the RTC itself is not written. */
void clock_set_realtime_ns(uint64_t ns)
{
	WRITE_ONCE(realtime_offset, (int64_t)(ns - clock_monotonic_ns()));
}
