// complaints/export.hpp - symbol visibility of the public API.
//
// The library is built with hidden visibility; only what is marked
// COMPLAINTS_API (and the C API's complaints_* functions) is exported from
// the shared library.
#pragma once

#if defined(COMPLAINTS_STATIC)
#define COMPLAINTS_API
#elif defined(_WIN32)
#ifdef COMPLAINTS_BUILDING
#define COMPLAINTS_API __declspec(dllexport)
#else
#define COMPLAINTS_API __declspec(dllimport)
#endif
#else
#define COMPLAINTS_API __attribute__((visibility("default")))
#endif
