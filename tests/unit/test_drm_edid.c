// sources: drm/drm_edid.c drm/drm_modes.c kernel/lib/printf.c
/* Tests of the EDID parser on the EDID QEMU's virtio-gpu gives (the mode list Linux
 * 6.1 builds from it, recorded with drmprime's "modes" run) and on damaged EDIDs. */
#include <stdlib.h>
#include "unit.h"
#include "drm/drm.h"

/* QEMU 7.2's EDID for a 1280x800 scanout (read from Linux's sysfs edid file). */
static const uint8_t qemu_edid[256] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x49, 0x14, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00,
	0x2a, 0x18, 0x01, 0x04, 0xa5, 0x20, 0x14, 0x78, 0x06, 0xee, 0x91, 0xa3, 0x54, 0x4c, 0x99, 0x26,
	0x0f, 0x50, 0x54, 0x21, 0x08, 0x00, 0xe1, 0xc0, 0xd1, 0xc0, 0xd1, 0x00, 0xa9, 0x40, 0xb3, 0x00,
	0x95, 0x00, 0x81, 0x80, 0x81, 0x40, 0xea, 0x29, 0x00, 0xc0, 0x51, 0x20, 0x1c, 0x30, 0x40, 0x26,
	0x44, 0x40, 0x45, 0xcb, 0x10, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00, 0xf7, 0x00, 0x0a, 0x00, 0x40,
	0x82, 0x00, 0x28, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x00, 0x32,
	0x7d, 0x1e, 0xa0, 0xff, 0x01, 0x0a, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x00, 0x00, 0x00, 0xfc,
	0x00, 0x51, 0x45, 0x4d, 0x55, 0x20, 0x4d, 0x6f, 0x6e, 0x69, 0x74, 0x6f, 0x72, 0x0a, 0x01, 0x3a,
	0x02, 0x03, 0x0b, 0x00, 0x46, 0x7d, 0x65, 0x60, 0x59, 0x1f, 0x61, 0x00, 0x00, 0x00, 0x10, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2f,
};

/* Linux 6.1's GETCONNECTOR list for it: name, refresh, clock, h timings, v timings,
 * flags, type. */
static const char *const linux_modes[] = {
	"1280x800 75 clock 107300 h 1280 1600 1638 1728 v 800 804 808 828 flags 0xa type 0x48",
	"5120x2160 50 clock 742500 h 5120 6216 6304 6600 v 2160 2168 2178 2250 flags 0x5 type 0x40",
	"4096x2160 50 clock 594000 h 4096 5064 5152 5280 v 2160 2168 2178 2250 flags 0x5 type 0x40",
	"3840x2160 60 clock 594000 h 3840 4016 4104 4400 v 2160 2168 2178 2250 flags 0x5 type 0x40",
	"3840x2160 60 clock 593407 h 3840 4016 4104 4400 v 2160 2168 2178 2250 flags 0x5 type 0x40",
	"3840x2160 50 clock 594000 h 3840 4896 4984 5280 v 2160 2168 2178 2250 flags 0x5 type 0x40",
	"1920x1440 60 clock 234000 h 1920 2048 2256 2600 v 1440 1441 1444 1500 flags 0x6 type 0x40",
	"2560x1080 50 clock 185625 h 2560 3108 3152 3300 v 1080 1084 1089 1125 flags 0x5 type 0x40",
	"1856x1392 60 clock 218250 h 1856 1952 2176 2528 v 1392 1393 1396 1439 flags 0x6 type 0x40",
	"1792x1344 60 clock 204750 h 1792 1920 2120 2448 v 1344 1345 1348 1394 flags 0x6 type 0x40",
	"2048x1152 60 clock 162000 h 2048 2074 2154 2250 v 1152 1153 1156 1200 flags 0x5 type 0x40",
	"1920x1200 60 clock 193250 h 1920 2056 2256 2592 v 1200 1203 1209 1245 flags 0x6 type 0x40",
	"1920x1080 60 clock 148500 h 1920 2008 2052 2200 v 1080 1084 1089 1125 flags 0xa type 0x40",
	"1920x1080 50 clock 148500 h 1920 2448 2492 2640 v 1080 1084 1089 1125 flags 0x5 type 0x40",
	"1600x1200 60 clock 162000 h 1600 1664 1856 2160 v 1200 1201 1204 1250 flags 0x5 type 0x40",
	"1680x1050 60 clock 146250 h 1680 1784 1960 2240 v 1050 1053 1059 1089 flags 0x6 type 0x40",
	"1400x1050 60 clock 121750 h 1400 1488 1632 1864 v 1050 1053 1057 1089 flags 0x6 type 0x40",
	"1280x1024 60 clock 108000 h 1280 1328 1440 1688 v 1024 1025 1028 1066 flags 0x5 type 0x40",
	"1440x900 60 clock 106500 h 1440 1520 1672 1904 v 900 903 909 934 flags 0x6 type 0x40",
	"1280x960 60 clock 108000 h 1280 1376 1488 1800 v 960 961 964 1000 flags 0x5 type 0x40",
	"1360x768 60 clock 85500 h 1360 1424 1536 1792 v 768 771 777 795 flags 0x5 type 0x40",
	"1280x768 60 clock 79500 h 1280 1344 1472 1664 v 768 771 778 798 flags 0x6 type 0x40",
	"1024x768 60 clock 65000 h 1024 1048 1184 1344 v 768 771 777 806 flags 0xa type 0x40",
	"800x600 60 clock 40000 h 800 840 968 1056 v 600 601 605 628 flags 0x5 type 0x40",
	"640x480 60 clock 25200 h 640 656 752 800 v 480 490 492 525 flags 0xa type 0x40",
	"640x480 60 clock 25175 h 640 656 752 800 v 480 490 492 525 flags 0xa type 0x40",
};

static void format(const struct drm_mode_modeinfo *m, char *buf, size_t size)
{
	snprintf(buf, size, "%s %u clock %u h %u %u %u %u v %u %u %u %u flags %#x type %#x",
		 m->name, m->vrefresh, m->clock, m->hdisplay, m->hsync_start, m->hsync_end,
		 m->htotal, m->vdisplay, m->vsync_start, m->vsync_end, m->vtotal, m->flags, m->type);
}

TEST(edid_qemu_gives_linux_mode_list)
{
	struct drm_mode_modeinfo modes[32];
	unsigned n = drm_edid_modes(qemu_edid, sizeof(qemu_edid), modes, 32);
	char line[160];

	CHECK_EQ(n, sizeof(linux_modes) / sizeof(linux_modes[0]));
	for (unsigned i = 0; i < n && i < sizeof(linux_modes) / sizeof(linux_modes[0]); i++) {
		format(&modes[i], line, sizeof(line));
		CHECK_STR(line, linux_modes[i]);
	}
}

TEST(edid_limits_and_base_block_only)
{
	struct drm_mode_modeinfo modes[32];
	uint8_t copy[256];

	CHECK_EQ(drm_edid_modes(qemu_edid, sizeof(qemu_edid), modes, 3), 3);
	/* without its extension: no CTA modes and no alternates */
	CHECK_EQ(drm_edid_modes(qemu_edid, 128, modes, 32), 18);
	CHECK_EQ(drm_edid_modes(qemu_edid, 200, modes, 32), 18);
	CHECK_EQ(drm_edid_modes(qemu_edid, 127, modes, 32), 0);
	/* an extension with a bad checksum: Linux still takes a CTA block */
	memcpy(copy, qemu_edid, sizeof(copy));
	copy[255] ^= 1;
	CHECK_EQ(drm_edid_modes(copy, sizeof(copy), modes, 32), 26);
}

TEST(edid_rejects_damaged_base_blocks)
{
	struct drm_mode_modeinfo modes[32];
	uint8_t copy[256];

	memcpy(copy, qemu_edid, sizeof(copy));
	copy[127] ^= 1;			/* checksum */
	CHECK_EQ(drm_edid_modes(copy, sizeof(copy), modes, 32), 0);
	memcpy(copy, qemu_edid, sizeof(copy));
	copy[18] = 2;			/* version */
	copy[127] -= 1;
	CHECK_EQ(drm_edid_modes(copy, sizeof(copy), modes, 32), 0);
	memcpy(copy, qemu_edid, sizeof(copy));
	copy[1] = 0;			/* two header bytes wrong still pass */
	copy[2] = 0;
	copy[127] += 0xfe;
	CHECK_EQ(drm_edid_modes(copy, sizeof(copy), modes, 32), 26);
	copy[3] = 0;			/* three do not */
	copy[127] += 0xff;
	CHECK_EQ(drm_edid_modes(copy, sizeof(copy), modes, 32), 0);
	memset(copy, 0, sizeof(copy));
	CHECK_EQ(drm_edid_modes(copy, sizeof(copy), modes, 32), 0);
}

/* Random damage (checksums fixed up so the parser looks further) to heap copies of
 * exactly the EDID's size: ASan catches any read past the end. */
TEST(edid_survives_random_damage)
{
	struct drm_mode_modeinfo modes[32];

	srand(1);
	for (int round = 0; round < 20000; round++) {
		size_t len = 128 * (1 + rand() % 2) - (rand() % 4 == 0 ? rand() % 128 : 0);
		uint8_t *e = malloc(len);
		uint8_t sum = 0;

		memcpy(e, qemu_edid, len);
		for (int k = rand() % 8; k >= 0; k--)
			e[rand() % len] = rand();
		if (len > 126 && rand() % 2)
			e[126] = rand() % 4;
		for (size_t b = 0; b + 128 <= len; b += 128) {
			sum = 0;
			for (int i = 0; i < 127; i++)
				sum += e[b + i];
			e[b + 127] = -sum;
		}
		CHECK(drm_edid_modes(e, len, modes, 32) <= 32);
		free(e);
	}
}
