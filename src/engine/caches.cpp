#include "engine/caches.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "complaints/errors.hpp"
#include "domain/check.hpp"
#include "json/json.hpp"

namespace complaints::engine {

void Caches::sync(Op &op) {
  if (synced_op_ == op.serial) return;
  std::string revision = op.txn.setting(messages::revision_key).value_or("0");
  if (revision != revision_) {
    forget();
    revision_ = std::move(revision);
  }
  synced_op_ = op.serial;
}

const Workflow &Caches::workflow(Op &op, std::string_view name) {
  sync(op);
  if (auto it = workflows_.find(name); it != workflows_.end()) return it->second;
  auto stored = op.txn.workflow(name);
  if (!stored) throw NotFound(fmt::format("no workflow named '{}'", check::excerpt(name)), "workflow");
  try {
    ValidationContext ctx{op.txn.message_template_names()};
    return workflows_.emplace(std::string(name), Workflow::from_json(stored->json, ctx)).first->second;
  } catch (const InvalidWorkflow &e) {
    throw StorageError(fmt::format("stored workflow '{}' no longer validates: {}", name, e.what()));
  }
}

messages::Library &Caches::library(Op &op) {
  sync(op);
  return library_;
}

const MessageSettings &Caches::message_settings(Op &op) {
  sync(op);
  if (!message_settings_) message_settings_ = messages::load_settings(op.txn);
  return *message_settings_;
}

bool Caches::is_issue_type(Op &op, std::string_view name) {
  sync(op);
  if (!issue_types_) issue_types_ = op.txn.issue_types();
  return std::any_of(issue_types_->begin(), issue_types_->end(), [&](const IssueType &t) { return t.name == name; });
}

const timing::Calendar &Caches::calendar(Op &op) {
  sync(op);
  if (!calendar_) {
    BusinessCalendar source;
    if (auto text = op.txn.setting(calendar_key)) {
      try {
        source = json::read_calendar(json::parse(*text, "calendar"));
      } catch (const Error &e) {
        throw StorageError(fmt::format("the stored business calendar is corrupt: {}", e.what()));
      }
    }
    try {
      calendar_ = timing::Calendar::make(source);
    } catch (const InvalidInput &e) {
      // A time zone the system's database no longer knows, most likely.
      throw StorageError(fmt::format("the stored business calendar no longer holds: {}", e.what()));
    }
  }
  return *calendar_;
}

void Caches::bump_revision(Op &op) {
  std::string current = op.txn.setting(messages::revision_key).value_or("0");
  std::int64_t next = 1;
  try {
    next = std::stoll(current) + 1;
  } catch (const std::exception &) {
    throw StorageError(fmt::format("the stored settings revision '{}' is not a number", check::excerpt(current)));
  }
  op.txn.put_setting(messages::revision_key, std::to_string(next));
  // Forget everything, and read the new revision at the next use in any operation.
  synced_op_ = 0;
  revision_.clear();
  forget();
}

void Caches::forget() noexcept {
  workflows_.clear();
  message_settings_.reset();
  calendar_.reset();
  issue_types_.reset();
  library_.clear();
  users_.clear();
}

void Caches::store_workflow(Op &op, const Workflow &wf) {
  auto existing = op.txn.workflow(wf.name());
  op.txn.put_workflow({wf.name(), wf.to_json(), existing ? existing->revision + 1 : 1});
  bump_revision(op);
}

}  // namespace complaints::engine
