// The storage conformance suite's one hook: the backend under test.
//
// The suite (storage_conformance.cpp, beside this header) checks the
// contract of complaints/storage.hpp against whatever store open_storage()
// returns. A host with a backend of its own defines open_storage() in a
// source file and builds both into a doctest executable with the CMake
// function complaints_add_storage_conformance (docs/storage.md, "Running the
// conformance suite against your own backend"); the library runs the same
// suite on its memory and SQLite backends the same way.
#pragma once

#include <memory>

#include <complaints/errors.hpp>
#include <complaints/storage.hpp>

namespace complaints::conformance {

/// Defined by the host: a new, empty store, which no other call's store
/// shares (each test case opens one and drops it at its end). May throw; the
/// case then fails. Called from the test thread only.
std::unique_ptr<Storage> open_storage();

}  // namespace complaints::conformance
