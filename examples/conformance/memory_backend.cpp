// A host's backend under the storage conformance suite (docs/storage.md,
// "Running the conformance suite against your own backend"). Here the
// library's in-memory store stands in for the host's own: a real host opens
// its store instead, a fresh and empty one per call.
#include <complaints/memory_storage.hpp>

#include "storage_conformance.hpp"

std::unique_ptr<complaints::Storage> complaints::conformance::open_storage() {
  return complaints::make_memory_storage();
}
