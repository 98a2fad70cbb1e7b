#ifndef KCAP_CZLIB_SHIM_H
#define KCAP_CZLIB_SHIM_H
#include <zlib.h>
#endif
