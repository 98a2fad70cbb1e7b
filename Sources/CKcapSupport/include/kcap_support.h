#ifndef KCAP_SUPPORT_H
#define KCAP_SUPPORT_H
#include <stddef.h>
#include <stdint.h>
/* CRC32C (Castagnoli) of `len` bytes, continuing from `crc` (start with 0). */
uint32_t kcap_crc32c(uint32_t crc, const void *data, size_t len);
#endif
