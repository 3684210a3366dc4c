// complaints/users.hpp - the host's users, as far as notifications need them (SPEC R6).
//
// The host owns its users. It registers those the library should know by
// name: admins (notified of every event), anyone who may be @mentioned, and
// anyone whose notification settings differ from the defaults. Unregistered
// fieldworkers and customers are still notified where the rules say so, with
// the default settings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "complaints/actor.hpp"
#include "complaints/export.hpp"

namespace complaints {

/// Which events a user wants to hear about.
enum class NotifyScope : std::uint8_t {
  all,      ///< every event they are a recipient of
  mine,     ///< only about issues they reported, own, are responsible for, watch, or are the customer of
  replies,  ///< only replies to their comments and mentions of them
};
COMPLAINTS_API const char *to_string(NotifyScope s) noexcept;
COMPLAINTS_API std::optional<NotifyScope> notify_scope_from_string(std::string_view name) noexcept;

struct NotificationSettings {
  NotifyScope scope = NotifyScope::all;
  bool push = true;
  bool sms = false;
  bool email = false;
  friend bool operator==(const NotificationSettings &, const NotificationSettings &) = default;

  /// The defaults: push for staff and fieldworkers, email for customers.
  static NotificationSettings defaults_for(Role role) {
    NotificationSettings s;
    if (role == Role::customer) s.push = false, s.email = true;
    return s;
  }
};

struct User {
  std::string id;
  Role role = Role::office;
  std::string name{};  ///< display name, for messages
  NotificationSettings settings{};
  friend bool operator==(const User &, const User &) = default;
};

}  // namespace complaints
