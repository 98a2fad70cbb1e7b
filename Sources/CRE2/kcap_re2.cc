// The extern "C" functions of include/kcap_re2.h over RE2's C++ API.
#include "kcap_re2.h"

#include <new>
#include <re2/re2.h>

struct kcap_re2 {
	re2::RE2 re;
	kcap_re2(const char *pattern, size_t len, const re2::RE2::Options &options)
	    : re(re2::StringPiece(pattern, len), options) {}
};

namespace {
// sysdig (falcosecurity libs' sinsp_filter_check::add_filter_value) compiles `regex` constants with
// RE2::POSIX; errors go to the caller, not to stderr.
re2::RE2::Options filter_options()
{
	re2::RE2::Options options(re2::RE2::POSIX);
	options.set_log_errors(false);
	return options;
}
} // namespace

extern "C" kcap_re2 *kcap_re2_compile(const char *pattern, size_t len)
{
	// RE2 throws only std::bad_alloc; nothing may unwind into Swift.
	try {
		return new kcap_re2(pattern, len, filter_options());
	} catch (...) {
		return nullptr;
	}
}

extern "C" const char *kcap_re2_error(const kcap_re2 *re)
{
	if (re == nullptr)
		return "out of memory";
	return re->re.ok() ? nullptr : re->re.error().c_str();
}

extern "C" int kcap_re2_full_match(const kcap_re2 *re, const void *bytes, size_t len)
{
	if (re == nullptr || !re->re.ok())
		return 0;
	try {
		re2::StringPiece text(static_cast<const char *>(bytes), len);
		return re->re.Match(text, 0, len, re2::RE2::ANCHOR_BOTH, nullptr, 0) ? 1 : 0;
	} catch (...) {
		return 0;
	}
}

extern "C" void kcap_re2_free(kcap_re2 *re)
{
	delete re;
}
