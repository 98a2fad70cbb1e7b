/* The C view of bpf/kcap_abi.h, so tests can compare Swift's offsets with the compiler's. */
#include "kcap_abi.h"
