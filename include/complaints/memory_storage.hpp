// complaints/memory_storage.hpp - the in-memory backend.
//
// Plain containers under one mutex, for hosts' unit tests and small
// throw-away desks: nothing reaches a disk and nothing survives the store.
// It implements the whole interface of complaints/storage.hpp and passes the
// same conformance suite as SQLite (docs/storage.md).
//
// Thread-safety: as every Storage (complaints/storage.hpp): one thread at a
// time, one transaction open at once. (A transaction holds the store's mutex
// from begin to commit or destruction.)
#pragma once

#include <memory>

#include "complaints/export.hpp"
#include "complaints/storage.hpp"

namespace complaints {

/// A new, empty in-memory store. Everything is lost when it is destroyed.
/// Never throws but std::bad_alloc.
COMPLAINTS_API std::unique_ptr<Storage> make_memory_storage();

}  // namespace complaints
