// complaints/version.hpp - library version.
#pragma once

#include "complaints/export.hpp"

#define COMPLAINTS_VERSION_MAJOR 0
#define COMPLAINTS_VERSION_MINOR 1
#define COMPLAINTS_VERSION_PATCH 0
/// major * 10000 + minor * 100 + patch
#define COMPLAINTS_VERSION_NUMBER 100
#define COMPLAINTS_VERSION "0.1.0"

namespace complaints {
/// The version of the library actually linked (may differ from the header's).
COMPLAINTS_API int version_number() noexcept;
COMPLAINTS_API const char *version_string() noexcept;
}  // namespace complaints
