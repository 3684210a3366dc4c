// The JSON documents of the C API (docs/c-api.md): a fast writer for what the
// library returns, and strict readers for what hosts send. Readers throw
// InvalidInput naming the field ("record.kind") for a missing, mistyped or
// unknown key; writers never fail.
#pragma once

#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "complaints/calendar.hpp"
#include "complaints/discussion.hpp"
#include "complaints/due.hpp"
#include "complaints/errors.hpp"
#include "complaints/event.hpp"
#include "complaints/issue.hpp"
#include "complaints/dashboard.hpp"
#include "complaints/issue_export.hpp"
#include "complaints/search.hpp"
#include "complaints/messages.hpp"
#include "complaints/outbox.hpp"
#include "complaints/payment_hold.hpp"
#include "complaints/record.hpp"
#include "complaints/task.hpp"
#include "complaints/timeline.hpp"
#include "complaints/users.hpp"
#include "complaints/workflow.hpp"

namespace complaints::json {

/// Appends JSON to a string. Keys and values are written in call order; the
/// caller keeps the structure balanced. Small pieces are staged in a buffer
/// of the Writer's own and reach `out` in blocks: call finish() before
/// reading `out` (what is still staged is dropped with the Writer).
class Writer {
 public:
  explicit Writer(std::string &out) : out_(out) {}
  Writer(const Writer &) = delete;
  Writer &operator=(const Writer &) = delete;
  /// Moves what is staged to `out`; returns `out`.
  std::string &finish() {
    out_.append(stage_, staged_);
    staged_ = 0;
    return out_;
  }
  Writer &begin_object();
  Writer &end_object();
  Writer &begin_array();
  Writer &end_array();
  Writer &key(std::string_view k);
  Writer &value(std::string_view v);
  Writer &value(const char *v) { return value(std::string_view(v)); }
  Writer &value(std::int64_t v);
  Writer &value(bool v);
  Writer &null();
  /// A document already in JSON form, inserted as it is.
  Writer &raw(std::string_view json);
  template <typename T>
  Writer &field(std::string_view k, const T &v) {
    key(k);
    return value(v);
  }

 private:
  void separate() {
    if (!first_[depth_]) put(',');
    first_[depth_] = false;
  }
  void put(char c) {
    if (staged_ == sizeof stage_) finish();
    stage_[staged_++] = c;
  }
  void put(std::string_view text) {
    if (text.size() > sizeof stage_ - staged_) {
      finish();
      if (text.size() > sizeof stage_ / 2) {  // large: straight to out
        out_.append(text);
        return;
      }
    }
    if (text.empty()) return;
    std::memcpy(stage_ + staged_, text.data(), text.size());
    staged_ += text.size();
  }
  void open(char c);
  void quoted(std::string_view text, char tail);
  std::string &out_;
  char stage_[1024];
  std::size_t staged_ = 0;
  // Whether the next value at each nesting depth is the first (no comma).
  static constexpr int max_depth = 32;
  bool first_[max_depth] = {true};
  int depth_ = 0;
};

// --- writing (each appends one value) -------------------------------------------------
void write(Writer &w, const Issue &v);
void write(Writer &w, const SlaClock &v);
void write(Writer &w, const Record &v);
void write(Writer &w, const TimelineEntry &v);
void write(Writer &w, const ChainCheck &v);
void write(Writer &w, const OutboxItem &v);
void write(Writer &w, const Event &v);
void write(Writer &w, const Comment &v);
void write(Writer &w, const Attachment &v);
void write(Writer &w, const IssueLink &v);
void write(Writer &w, const PaymentHold &v);
void write(Writer &w, const PayDecision &v);
void write(Writer &w, const HoldLedgerEntry &v);
void write(Writer &w, const HoldReport &v);
void write(Writer &w, const MessageTemplate &v);
void write(Writer &w, const MessageSettings &v);
void write(Writer &w, const RenderedMessage &v);
void write(Writer &w, const User &v);
void write(Writer &w, const IssueType &v);
void write(Writer &w, const DeletedIssue &v);
void write(Writer &w, const WorkflowProblem &v);
void write(Writer &w, const BusinessCalendar &v);
void write(Writer &w, const DueRun &v);
/// `"k": "<instant>"`, and the same or `"k": null` (json.cpp; every writer's instants).
void time(Writer &w, std::string_view k, Timestamp t);
void opt_time(Writer &w, std::string_view k, const std::optional<Timestamp> &t);
/// `"k": [{"currency", "minor", "count"}, ...]` (the holds report's and a dashboard's totals).
void totals(Writer &w, std::string_view k, const std::vector<CurrencyTotal> &list);

void write(Writer &w, const Group &v);  // json/tasks.cpp
void write(Writer &w, const Task &v);
void write(Writer &w, const TaskCase &v);
void write(Writer &w, const ExportSummary &v);
void write(Writer &w, const Dashboard &v);  // json/dashboard.cpp
void write(Writer &w, const SearchHit &v);
void write(Writer &w, const std::string &v);

template <typename T>
void write(Writer &w, const std::vector<T> &list) {
  w.begin_array();
  for (const auto &item : list) write(w, item);
  w.end_array();
}

/// The whole document of one value.
template <typename T>
std::string to_json(const T &v) {
  std::string out;
  out.reserve(1024);
  Writer w(out);
  write(w, v);
  w.finish();
  return out;
}

// --- reading -----------------------------------------------------------------------------
/// Parses a request document strictly (json/parse.hpp): InvalidInput naming
/// `field` when it is not JSON or not an object, or the place inside it
/// (paths from `prefix`: "" gives "inputs.note") of a duplicate key, a number
/// out of range, bad bytes or nesting past limits::json_depth.
nlohmann::json parse(std::string_view text, std::string_view field, std::string_view prefix = "");
/// The same for a document of any type (an array of queries).
nlohmann::json parse_value(std::string_view text, std::string_view field, std::string_view prefix = "");

ReportRequest read_report(const nlohmann::json &j);
ActionRequest read_action(const nlohmann::json &j);
IssueEdit read_edit(const nlohmann::json &j);
IssueFilter read_filter(const nlohmann::json &j);
/// A filter document with "format" and "page_issues" besides (complaints_export_*).
ExportOptions read_export_options(const nlohmann::json &j);
/// {"from", "to", "workflow", "record_kind", "type", "fieldworker", "stage",
/// "repeat_days", "top", "stalled_after_hours"} (complaints_dashboard; json/dashboard.cpp).
DashboardOptions read_dashboard_options(const nlohmann::json &j);
/// {"query", "limit", "offset", "snippet_words", "mark_open", "mark_close"} (complaints_search).
SearchOptions read_search_options(const nlohmann::json &j);
Record read_record(const nlohmann::json &j);
StatusDef read_status(const nlohmann::json &j);
IssueType read_issue_type(const nlohmann::json &j);
User read_user(const nlohmann::json &j);
/// `path` prefixes field names in errors ("" at the top of a document).
NotificationSettings read_settings(const nlohmann::json &j, const std::string &path = "");
CommentRequest read_comment(const nlohmann::json &j);
AttachmentRequest read_attachment(const nlohmann::json &j, const std::string &path = "");
HoldRequest read_hold_request(const nlohmann::json &j);
ReleaseRequest read_release(const nlohmann::json &j);
HoldFilter read_hold_filter(const nlohmann::json &j);
std::vector<PayQuery> read_pay_queries(const nlohmann::json &queries);
MessageTemplate read_template(const nlohmann::json &j);
MessageSettings read_message_settings(const nlohmann::json &j);
RecordRef read_record_ref(const nlohmann::json &j, const std::string &field);
/// `path` prefixes field names in errors ("calendar" for the stored one).
BusinessCalendar read_calendar(const nlohmann::json &j, const std::string &path = "");
Group read_group(const nlohmann::json &j);  // json/tasks.cpp
TaskRequest read_task_request(const nlohmann::json &j);

/// Base64 (RFC 4648, with padding).
std::string base64_encode(std::string_view bytes);
/// How many bytes base64 `text` decodes to, when it is base64 (its length a
/// multiple of 4); an estimate otherwise, which base64_decode then refuses.
std::size_t base64_decoded_size(std::string_view text) noexcept;
/// InvalidInput naming `field` on anything that is not base64.
std::string base64_decode(std::string_view text, const std::string &field);

}  // namespace complaints::json
