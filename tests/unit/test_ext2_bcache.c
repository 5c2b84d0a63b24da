// sources: kernel/fs/ext2/ext2_bcache.c
/*
 * Tests of ext2's metadata block cache over a fake disk of host memory: reads are
 * cached, writes wait for a flush, file data written past the cache forgets the
 * cached copy and data read past it sees the cached copies, a full cache writes its
 * oldest dirty block to make room, failed writes stay dirty, failed reads are not
 * cached, and nothing is leaked (ASan).
 */
#include <stdlib.h>
#include "unit.h"
#include "fs/ext2/ext2_bcache.h"
#include "mm/mm.h"

#define BS 1024u
#define DISK_BLOCKS (EXT2_BCACHE_MAX + 64)

static uint8_t disk[DISK_BLOCKS][BS];
static int disk_reads, disk_writes, fail_reads, fail_writes;

void *kmalloc(size_t n) { return malloc(n); }
void kfree(void *p) { free(p); }

static int disk_read(void *ctx, uint32_t block, void *buf)
{
	if (fail_reads) {
		fail_reads--;
		return -EIO;
	}
	disk_reads++;
	memcpy(buf, disk[block], BS);
	return 0;
}

static int disk_write(void *ctx, uint32_t block, const void *buf)
{
	if (fail_writes) {
		fail_writes--;
		return -EIO;
	}
	disk_writes++;
	memcpy(disk[block], buf, BS);
	return 0;
}

/* A fresh file system view with an empty cache over a disk whose block n is all n. */
static void setup(struct ext2_bcache *bc)
{
	memset(bc, 0, sizeof(*bc));
	bc->block_size = BS;
	bc->disk_read = disk_read;
	bc->disk_write = disk_write;
	for (unsigned i = 0; i < DISK_BLOCKS; i++)
		memset(disk[i], i & 0xff, BS);
	disk_reads = disk_writes = fail_reads = fail_writes = 0;
	CHECK_EQ(ext2_bcache_init(bc), 0);
}

static bool filled(const uint8_t *buf, uint8_t v)
{
	for (unsigned i = 0; i < BS; i++)
		if (buf[i] != v)
			return false;
	return true;
}

TEST(bcache_reads_once_and_writes_at_flush)
{
	struct ext2_bcache bc;
	uint8_t buf[BS];

	setup(&bc);
	CHECK_EQ(ext2_bcache_read(&bc, 7, buf), 0);
	CHECK(filled(buf, 7));
	CHECK_EQ(ext2_bcache_read(&bc, 7, buf), 0);
	CHECK_EQ(disk_reads, 1);
	memset(buf, 0xaa, BS);
	CHECK_EQ(ext2_bcache_write(&bc, 7, buf), 0);
	CHECK_EQ(ext2_bcache_write(&bc, 9, buf), 0);
	CHECK_EQ(disk_writes, 0);
	CHECK(filled(disk[7], 7));
	memset(buf, 0, BS);
	CHECK_EQ(ext2_bcache_read(&bc, 9, buf), 0);
	CHECK(filled(buf, 0xaa));
	CHECK_EQ(bc.dirty, 2);
	CHECK_EQ(ext2_bcache_flush(&bc), 0);
	CHECK_EQ(disk_writes, 2);
	CHECK(filled(disk[7], 0xaa) && filled(disk[9], 0xaa));
	CHECK_EQ(ext2_bcache_flush(&bc), 0);
	CHECK_EQ(disk_writes, 2);
	ext2_bcache_destroy(&bc);
}

TEST(bcache_file_data_wins_over_cached_copies)
{
	struct ext2_bcache bc;
	uint8_t buf[BS], run[3 * BS];

	setup(&bc);
	memset(buf, 0x11, BS);
	CHECK_EQ(ext2_bcache_write(&bc, 20, buf), 0);	/* metadata, then freed */
	memset(buf, 0x22, BS);
	CHECK_EQ(ext2_bcache_write_around(&bc, 20, buf), 0);	/* reused for file data */
	CHECK_EQ(ext2_bcache_flush(&bc), 0);
	CHECK(filled(disk[20], 0x22));
	CHECK_EQ(bc.count, 0);
	/* A dirty copy is newer than the disk for a read past the cache. */
	memset(buf, 0x33, BS);
	CHECK_EQ(ext2_bcache_write(&bc, 31, buf), 0);
	memcpy(run, disk[30], sizeof(run));
	ext2_bcache_overlay(&bc, 30, 3, run);
	CHECK(filled(run, 30) && filled(run + BS, 0x33) && filled(run + 2 * BS, 32));
	ext2_bcache_destroy(&bc);
}

TEST(bcache_full_writes_the_oldest_dirty_block)
{
	struct ext2_bcache bc;
	uint8_t buf[BS];

	setup(&bc);
	memset(buf, 0x44, BS);
	CHECK_EQ(ext2_bcache_write(&bc, 1, buf), 0);
	for (unsigned b = 2; b < EXT2_BCACHE_MAX + 10; b++)
		CHECK_EQ(ext2_bcache_read(&bc, b, buf), 0);
	CHECK_EQ(bc.count, EXT2_BCACHE_MAX);
	CHECK_EQ(disk_writes, 1);
	CHECK(filled(disk[1], 0x44));
	CHECK_EQ(bc.dirty, 0);
	ext2_bcache_destroy(&bc);
}

TEST(bcache_io_errors_keep_dirty_and_cache_nothing)
{
	struct ext2_bcache bc;
	uint8_t buf[BS];

	setup(&bc);
	fail_reads = 1;
	CHECK_EQ(ext2_bcache_read(&bc, 5, buf), -EIO);
	CHECK_EQ(bc.count, 0);
	CHECK_EQ(ext2_bcache_read(&bc, 5, buf), 0);
	CHECK(filled(buf, 5));
	memset(buf, 0x55, BS);
	CHECK_EQ(ext2_bcache_write(&bc, 5, buf), 0);
	fail_writes = 1;
	CHECK_EQ(ext2_bcache_flush(&bc), -EIO);
	CHECK_EQ(bc.dirty, 1);
	CHECK(filled(disk[5], 5));
	CHECK_EQ(ext2_bcache_flush(&bc), 0);
	CHECK(filled(disk[5], 0x55));
	CHECK_EQ(bc.dirty, 0);
	ext2_bcache_destroy(&bc);
}
