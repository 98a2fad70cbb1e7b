#ifndef KCAP_RE2_H
#define KCAP_RE2_H
#include <stddef.h>

/*
 * A C face for RE2 (a linear-time regular expression engine: no backtracking, so no pattern can make a match
 * take longer than time proportional to the text), so Swift can use it without C++ interoperability.
 * Only Analyzer uses it, for the filter language's `regex` operator.
 */

#ifdef __cplusplus
extern "C" {
#endif

/* A compiled pattern. Matching through a const pointer is thread-safe (RE2's guarantee). */
typedef struct kcap_re2 kcap_re2;

/*
 * Compiles `len` bytes of UTF-8 `pattern` with falcosecurity libs' options for the `regex` operator
 * (RE2::POSIX: POSIX egrep syntax, leftmost-longest), without RE2's logging to stderr. Returns NULL only when
 * memory runs out; a pattern that does not compile still returns a handle, whose kcap_re2_error says why.
 */
kcap_re2 *kcap_re2_compile(const char *pattern, size_t len);

/* NULL when the pattern compiled, else RE2's message (such as "missing ): a(b"), owned by `re`. */
const char *kcap_re2_error(const kcap_re2 *re);

/*
 * 1 when the pattern matches all `len` bytes at `bytes` (anchored at both ends, as sysdig's `regex` is),
 * 0 when not or when the pattern did not compile. Allocates nothing once RE2's DFA cache is warm.
 */
int kcap_re2_full_match(const kcap_re2 *re, const void *bytes, size_t len);

/* Frees a handle from kcap_re2_compile; NULL is ignored. */
void kcap_re2_free(kcap_re2 *re);

#ifdef __cplusplus
}
#endif

#endif
