// The users a desk knows (Desk::put_user), read at most once per settings
// revision: every change that tells people something looks its recipients
// up, and users change rarely. Registering or changing a user bumps the
// revision, in any process, which clears this cache (engine/caches.hpp).
//
// Thread-safety: none; the Desk serializes operations.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "complaints/storage.hpp"
#include "complaints/users.hpp"

namespace complaints {

class UserCache {
 public:
  /// The registered user `id`, or nullptr. Valid until the cache is cleared.
  const User *find(StorageTransaction &txn, std::string_view id);
  /// The registered admins, by id.
  const std::vector<User> &admins(StorageTransaction &txn);
  void clear() noexcept {
    by_id_.clear();
    admins_.reset();
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::optional<User>, Hash, std::equal_to<>> by_id_;
  std::optional<std::vector<User>> admins_;
};

}  // namespace complaints
