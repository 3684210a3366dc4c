// Internal to the library and its own tools (not installed, not exported):
// C handles and the C++ Desk they wrap. The C API fuzz target opens each
// input's desk over a copy of a store it set up once, and reads the store's
// dump and verifies timelines through the Desk around calls made through
// complaints.h.
#pragma once

#include <memory>

#include "complaints.h"
#include "complaints/clock.hpp"
#include "complaints/desk.hpp"
#include "complaints/storage.hpp"

namespace complaints::capi {

/// The Desk behind `handle` (which must be a live handle, not NULL); it lives
/// as long as the store's last handle.
Desk &desk_of(complaints_desk *handle) noexcept;

/// A handle on a new desk over `storage`, as complaints_desk_open_* make one:
/// with `clock` (may be null: the system clock) as the clock
/// complaints_desk_set_clock moves. Close it with complaints_desk_close.
/// Throws what the Desk constructor throws.
complaints_desk *open_desk(std::unique_ptr<Storage> storage, std::shared_ptr<ManualClock> clock);

}  // namespace complaints::capi
