// Internal to the library and its own tools: what the in-memory backend
// offers beyond make_memory_storage (complaints/memory_storage.hpp).
#pragma once

#include <memory>

#include "complaints/memory_storage.hpp"

namespace complaints {

/// A new in-memory store holding a copy of everything in `source`, which must
/// be one make_memory_storage made (else StorageError) and have no write
/// transaction open in this thread (the copy takes its lock). The fuzz targets
/// set a desk up once and start each input from a copy of its store.
std::unique_ptr<Storage> copy_memory_storage(Storage &source);

}  // namespace complaints
