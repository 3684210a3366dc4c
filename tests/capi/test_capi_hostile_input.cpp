// SPEC R14 through the C API only: every JSON document and every plain string
// a host can pass, made hostile - numbers past a double or a 64-bit integer,
// duplicate keys, bytes that are not UTF-8, control characters, nesting
// past the limit - is refused with EINVALID (EWORKFLOW for a workflow) naming
// the place, or accepted; never EINTERNAL or ENOMEM. The message and the
// place are printable UTF-8 whatever came in, and a refused call leaves the
// store as it was.
#include <doctest/doctest.h>

#include <complaints.h>

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "capi/functions.hpp"

using capi_test::Fixture;
using capi_test::Function;
using capi_test::functions;
using ojson = nlohmann::ordered_json;

namespace {

// What makes `text` unfit to print, or "" when it is valid UTF-8 without
// control characters (C0, DEL, C1), line or paragraph separators or bidi
// controls. With `problem_lines`, the newline and indent InvalidWorkflow puts
// before each problem is allowed. (Decoded here, not by the library: the test
// must not trust the code it checks.)
std::string unprintable(std::string_view text, bool problem_lines = false) {
  char why[64];
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n' && problem_lines && text.substr(i + 1, 2) == "  ") {
      i += 3;
      continue;
    }
    if (c < 0x20 || c == 0x7f) {
      std::snprintf(why, sizeof why, "control byte 0x%02x at %zu", c, i);
      return why;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    std::uint32_t cp = len == 2 ? c & 0x1fu : len == 3 ? c & 0x0fu : c & 0x07u;
    bool ok = len != 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      auto b = static_cast<unsigned char>(text[i + k]);
      ok = (b & 0xc0) == 0x80;
      cp = (cp << 6) | (b & 0x3fu);
    }
    ok = ok && !(len == 2 && cp < 0x80) && !(len == 3 && cp < 0x800) && !(len == 4 && cp < 0x10000) && cp <= 0x10ffff &&
         !(cp >= 0xd800 && cp <= 0xdfff);
    if (!ok) {
      std::snprintf(why, sizeof why, "invalid UTF-8 at %zu", i);
      return why;
    }
    if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
        (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
      std::snprintf(why, sizeof why, "U+%04X at %zu", static_cast<unsigned>(cp), i);
      return why;
    }
    i += len;
  }
  return "";
}

// Everything a host can read back through the C API, for "nothing changed".
std::string snapshot(Fixture &fx) {
  std::string s;
  auto read = [&](auto call) {
    char *out = nullptr;
    int rc = call(&out);
    s += std::to_string(rc) + " " + (out ? out : "") + "\n";
    complaints_free(out);
  };
  complaints_desk *d = fx.desk;
  const complaints_actor *a = fx.admin;
  read([&](char **o) { return complaints_issue_list(d, o, a, nullptr); });
  for (const char *code : {"CMP-00001", "CMP-00002"}) {
    read([&](char **o) { return complaints_issue_timeline(d, o, a, code); });
    read([&](char **o) { return complaints_comment_list(d, o, a, code); });
    read([&](char **o) { return complaints_attachment_list(d, o, a, code); });
    read([&](char **o) { return complaints_link_list(d, o, a, code); });
  }
  read([&](char **o) { return complaints_hold_list(d, o, a, nullptr); });
  read([&](char **o) { return complaints_type_list(d, o, a); });
  read([&](char **o) { return complaints_workflow_list(d, o, a); });
  read([&](char **o) { return complaints_workflow_get(d, o, a, "field-service"); });
  read([&](char **o) { return complaints_template_list(d, o, a); });
  read([&](char **o) { return complaints_template_get(d, o, a, "note"); });
  read([&](char **o) { return complaints_message_settings_get(d, o, a); });
  for (const char *user : {"fw-1", "u-1"}) read([&](char **o) { return complaints_user_get(d, o, a, user); });
  read([&](char **o) { return complaints_record_get(d, o, a, "booking", "B-1"); });
  read([&](char **o) { return complaints_record_get(d, o, a, "quote", "Q-1"); });
  read([&](char **o) { return complaints_outbox_pending(d, o, fx.system, 10000, 0); });
  read([&](char **o) { return complaints_group_list(d, o, a); });
  for (const char *code : {"CMP-00001", "CMP-00002"}) read([&](char **o) { return complaints_task_list(d, o, a, code); });
  return s;
}

// How a JSON argument names places: `root` for the document as a whole,
// paths inside from `prefix` (docs/c-api.md).
struct Naming {
  std::string root, prefix;
};

Naming naming_of(const std::string &argument) {
  if (argument == "workflow_json") return {"$", "$"};
  if (argument == "options_json") return {"options", "options"};
  if (argument == "queries_json") return {"queries_json", "queries"};
  return {argument, ""};
}

std::string join(const std::string &path, const std::string &key) { return path.empty() ? key : path + "." + key; }

void replace(std::string &text, const std::string &from, const std::string &to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

// One hostile document: the text, the place a refusal must name, and how
// sure that is ("" when the call may also succeed: escaped controls are JSON).
struct Hostile {
  std::string label, text, where;
  bool prefix_only = false;  // the refusal is somewhere inside `where` (nesting)
};

// An object inside a document: where it is (a JSON pointer) and its field path.
struct Place {
  ojson doc;
  ojson::json_pointer at;
  std::string path;
};

// The documents' first object (the top, or the first element of a top-level
// array) and one object nested in it (a member object or a member array's
// first object; else one added as "zz").
std::vector<Place> places(const ojson &doc, const Naming &n) {
  Place top{doc, ojson::json_pointer(), n.prefix};
  if (doc.is_array()) {
    REQUIRE_FALSE(doc.empty());
    top.at = ojson::json_pointer("/0");
    top.path += "[0]";
  }
  Place nested = top;
  const ojson &obj = doc.at(top.at);
  REQUIRE(obj.is_object());
  bool found = false;
  for (auto it = obj.begin(); it != obj.end() && !found; ++it) {
    if (it->is_object()) {
      nested.at = top.at / it.key();
      nested.path = join(top.path, it.key());
      found = true;
    } else if (it->is_array() && !it->empty() && it->front().is_object()) {
      nested.at = top.at / it.key() / 0;
      nested.path = join(top.path, it.key()) + "[0]";
      found = true;
    }
  }
  if (!found) {
    nested.doc.at(top.at)["zz"] = {{"y", 1}};
    nested.at = top.at / "zz";
    nested.path = join(top.path, "zz");
  }
  return {top, nested};
}

std::vector<Hostile> hostile_documents(const std::string &valid, const Naming &n) {
  std::vector<Hostile> out;
  for (Place p : places(ojson::parse(valid), n)) {
    ojson &obj = p.doc.at(p.at);
    if (obj.empty()) obj["x"] = 1;
    std::string key = obj.begin().key();
    std::string at_key = join(p.path, key), at_object = p.path.empty() ? n.root : p.path;
    auto with_value = [&](const std::string &token) {
      ojson d = p.doc;
      d.at(p.at)[key] = "\x01";
      std::string text = d.dump();
      replace(text, "\"\\u0001\"", token);
      return text;
    };
    auto with_key = [&](const std::string &token, const ojson &value) {
      ojson d = p.doc;
      d.at(p.at)["\x02"] = value;  // the last key
      std::string text = d.dump();
      replace(text, "\"\\u0002\"", token);
      return text;
    };
    for (const char *number :
         {"1e400", "-1e400", "1e309", "18446744073709551616", "-9223372036854775809", "9223372036854775808"})
      out.push_back({std::string("number ") + number, with_value(number), at_key});
    out.push_back({"duplicate key", with_key("\"" + key + "\"", obj[key]), at_key});
    for (const char *bytes : {"\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"", "\"ok\xe2\x82\""})
      out.push_back({"value not UTF-8", with_value(bytes), at_key});
    for (const char *raw : {"\"a\x1b[31mb\"", "\"\x01\""})
      out.push_back({"raw control in a value", with_value(raw), at_key});
    for (const char *bytes : {"\"\xff\"", "\"k\x1b[31m\"", "\"\xed\xa0\x80\""})
      out.push_back({"bad bytes in a key", with_key(bytes, 1), at_object});
    for (std::size_t depth : {40u, 100000u})
      out.push_back({"nested " + std::to_string(depth) + " deep",
                     with_value(std::string(depth, '[') + std::string(depth, ']')), at_key, true});
    for (const char *soft : {R"("\u001b[31m\u202e\u0085\u2028x")", R"("\u0000")", "\"\xe2\x80\xae\xc2\x85\""}) {
      out.push_back({"escaped controls in a value", with_value(soft), ""});
      out.push_back({"escaped controls in a key", with_key(soft, 1), ""});
    }
  }
  return out;
}

// The code a refused document of this function gets.
int refusal_code(const Function &fn) {
  bool workflow = fn.name == "complaints_workflow_install" || fn.name == "complaints_workflow_diagram";
  return workflow ? COMPLAINTS_EWORKFLOW : COMPLAINTS_EINVALID;
}

// Checks one call: never a bug or out of memory; a printable message and
// place; the expected refusal if `expect` says one; the store unchanged if
// refused. Returns whether the call succeeded (the fixture then changed).
bool check_call(const Function &fn, Fixture &fx, const std::string &before, int text_at, const std::string &text,
                const Hostile *expect) {
  int rc = fn.call(fx, -1, text_at, text.c_str());
  complaints_desk *handle = fn.handleless() ? nullptr : fx.desk;
  std::string message = complaints_desk_errmsg(handle), where = complaints_desk_errwhere(handle);
  CAPTURE(message);
  CAPTURE(where);
  CHECK(rc != COMPLAINTS_EINTERNAL);
  CHECK(rc != COMPLAINTS_ENOMEM);
  CHECK(unprintable(message, rc == COMPLAINTS_EWORKFLOW) == "");
  CHECK(unprintable(where) == "");
  CHECK(message.size() < 1000);  // echoed values are excerpts
  if (expect && !expect->where.empty()) {
    CHECK(rc == refusal_code(fn));
    if (expect->prefix_only)
      CHECK(where.starts_with(expect->where));
    else
      CHECK(where == expect->where);
  }
  if (rc == COMPLAINTS_OK) return true;
  if (!fn.handleless()) CHECK(snapshot(fx) == before);
  return false;
}

}  // namespace

TEST_CASE("every JSON document refuses out-of-range numbers, duplicate keys, bad bytes and deep nesting by place") {
  int calls = 0;
  for (const Function &fn : functions()) {
    for (int t = 0; t < static_cast<int>(fn.texts.size()); ++t) {
      const capi_test::Text &arg = fn.texts[t];
      if (!arg.json || fn.name == "complaints_workflow_validate") continue;  // validate: the next case
      auto fx = std::make_unique<Fixture>();
      std::string before = snapshot(*fx);
      for (const Hostile &h : hostile_documents(arg.value, naming_of(arg.name))) {
        CAPTURE(fn.name);
        CAPTURE(h.label);
        CAPTURE(h.text.substr(0, 200));
        ++calls;
        if (check_call(fn, *fx, before, t, h.text, &h)) {
          fx = std::make_unique<Fixture>();
          before = snapshot(*fx);
        }
      }
    }
  }
  CHECK(calls > 800);
}

TEST_CASE("workflow validation reports a hostile document as one problem at its JSON path") {
  for (const Hostile &h : hostile_documents(R"({"name":"mini","statuses":[{"name":"Open"}]})", {"$", "$"})) {
    CAPTURE(h.label);
    CAPTURE(h.text.substr(0, 200));
    char *out = nullptr, *err = nullptr;
    REQUIRE(complaints_workflow_validate(&out, h.text.c_str(), &err) == COMPLAINTS_OK);
    auto problems = nlohmann::json::parse(out);
    complaints_free(out);
    complaints_free(err);
    REQUIRE(problems.is_array());
    REQUIRE_FALSE(problems.empty());
    for (const auto &p : problems) {
      CHECK(unprintable(p.at("path").get<std::string>()) == "");
      CHECK(unprintable(p.at("message").get<std::string>()) == "");
    }
    if (h.where.empty()) continue;
    CHECK(problems.size() == 1);
    std::string path = problems[0].at("path");
    if (h.prefix_only)
      CHECK(path.starts_with(h.where));
    else
      CHECK(path == h.where);
  }
}

TEST_CASE("the places named in issue 11: inputs.note, record.kind, $.actions[2].name, limit") {
  Fixture fx;
  char *out = nullptr;
  CHECK(complaints_issue_act(fx.desk, &out, fx.admin, "CMP-00001",
                             R"({"action":"convert_to_in_progress","inputs":{"note":"a","note":"b"}})") ==
        COMPLAINTS_EINVALID);
  CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "inputs.note");
  CHECK(std::string(complaints_desk_errmsg(fx.desk)).find("duplicate") != std::string::npos);
  CHECK(complaints_issue_report(
            fx.desk, &out, fx.admin,
            R"({"record":{"kind":"quote","kind":"booking","id":"B-1"},"type":"Other","description":"x"})") ==
        COMPLAINTS_EINVALID);
  CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "record.kind");
  CHECK(complaints_issue_report(
            fx.desk, &out, fx.admin,
            R"({"record":{"kind":"booking","id":"B-1"},"type":"Other","description":"x","to_follow":1e400})") ==
        COMPLAINTS_EINVALID);
  CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "to_follow");
  CHECK(std::string(complaints_desk_errmsg(fx.desk)).find("double") != std::string::npos);

  const char *workflow = R"({"name":"mini","initial":"Open","statuses":[{"name":"Open","category":"open"},
    {"name":"Done","category":"closed"}],"actions":[{"name":"a","from":["Open"],"to":"Done","allow":["admin"]},
    {"name":"b","from":["Open"],"to":"Done","allow":["admin"]},
    {"name":"c","name":"d","from":["Open"],"to":"Done","allow":["admin"]}]})";
  CHECK(complaints_workflow_install(fx.desk, fx.admin, workflow) == COMPLAINTS_EWORKFLOW);
  CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "$.actions[2].name");

  // Integers that fit a double or an int64 but not the field.
  for (const char *limit : {"1e10", "9223372036854775807", "-1", "0", "4294967297", "1.5"}) {
    CAPTURE(limit);
    std::string filter = std::string(R"({"limit":)") + limit + "}";
    CHECK(complaints_issue_list(fx.desk, &out, fx.admin, filter.c_str()) == COMPLAINTS_EINVALID);
    CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "limit");
    CHECK(complaints_hold_list(fx.desk, &out, fx.admin, filter.c_str()) == COMPLAINTS_EINVALID);
    CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "limit");
  }
  for (const char *field : {"busy_timeout_ms", "cache_kib"})
    for (const char *n : {"1e400", "9223372036854775807", "-1", "2147483648", "1.5"}) {
      CAPTURE(field);
      CAPTURE(n);
      complaints_desk *d = nullptr;
      std::string options = std::string("{\"") + field + "\":" + n + "}";
      CHECK(complaints_desk_open_sqlite(&d, ":memory:", options.c_str(), nullptr) == COMPLAINTS_EINVALID);
      CHECK(std::string(complaints_desk_errwhere(nullptr)) == std::string("options.") + field);
      complaints_desk_close(d);
    }
  for (const char *n : {"65", "-1", "1.5", "\"4\""}) {
    CAPTURE(n);
    complaints_desk *d = nullptr;
    std::string options = std::string("{\"read_connections\":") + n + "}";
    CHECK(complaints_desk_open_sqlite(&d, ":memory:", options.c_str(), nullptr) == COMPLAINTS_EINVALID);
    CHECK(std::string(complaints_desk_errwhere(nullptr)) == "options.read_connections");
    complaints_desk_close(d);
  }
}

TEST_CASE("every plain string argument with hostile bytes gets a printable message") {
  const std::vector<std::string> hostile = {"\xff\xfe",
                                            "CMP-\x1b[31m\xff",
                                            "CMP-\xe2\x80\xae"
                                            "00001",
                                            "\xc2\x85",
                                            std::string(5000, 'x') + "\xff",
                                            "CMP-00001\n\x7f"};
  int calls = 0;
  for (const Function &fn : functions()) {
    auto fx = std::make_unique<Fixture>();
    std::string before = snapshot(*fx);
    for (int t = 0; t < static_cast<int>(fn.texts.size()); ++t) {
      if (fn.texts[t].json) continue;
      for (std::string text : hostile) {
        // A path is a file to create: make it one that cannot be.
        if (fn.texts[t].name == "path") text = "/nonexistent-complaints-dir/" + text;
        CAPTURE(fn.name);
        CAPTURE(fn.texts[t].name);
        CAPTURE(text.substr(0, 40));
        ++calls;
        if (check_call(fn, *fx, before, t, text, nullptr)) {
          fx = std::make_unique<Fixture>();
          before = snapshot(*fx);
        }
      }
    }
  }
  CHECK(calls > 200);
}

TEST_CASE("a malformed issue code is echoed escaped, not as it came") {
  Fixture fx;
  char *out = nullptr;
  CHECK(complaints_issue_get(fx.desk, &out, fx.admin, "CMP-\x1b[31m\xff") == COMPLAINTS_EINVALID);
  std::string message = complaints_desk_errmsg(fx.desk);
  CHECK(message.find("CMP-\\x1b[31m\\xff") != std::string::npos);
  CHECK(unprintable(message) == "");
  CHECK(complaints_issue_get(fx.desk, &out, fx.admin,
                             "CMP-\xe2\x80\xae"
                             "00001") == COMPLAINTS_EINVALID);
  CHECK(std::string(complaints_desk_errmsg(fx.desk)).find("CMP-\\u202e00001") != std::string::npos);
}

TEST_CASE("a file past the size the library keeps is refused at bytes_base64, the key the host sent") {
  Fixture fx;
  char *out = nullptr;
  std::size_t limit = 10u << 20;  // docs/c-api.md: 10 MiB
  auto request = [](std::size_t bytes, bool on_comment) {
    // base64 of `bytes` zero bytes: "AAAA" per three, then padding.
    std::string b64((bytes / 3) * 4, 'A');
    if (bytes % 3 == 1) b64 += "AA==";
    if (bytes % 3 == 2) b64 += "AAA=";
    ojson file = {{"name", "big.bin"}, {"media_type", "application/octet-stream"}, {"bytes_base64", b64}};
    if (!on_comment) return file.dump();
    return ojson{{"body", "see the file"}, {"attachments", ojson::array({file})}}.dump();
  };
  for (std::size_t bytes : {limit + 1, limit + 2, limit + 3, limit + 4}) {
    CAPTURE(bytes);
    CHECK(complaints_attachment_add(fx.desk, &out, fx.admin, "CMP-00001", request(bytes, false).c_str()) ==
          COMPLAINTS_EINVALID);
    CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "attachment.bytes_base64");
    CHECK(std::string(complaints_desk_errmsg(fx.desk)).find("10485760") != std::string::npos);
    CHECK(complaints_comment_add(fx.desk, &out, fx.admin, "CMP-00001", request(bytes, true).c_str()) ==
          COMPLAINTS_EINVALID);
    CHECK(std::string(complaints_desk_errwhere(fx.desk)) == "attachments[0].bytes_base64");
  }
  for (std::size_t bytes : {limit - 2, limit - 1, limit}) {
    CAPTURE(bytes);
    REQUIRE(complaints_attachment_add(fx.desk, &out, fx.admin, "CMP-00001", request(bytes, false).c_str()) ==
            COMPLAINTS_OK);
    CHECK(ojson::parse(out)["size"] == bytes);
    complaints_free(out);
    out = nullptr;
  }
}
