// complaints/actor.hpp - who is calling.
//
// Every call that reads or changes data names an Actor. The host vouches for
// the actor (it owns authentication); the library enforces what the actor's
// role and permissions allow, and refuses the rest with Forbidden.
#pragma once

#include "complaints/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace complaints {

enum class Role : std::uint8_t { admin, supervisor, office, fieldworker, customer, system };

/// "admin", "supervisor", ...
COMPLAINTS_API const char *to_string(Role role) noexcept;
/// Inverse of to_string; nullopt for an unknown name.
COMPLAINTS_API std::optional<Role> role_from_string(std::string_view name) noexcept;

/// True for the roles that work for the business (admin, supervisor, office, system).
constexpr bool is_staff(Role r) noexcept {
  return r == Role::admin || r == Role::supervisor || r == Role::office || r == Role::system;
}

/// Permissions granted by the host. Roles never imply permissions: an admin
/// without delete_issues cannot delete. Nor do permissions widen a role: one
/// counts only on a role the call allows (a fieldworker holding
/// release_payment releases nothing). docs/permissions.md has the table.
enum class Permission : std::uint32_t {
  delete_issues = 1u << 0,
  release_payment = 1u << 1,
  edit_issues = 1u << 2,
  manage_settings = 1u << 3,
};

COMPLAINTS_API const char *to_string(Permission p) noexcept;
COMPLAINTS_API std::optional<Permission> permission_from_string(std::string_view name) noexcept;

/// A set of permissions.
class Permissions {
 public:
  constexpr Permissions() = default;
  constexpr Permissions(std::initializer_list<Permission> ps) {
    for (auto p : ps) bits_ |= static_cast<std::uint32_t>(p);
  }
  static constexpr Permissions from_bits(std::uint32_t bits) { Permissions p; p.bits_ = bits; return p; }
  static constexpr Permissions all() { return from_bits(0xF); }

  constexpr bool has(Permission p) const { return (bits_ & static_cast<std::uint32_t>(p)) != 0; }
  constexpr bool has_all(Permissions other) const { return (bits_ & other.bits_) == other.bits_; }
  constexpr Permissions &add(Permission p) { bits_ |= static_cast<std::uint32_t>(p); return *this; }
  constexpr std::uint32_t bits() const { return bits_; }
  constexpr bool empty() const { return bits_ == 0; }
  friend constexpr bool operator==(Permissions, Permissions) = default;

 private:
  std::uint32_t bits_ = 0;
};

/// The caller of an operation: the host's user id, a role and permissions.
struct Actor {
  std::string id;
  Role role = Role::office;
  Permissions permissions;

  bool can(Permission p) const { return permissions.has(p); }
  friend bool operator==(const Actor &, const Actor &) = default;
};

}  // namespace complaints
