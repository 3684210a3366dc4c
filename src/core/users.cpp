#include "core/users.hpp"

namespace complaints {

namespace {
// Enough for every person a business deals with in a while; past it the cache starts again.
constexpr std::size_t max_cached = 20000;
}  // namespace

const User *UserCache::find(StorageTransaction &txn, std::string_view id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) {
    if (by_id_.size() >= max_cached) by_id_.clear();
    it = by_id_.emplace(std::string(id), txn.user(id)).first;
  }
  return it->second ? &*it->second : nullptr;
}

const std::vector<User> &UserCache::admins(StorageTransaction &txn) {
  if (!admins_) admins_ = txn.users_with_role(Role::admin);
  return *admins_;
}

}  // namespace complaints
