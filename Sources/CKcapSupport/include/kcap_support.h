#ifndef KCAP_SUPPORT_H
#define KCAP_SUPPORT_H
#include <stddef.h>
#include <stdint.h>

/*
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78) of `len` bytes, continuing from `crc` (start with 0;
 * pass a previous result to checksum data in pieces). Uses the CPU's CRC instruction when it has one
 * (SSE4.2 on x86_64, the ARMv8 CRC extension on aarch64) and a slicing-by-8 table otherwise; every path
 * gives the same value.
 */
uint32_t kcap_crc32c(uint32_t crc, const void *data, size_t len);

/* The portable table implementation, exposed so tests can compare it with the hardware path. */
uint32_t kcap_crc32c_portable(uint32_t crc, const void *data, size_t len);

/* 1 when kcap_crc32c uses a CPU instruction, 0 when it uses the table. */
int kcap_crc32c_is_hardware(void);

/*
 * The positions shared with the BPF program's per-CPU buffers (struct kcap_buf_pos): head is loaded with
 * acquire ordering, so the record bytes it covers are read after it; tail is stored with release ordering, so
 * the program never reuses bytes the recorder is still copying. Swift has no ordered access to raw memory.
 */
static inline uint64_t kcap_load_acquire_u64(const void *p)
{
	return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
}

static inline void kcap_store_release_u64(void *p, uint64_t v)
{
	__atomic_store_n((uint64_t *)p, v, __ATOMIC_RELEASE);
}

#endif
