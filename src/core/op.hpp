// The state of one Desk operation while its transaction is open.
#pragma once

#include <cstdint>
#include <vector>

#include "complaints/clock.hpp"
#include "complaints/event.hpp"
#include "complaints/storage.hpp"
#include "core/users.hpp"

namespace complaints {

namespace engine {
class Caches;
}

struct Op {
  StorageTransaction &txn;
  Timestamp now;
  /// Fired, in order, after the transaction commits; dropped if it does not.
  std::vector<Event> events{};
  /// The desk's settings caches (engine/caches.hpp).
  engine::Caches *caches = nullptr;
  /// Tells operations apart (never 0), so caches check the settings once per operation.
  std::uint64_t serial = 1;
  /// The registered users: in a write, cached across operations while the
  /// settings revision holds (the desk checks it as the write begins); in a
  /// read, cached for this operation only. Never null.
  UserCache *users = nullptr;
};

}  // namespace complaints
