/*
 * driver.c — a freestanding fuzzer for one target (fuzz.h): mutates seed inputs
 * (bit flips, bytes and 32-bit words set to edge values, mostly in the metadata at
 * the start of the input) and runs the target on each, under ASan and UBSan, for a
 * bounded time. Deterministic for a given -seed.
 *
 *   fuzz_NAME [-time SECONDS] [-seed N] [-save DIR] SEED_FILE...
 *
 * The input being run is kept in memory; when the sanitizers or the target report a
 * bug it is written to DIR/crash-NAME (default .) to be replayed: fuzz_NAME -time 0
 * FILE runs the seeds alone. Prints "PASS NAME (N inputs)" at the end, as unit
 * tests do.
 */
#include "fuzz.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void __sanitizer_set_death_callback(void (*callback)(void));

static const char *target_name;
static const char *save_dir = ".";
static const uint8_t *current;
static size_t current_size;

/* Writes the input being run to save_dir/crash-NAME. */
static void save_current(void)
{
	char path[4096];
	FILE *f;

	if (!current)
		return;
	snprintf(path, sizeof(path), "%s/crash-%s", save_dir, target_name);
	f = fopen(path, "wb");
	if (f) {
		fwrite(current, 1, current_size, f);
		fclose(f);
		fprintf(stderr, "fuzz: input saved as %s\n", path);
	}
}

/* Reports a wrong answer of the target. See fuzz.h. */
void fuzz_bug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("FAIL %s: ", target_name);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
	save_current();
	abort();
}

static uint8_t *load(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "fuzz: cannot read %s\n", path);
		exit(2);
	}
	data = malloc(n);
	if (fread(data, 1, n, f) != (size_t)n)
		exit(2);
	fclose(f);
	*size = n;
	return data;
}

/* An offset, three times in four within the first 64 KiB (superblock, descriptors,
 * bitmaps, inode tables, the first directories). */
static size_t pick(size_t size)
{
	size_t hot = size < 65536 ? size : 65536;

	return (size_t)rand() % (rand() % 4 ? hot : size);
}

static void mutate(uint8_t *data, size_t size)
{
	static const uint32_t edges[] = { 0, 1, 2, 0x7f, 0x80, 0xff, 0xffff, 0x10000,
					  0x7fffffff, 0x80000000, 0xffffffff };
	int n = 1 + rand() % 8;

	for (int i = 0; i < n; i++) {
		size_t at = pick(size);
		uint32_t v;

		switch (rand() % 4) {
		case 0:
			data[at] ^= 1 << (rand() % 8);
			break;
		case 1:
			data[at] = edges[rand() % 6];
			break;
		case 2:
			v = rand() % 2 ? edges[rand() % 11] : (uint32_t)rand();
			at &= ~(size_t)3;
			if (at + 4 <= size)
				memcpy(data + at, &v, 4);
			break;
		default:
			data[at] = rand();
			break;
		}
	}
}

int main(int argc, char **argv)
{
	double limit = 5;
	unsigned seed = 1;
	size_t nseeds = 0, sizes[64], runs = 0;
	uint8_t *seeds[64];
	struct timespec t0, t;

	target_name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-time") && i + 1 < argc)
			limit = atof(argv[++i]);
		else if (!strcmp(argv[i], "-seed") && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-save") && i + 1 < argc)
			save_dir = argv[++i];
		else if (nseeds < 64)
			seeds[nseeds] = load(argv[i], &sizes[nseeds]), nseeds++;
	}
	if (!nseeds) {
		fprintf(stderr, "usage: %s [-time S] [-seed N] [-save DIR] SEED_FILE...\n",
			argv[0]);
		return 2;
	}
	__sanitizer_set_death_callback(save_current);
	srand(seed);
	for (size_t i = 0; i < nseeds; i++, runs++) {
		current = seeds[i], current_size = sizes[i];
		LLVMFuzzerTestOneInput(current, current_size);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		size_t k = rand() % nseeds;
		uint8_t *input = malloc(sizes[k]);

		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 >= limit) {
			free(input);
			break;
		}
		memcpy(input, seeds[k], sizes[k]);
		mutate(input, sizes[k]);
		current = input, current_size = sizes[k];
		LLVMFuzzerTestOneInput(input, sizes[k]);
		current = NULL;
		free(input);
		runs++;
	}
	for (size_t i = 0; i < nseeds; i++)
		free(seeds[i]);
	printf("PASS %s (%zu inputs in %.0f s, seed %u)\n", target_name, runs, limit, seed);
	return 0;
}
