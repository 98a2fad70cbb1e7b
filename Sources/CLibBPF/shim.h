#ifndef KCAP_CLIBBPF_SHIM_H
#define KCAP_CLIBBPF_SHIM_H
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#endif
