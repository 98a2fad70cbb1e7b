#ifndef KCAP_CZSTD_SHIM_H
#define KCAP_CZSTD_SHIM_H
#include <zstd.h>
#endif
