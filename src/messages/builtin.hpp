// The templates shipped with the library.
#pragma once

#include <span>
#include <string_view>

#include "complaints/messages.hpp"

namespace complaints::messages {

/// A built-in template, or nullptr.
const MessageTemplate *builtin(std::string_view name) noexcept;
std::span<const MessageTemplate> builtin_templates() noexcept;

}  // namespace complaints::messages
