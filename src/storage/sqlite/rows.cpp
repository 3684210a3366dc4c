// How the SQLite backend's rows map to the library's values (rows.hpp).
#include "storage/sqlite/rows.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "storage/codec.hpp"

namespace complaints::sqlite_backend {

std::string join_lines(const std::vector<std::string> &ids) {
  std::string out;
  for (const auto &id : ids) {
    if (!out.empty()) out += '\n';
    out += id;
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = joined.find('\n', start);
    out.emplace_back(joined.substr(start, end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::optional<Date> date_column(const SQLite::Statement &s, int col) {
  if (is_null(s, col)) return std::nullopt;
  try {
    return Date::parse(text(s, col), "stored date");
  } catch (const InvalidInput &e) {
    throw StorageError(std::string("corrupt stored date: ") + e.what());
  }
}

void bind_date(SQLite::Statement &s, int index, const std::optional<Date> &d) {
  if (d)
    s.bind(index, d->to_string());
  else
    s.bind(index);
}

IssueRow read_issue(const SQLite::Statement &s) {
  IssueRow row;
  Issue &i = row.issue;
  i.number = integer(s, 0);
  i.code = format_issue_code(i.number);
  i.record.kind = codec::decode_enum(record_kind_from_string(view(s, 1)), "issues.record_kind", view(s, 1));
  i.record.id = text(s, 2);
  i.customer_id = text(s, 3);
  i.type = text(s, 4);
  i.description = text(s, 5);
  i.to_follow = integer(s, 6) != 0;
  i.deferred_date = date_column(s, 7);
  i.follow_up_date = date_column(s, 8);
  i.workflow = text(s, 9);
  i.status = text(s, 10);
  i.category = codec::decode_enum(status_category_from_string(view(s, 11)), "issues.category", view(s, 11));
  i.stage = text(s, 12);
  i.reporter_id = text(s, 13);
  i.reporter_role = codec::decode_enum(role_from_string(view(s, 14)), "issues.reporter_role", view(s, 14));
  i.channel = codec::decode_enum(channel_from_string(view(s, 15)), "issues.channel", view(s, 15));
  i.created_at = from_millis(integer(s, 16));
  i.updated_at = from_millis(integer(s, 17));
  i.version = integer(s, 18);
  row.timeline_seq = integer(s, 19);
  row.timeline_hash = text(s, 20);
  i.fieldworkers = split_lines(view(s, 21));
  i.assignee = text(s, 22);
  i.timers = codec::decode_timers(view(s, 23));
  i.slas = codec::decode_clocks(view(s, 24));
  if (!is_null(s, 25)) i.reminder_at = from_millis(integer(s, 25));
  i.fields = codec::decode_fields(view(s, 26));
  return row;
}

Record read_record(SQLite::Statement &s, int first, const RecordRef &ref) {
  Record r;
  r.ref = ref;
  r.customer_id = text(s, first);
  r.visibility = codec::decode_enum(record_visibility_from_string(view(s, first + 1)), "records.visibility",
                                    view(s, first + 1));
  r.paid_out = integer(s, first + 2) != 0;
  r.invoice_id = text(s, first + 3);
  do {
    if (!is_null(s, first + 4)) r.fieldworkers.push_back(text(s, first + 4));
  } while (s.executeStep());
  return r;
}

Task read_task(const SQLite::Statement &s) {
  Task t;
  t.id = integer(s, 0);
  t.number = integer(s, 1);
  t.issue_code = format_issue_code(t.number);
  t.kind = text(s, 2);
  t.stage = text(s, 3);
  t.group = text(s, 4);
  t.assignee = text(s, 5);
  t.state = codec::decode_enum(task_state_from_string(view(s, 6)), "tasks.state", view(s, 6));
  t.mandatory = integer(s, 7) != 0;
  t.access = codec::decode_enum(task_access_from_string(view(s, 8)), "tasks.access", view(s, 8));
  t.instructions = text(s, 9);
  t.created_by = text(s, 10);
  t.created_at = from_millis(integer(s, 11));
  t.updated_at = from_millis(integer(s, 12));
  if (!is_null(s, 13)) t.done_at = from_millis(integer(s, 13));
  t.done_by = text(s, 14);
  t.notes = text(s, 15);
  t.slas = codec::decode_clocks(view(s, 16));
  t.version = integer(s, 17);
  return t;
}

void bind_task_column(SQLite::Statement &s, int index, const Task &t, int column) {
  switch (column) {
    case 0: s.bind(index, t.number); return;
    case 1: s.bind(index, t.kind); return;
    case 2: s.bind(index, t.stage); return;
    case 3: s.bind(index, t.group); return;
    case 4: s.bind(index, t.assignee); return;
    case 5: s.bind(index, to_string(t.state)); return;
    case 6: s.bind(index, t.mandatory ? 1 : 0); return;
    case 7: s.bind(index, to_string(t.access)); return;
    case 8: s.bind(index, t.instructions); return;
    case 9: s.bind(index, t.created_by); return;
    case 10: s.bind(index, to_millis(t.created_at)); return;
    case 11: s.bind(index, to_millis(t.updated_at)); return;
    case 12:
      if (t.done_at)
        s.bind(index, to_millis(*t.done_at));
      else
        s.bind(index);
      return;
    case 13: s.bind(index, t.done_by); return;
    case 14: s.bind(index, t.notes); return;
    case 15: s.bind(index, codec::encode_clocks(t.slas)); return;
    case 16: s.bind(index, t.version); return;
  }
}

bool task_column_differs(const Task &a, const Task &b, int column) {
  switch (column) {
    case 0: return a.number != b.number;
    case 1: return a.kind != b.kind;
    case 2: return a.stage != b.stage;
    case 3: return a.group != b.group;
    case 4: return a.assignee != b.assignee;
    case 5: return a.state != b.state;
    case 6: return a.mandatory != b.mandatory;
    case 7: return a.access != b.access;
    case 8: return a.instructions != b.instructions;
    case 9: return a.created_by != b.created_by;
    case 10: return a.created_at != b.created_at;
    case 11: return a.updated_at != b.updated_at;
    case 12: return a.done_at != b.done_at;
    case 13: return a.done_by != b.done_by;
    case 14: return a.notes != b.notes;
    case 15: return a.slas != b.slas;
    case 16: return a.version != b.version;
  }
  return true;
}

void bind_task(SQLite::Statement &s, int first, const Task &t) {
  for (int c = 0; c < task_column_count; ++c) bind_task_column(s, first + c, t, c);
}

void bind_issue_column(SQLite::Statement &s, int index, const IssueRow &row, int column) {
  const Issue &i = row.issue;
  switch (column) {
    case 0: s.bind(index, i.number); break;
    case 1: s.bindNoCopy(index, to_string(i.record.kind)); break;
    case 2: s.bindNoCopy(index, i.record.id); break;
    case 3: s.bindNoCopy(index, i.customer_id); break;
    case 4: s.bindNoCopy(index, i.type); break;
    case 5: s.bindNoCopy(index, i.description); break;
    case 6: s.bind(index, i.to_follow ? 1 : 0); break;
    case 7: bind_date(s, index, i.deferred_date); break;
    case 8: bind_date(s, index, i.follow_up_date); break;
    case 9: s.bindNoCopy(index, i.workflow); break;
    case 10: s.bindNoCopy(index, i.status); break;
    case 11: s.bindNoCopy(index, to_string(i.category)); break;
    case 12: s.bindNoCopy(index, i.stage); break;
    case 13: s.bindNoCopy(index, i.reporter_id); break;
    case 14: s.bindNoCopy(index, to_string(i.reporter_role)); break;
    case 15: s.bindNoCopy(index, to_string(i.channel)); break;
    case 16: s.bind(index, to_millis(i.created_at)); break;
    case 17: s.bind(index, to_millis(i.updated_at)); break;
    case 18: s.bind(index, i.version); break;
    case 19: s.bind(index, row.timeline_seq); break;
    case 20: s.bindNoCopy(index, row.timeline_hash); break;
    case 21: s.bind(index, join_lines(i.fieldworkers)); break;
    case 22: s.bindNoCopy(index, i.assignee); break;
    case 23: s.bind(index, codec::encode_timers(i.timers)); break;
    case 24: s.bind(index, codec::encode_clocks(i.slas)); break;
    case 25:
      if (i.reminder_at)
        s.bind(index, to_millis(*i.reminder_at));
      else
        s.bind(index);
      break;
    case 26: s.bind(index, codec::encode_fields(i.fields)); break;
  }
}

bool issue_column_differs(const IssueRow &a, const IssueRow &b, int column) {
  const Issue &x = a.issue, &y = b.issue;
  switch (column) {
    case 0: return x.number != y.number;
    case 1: return x.record.kind != y.record.kind;
    case 2: return x.record.id != y.record.id;
    case 3: return x.customer_id != y.customer_id;
    case 4: return x.type != y.type;
    case 5: return x.description != y.description;
    case 6: return x.to_follow != y.to_follow;
    case 7: return x.deferred_date != y.deferred_date;
    case 8: return x.follow_up_date != y.follow_up_date;
    case 9: return x.workflow != y.workflow;
    case 10: return x.status != y.status;
    case 11: return x.category != y.category;
    case 12: return x.stage != y.stage;
    case 13: return x.reporter_id != y.reporter_id;
    case 14: return x.reporter_role != y.reporter_role;
    case 15: return x.channel != y.channel;
    case 16: return x.created_at != y.created_at;
    case 17: return x.updated_at != y.updated_at;
    case 18: return x.version != y.version;
    case 19: return a.timeline_seq != b.timeline_seq;
    case 20: return a.timeline_hash != b.timeline_hash;
    case 21: return x.fieldworkers != y.fieldworkers;
    case 22: return x.assignee != y.assignee;
    case 23: return x.timers != y.timers;
    case 24: return x.slas != y.slas;
    case 25: return x.reminder_at != y.reminder_at;
    case 26: return x.fields != y.fields;
  }
  return true;
}

void bind_issue(SQLite::Statement &s, const IssueRow &row) {
  for (int c = 0; c < issue_column_count; ++c) bind_issue_column(s, c + 1, row, c);
}

std::optional<Money> money_columns(const SQLite::Statement &s, int col, const char *table) {
  if (is_null(s, col)) return std::nullopt;
  try {
    return Money::of(integer(s, col), view(s, col + 1));
  } catch (const InvalidInput &e) {
    throw StorageError(fmt::format("corrupt amount in {}: {}", table, e.what()));
  }
}

namespace {

// A newline-separated list of issue numbers, as issue codes in ascending order.
std::vector<std::string> issue_codes(std::string_view numbers, const char *column) {
  std::vector<std::string> out;
  if (!numbers.empty()) out.reserve(1 + static_cast<std::size_t>(std::count(numbers.begin(), numbers.end(), '\n')));
  bool ascending = true;
  std::int64_t previous = 0;
  for (std::size_t start = 0; !numbers.empty();) {
    std::size_t end = std::min(numbers.find('\n', start), numbers.size());
    std::int64_t n = 0;
    auto [stop, ec] = std::from_chars(numbers.data() + start, numbers.data() + end, n);
    if (ec != std::errc() || stop != numbers.data() + end || n <= 0)
      throw StorageError(fmt::format("corrupt issue list in {}", column));
    ascending = ascending && n > previous;
    previous = n;
    out.push_back(format_issue_code(n));
    if (end == numbers.size()) break;
    start = end + 1;
  }
  // The triggers' scan follows hold_issues' key, so this is for safety only.
  if (!ascending)
    std::sort(out.begin(), out.end(),
              [](const std::string &a, const std::string &b) { return parse_issue_code(a) < parse_issue_code(b); });
  return out;
}

}  // namespace

void read_hold_state(const SQLite::Statement &s, int c, PaymentHold &h) {
  h.state = codec::decode_enum(hold_state_from_string(view(s, c)), "holds.state", view(s, c));
  h.amount = money_columns(s, c + 1, "holds");
  h.scope = codec::decode_enum(hold_scope_from_string(view(s, c + 3)), "holds.scope", view(s, c + 3));
  h.since = from_millis(integer(s, c + 4));
  if (!is_null(s, c + 5)) h.released_at = from_millis(integer(s, c + 5));
  std::string_view issues = view(s, c + 6), blocking = view(s, c + 7);
  h.issues = issue_codes(issues, "holds.issues");
  // Usually every linked issue of a withheld hold is open.
  h.blocking = blocking == issues ? h.issues : issue_codes(blocking, "holds.blocking");
}

PaymentHold read_hold(const SQLite::Statement &s) {
  PaymentHold h;
  h.record.kind = codec::decode_enum(record_kind_from_string(view(s, 0)), "holds.record_kind", view(s, 0));
  h.record.id = text(s, 1);
  h.fieldworker = text(s, 2);
  read_hold_state(s, 3, h);
  return h;
}

std::vector<PaymentHold> read_holds(SQLite::Statement &s) {
  std::vector<PaymentHold> out;
  while (s.executeStep()) out.push_back(read_hold(s));
  return out;
}

Comment read_comment(const SQLite::Statement &s) {
  Comment c;
  c.id = integer(s, 0);
  c.issue_code = format_issue_code(integer(s, 1));
  c.author_id = text(s, 2);
  c.author_role = codec::decode_enum(role_from_string(view(s, 3)), "comments.author_role", view(s, 3));
  c.internal = integer(s, 4) != 0;
  c.body = text(s, 5);
  if (!is_null(s, 6)) c.reply_to = integer(s, 6);
  c.mentions = split_lines(view(s, 7));
  c.created_at = from_millis(integer(s, 8));
  return c;
}

User read_user(const SQLite::Statement &s) {
  User u;
  u.id = text(s, 0);
  u.role = codec::decode_enum(role_from_string(view(s, 1)), "users.role", view(s, 1));
  u.name = text(s, 2);
  u.settings.scope = codec::decode_enum(notify_scope_from_string(view(s, 3)), "users.scope", view(s, 3));
  u.settings.push = integer(s, 4) != 0;
  u.settings.sms = integer(s, 5) != 0;
  u.settings.email = integer(s, 6) != 0;
  return u;
}

Attachment read_attachment(const SQLite::Statement &s) {
  Attachment a;
  a.id = integer(s, 0);
  a.issue_code = format_issue_code(integer(s, 1));
  if (!is_null(s, 2)) a.comment_id = integer(s, 2);
  a.name = text(s, 3);
  a.media_type = text(s, 4);
  a.size = integer(s, 5);
  a.sha256 = text(s, 6);
  a.storage_key = text(s, 7);
  a.internal = integer(s, 8) != 0;
  a.uploaded_by = text(s, 9);
  a.created_at = from_millis(integer(s, 10));
  return a;
}

}  // namespace complaints::sqlite_backend
