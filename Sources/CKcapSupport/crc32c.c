/*
 * CRC32C for the capture format's block checksums. Every block is checksummed when written and when read,
 * so this sits on both hot paths: the CPU instruction does ~8 bytes per cycle-ish, the table ~1 byte per
 * cycle. The choice is made once (first call) and cached.
 */
#include "kcap_support.h"
#include <string.h>

#define KCAP_CRC32C_POLY 0x82F63B78u

/* slicing-by-8 tables: table[k][b] is the CRC of byte b followed by k zero bytes. */
static uint32_t crc_table[8][256];
static volatile int crc_table_ready;

static void crc_table_init(void) {
	for (uint32_t b = 0; b < 256; b++) {
		uint32_t c = b;
		for (int k = 0; k < 8; k++) c = (c >> 1) ^ (KCAP_CRC32C_POLY & (0u - (c & 1u)));
		crc_table[0][b] = c;
	}
	for (uint32_t b = 0; b < 256; b++) {
		uint32_t c = crc_table[0][b];
		for (int k = 1; k < 8; k++) {
			c = (c >> 8) ^ crc_table[0][c & 0xff];
			crc_table[k][b] = c;
		}
	}
	/* Building the table twice from two threads is harmless (same values); the flag only saves work. */
	__atomic_store_n(&crc_table_ready, 1, __ATOMIC_RELEASE);
}

uint32_t kcap_crc32c_portable(uint32_t crc, const void *data, size_t len) {
	if (!__atomic_load_n(&crc_table_ready, __ATOMIC_ACQUIRE)) crc_table_init();
	const unsigned char *p = data;
	crc = ~crc;
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8); /* unaligned-safe; the format is little-endian and so are the supported CPUs */
		w ^= crc;
		crc = crc_table[7][w & 0xff] ^ crc_table[6][(w >> 8) & 0xff] ^ crc_table[5][(w >> 16) & 0xff] ^
		      crc_table[4][(w >> 24) & 0xff] ^ crc_table[3][(w >> 32) & 0xff] ^ crc_table[2][(w >> 40) & 0xff] ^
		      crc_table[1][(w >> 48) & 0xff] ^ crc_table[0][(w >> 56) & 0xff];
		p += 8;
		len -= 8;
	}
	while (len--) crc = (crc >> 8) ^ crc_table[0][(crc ^ *p++) & 0xff];
	return ~crc;
}

#if defined(__x86_64__)
#include <cpuid.h>

__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const void *data, size_t len) {
	const unsigned char *p = data;
	uint64_t c = ~crc;
	while (len && ((uintptr_t)p & 7)) {
		c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
		len--;
	}
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		c = __builtin_ia32_crc32di(c, w);
		p += 8;
		len -= 8;
	}
	while (len--) c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
	return ~(uint32_t)c;
}

static int cpu_has_crc(void) {
	unsigned int a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
	return (c & bit_SSE4_2) != 0;
}
#define KCAP_HW_CRC crc32c_sse42

#elif defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

__attribute__((target("crc")))
static uint32_t crc32c_armv8(uint32_t crc, const void *data, size_t len) {
	const unsigned char *p = data;
	uint32_t c = ~crc;
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		c = __builtin_arm_crc32cd(c, w);
		p += 8;
		len -= 8;
	}
	while (len--) c = __builtin_arm_crc32cb(c, *p++);
	return ~c;
}

static int cpu_has_crc(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }
#define KCAP_HW_CRC crc32c_armv8
#endif

/* 0 = not decided yet, 1 = hardware, 2 = table. */
static volatile int crc_impl;

static int crc_choose(void) {
	int impl = 2;
#ifdef KCAP_HW_CRC
	if (cpu_has_crc()) impl = 1;
#endif
	__atomic_store_n(&crc_impl, impl, __ATOMIC_RELAXED);
	return impl;
}

int kcap_crc32c_is_hardware(void) {
	int impl = __atomic_load_n(&crc_impl, __ATOMIC_RELAXED);
	if (!impl) impl = crc_choose();
	return impl == 1;
}

uint32_t kcap_crc32c(uint32_t crc, const void *data, size_t len) {
	int impl = __atomic_load_n(&crc_impl, __ATOMIC_RELAXED);
	if (!impl) impl = crc_choose();
#ifdef KCAP_HW_CRC
	if (impl == 1) return KCAP_HW_CRC(crc, data, len);
#endif
	return kcap_crc32c_portable(crc, data, len);
}
