// The state of one Desk operation while its transaction is open.
#pragma once

#include <vector>

#include "complaints/clock.hpp"
#include "complaints/event.hpp"
#include "complaints/storage.hpp"

namespace complaints {

struct Op {
  StorageTransaction &txn;
  Timestamp now;
  /// Fired, in order, after the transaction commits; dropped if it does not.
  std::vector<Event> events;
};

}  // namespace complaints
