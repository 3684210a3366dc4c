// cli/html.cpp - the dashboard page: escaping, the SVG charts, the workflows drawn by Graphviz.
#include "html.hpp"

#include <algorithm>
#include <cstring>
#include <map>

#include "commands.hpp"

namespace complaints::cli {

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
          out += "\xEF\xBF\xBD";
        } else if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
                   (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE) {
          out += "\xEF\xBF\xBD";  // U+FFFE and U+FFFF are not XML characters either
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string readable_duration(long long ms) {
  if (ms < 0) ms = 0;
  const long long s = ms / 1000, m = s / 60, h = m / 60, d = h / 24;
  if (d > 0) return std::to_string(d) + "d" + (h % 24 ? " " + std::to_string(h % 24) + "h" : "");
  if (h > 0) return std::to_string(h) + "h" + (m % 60 ? " " + std::to_string(m % 60) + "m" : "");
  if (m > 0) return std::to_string(m) + "m" + (s % 60 ? " " + std::to_string(s % 60) + "s" : "");
  return std::to_string(s) + "s";
}

std::string readable_money(long long minor, const std::string &currency) {
  // ISO 4217 minor-unit exponents other than 2 (the library stores minor units only).
  static const std::string_view none[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                          "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static const std::string_view three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  int exponent = 2;
  if (std::find(std::begin(none), std::end(none), currency) != std::end(none)) exponent = 0;
  if (std::find(std::begin(three), std::end(three), currency) != std::end(three)) exponent = 3;
  const bool negative = minor < 0;
  const unsigned long long v =
      negative ? 0ULL - static_cast<unsigned long long>(minor) : static_cast<unsigned long long>(minor);
  std::string digits = std::to_string(v);
  if (exponent > 0) {
    const auto e = static_cast<std::size_t>(exponent);
    if (digits.size() <= e) digits.insert(0, e + 1 - digits.size(), '0');
    digits.insert(digits.size() - e, ".");
  }
  return currency + " " + (negative ? "-" : "") + digits;
}

namespace {

// dot's output made fit to sit inside the page: the <svg> element alone (no
// XML prolog, DOCTYPE or comments), its ids prefixed so that two pictures never share one.
std::optional<std::string> inline_svg(const std::string &svg, const std::string &id_prefix) {
  const auto start = svg.find("<svg");
  const auto end = svg.rfind("</svg>");
  if (start == std::string::npos || end == std::string::npos || end < start) return std::nullopt;
  std::string body = svg.substr(start, end + 6 - start);
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size();) {
    if (body.compare(i, 4, "<!--") == 0) {
      const auto close = body.find("-->", i + 4);
      if (close == std::string::npos) return std::nullopt;
      i = close + 3;
    } else if (body.compare(i, 5, " id=\"") == 0) {
      out += " id=\"" + id_prefix;
      i += 5;
    } else {
      out += body[i++];
    }
  }
  return out;
}

}  // namespace

WorkflowPicture draw_workflow(const std::string &name, std::string dot) {
  WorkflowPicture p;
  p.workflow = name;
  p.dot = std::move(dot);
  std::string problem;
  if (auto svg = run_dot(p.dot, problem, p.dot_missing)) {
    static int pictures = 0;
    p.svg = inline_svg(*svg, "wf" + std::to_string(++pictures) + "-");
    if (!p.svg) p.problem = "dot wrote no SVG picture";
  } else {
    p.problem = problem;
  }
  return p;
}

namespace {

// ---- charts -----------------------------------------------------------------------------

constexpr int chart_width = 760;
constexpr int label_width = 230;
constexpr int bar_area = 300;  // leaves room after the longest bar for its caption
constexpr int row_height = 26;

std::string num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", v);
  return b;
}

// At most `points` code points, the last an ellipsis when cut (for labels; titles keep the whole).
std::string shorten(const std::string &s, std::size_t points) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (n == points - 1) {
      std::size_t rest = 0;
      for (std::size_t j = i; j < s.size(); ++j) rest += (static_cast<unsigned char>(s[j]) & 0xC0) != 0x80;
      if (rest > 1) return s.substr(0, i) + "\xE2\x80\xA6";
      return s;
    }
    ++n;
  }
  return s;
}

std::string svg_open(int height, const std::string &label) {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(chart_width) + "\" height=\"" +
         std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(chart_width) + " " + std::to_string(height) +
         "\" role=\"img\" aria-label=\"" + escape_html(label) + "\">\n";
}

std::string empty_chart(const std::string &text) { return "<p class=\"empty\">" + escape_html(text) + "</p>\n"; }

/// One bar of a horizontal chart: its key, its value, what is written after it, more data- attributes.
struct Bar {
  std::string key;
  long long value;
  std::string caption;  ///< the visible text after the bar (the number, maybe more)
  std::string attributes = {};
};

std::string bar_attributes(std::string_view figure, const std::string &key, long long value) {
  return " data-figure=\"" + std::string(figure) + "\" data-key=\"" + escape_html(key) + "\" data-value=\"" +
         std::to_string(value) + "\"";
}

// Horizontal bars, longest for the largest value; `empty` shown instead when there is no bar above 0.
std::string hbar_chart(std::string_view figure, const std::string &title, const std::vector<Bar> &bars,
                       const std::string &empty) {
  long long most = 0;
  for (const auto &b : bars) most = std::max(most, b.value);
  if (bars.empty() || most <= 0) return empty_chart(empty);
  const int height = static_cast<int>(bars.size()) * row_height + 8;
  std::string s = svg_open(height, title);
  int y = 4, i = 0;
  for (const auto &b : bars) {
    const double w = static_cast<double>(b.value) * bar_area / static_cast<double>(most);
    s += "<g class=\"bar c" + std::to_string(i++ % 8) + "\"" + bar_attributes(figure, b.key, b.value) + b.attributes +
         "><title>" + escape_html(b.key + ": " + b.caption) + "</title>";
    s += "<text x=\"" + std::to_string(label_width - 8) + "\" y=\"" + std::to_string(y + 17) +
         "\" text-anchor=\"end\">" + escape_html(shorten(b.key, 32)) + "</text>";
    s += "<rect x=\"" + std::to_string(label_width) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + num(w) +
         "\" height=\"" + std::to_string(row_height - 6) + "\"/>";
    s += "<text class=\"value\" x=\"" + num(label_width + w + 6) + "\" y=\"" + std::to_string(y + 17) + "\">" +
         escape_html(b.caption) + "</text></g>\n";
    y += row_height;
  }
  return s + "</svg>\n";
}

std::vector<Bar> count_bars(const json &list) {
  std::vector<Bar> bars;
  for (const auto &c : list) {
    const long long n = c.at("issues").get<long long>();
    bars.push_back({c.at("name").get<std::string>(), n, std::to_string(n)});
  }
  return bars;
}

// The six resolution buckets of docs/reporting.md, as columns.
std::string bucket_chart(const json &buckets) {
  static const char *const names[] = {"under 1 day",  "1 to 3 days",   "3 to 7 days",
                                      "7 to 14 days", "14 to 30 days", "30 days and more"};
  long long most = 0;
  for (const auto &b : buckets) most = std::max(most, b.get<long long>());
  if (most <= 0) return empty_chart("no issue reported in this period is resolved yet");
  constexpr int height = 220, base = 180, column = 90, gap = 30, top = 20;
  std::string s = svg_open(height, "resolution time distribution");
  for (std::size_t i = 0; i < buckets.size() && i < std::size(names); ++i) {
    const long long v = buckets[i].get<long long>();
    const double h = static_cast<double>(v) * (base - top) / static_cast<double>(most);
    const int x = 20 + static_cast<int>(i) * (column + gap);
    s += "<g class=\"bar c" + std::to_string(i) + "\"" + bar_attributes("resolution_buckets", names[i], v) +
         " data-index=\"" + std::to_string(i) + "\"><title>" + names[i] + ": " + std::to_string(v) + "</title>";
    s += "<rect x=\"" + std::to_string(x) + "\" y=\"" + num(base - h) + "\" width=\"" + std::to_string(column) +
         "\" height=\"" + num(h) + "\"/>";
    s += "<text class=\"value\" x=\"" + std::to_string(x + column / 2) + "\" y=\"" + num(base - h - 5) +
         "\" text-anchor=\"middle\">" + std::to_string(v) + "</text>";
    s += "<text x=\"" + std::to_string(x + column / 2) + "\" y=\"" + std::to_string(base + 18) +
         "\" text-anchor=\"middle\">" + names[i] + "</text></g>\n";
  }
  return s + "</svg>\n";
}

// Per SLA policy one bar split into met, breached, at risk and running.
std::string sla_chart(const json &slas) {
  static const std::pair<const char *, const char *> parts[] = {
      {"met", "met"}, {"breached", "breached"}, {"at_risk", "at risk"}, {"running", "running"}};
  long long any = 0;
  for (const auto &p : slas)
    for (const auto &[k, _] : parts) any += p.at(k).get<long long>();
  if (any <= 0) return empty_chart("no SLA clock ran on the issues of this period");
  const int height = static_cast<int>(slas.size()) * (row_height + 20) + 8;
  std::string s = svg_open(height, "SLA compliance");
  int y = 4;
  for (const auto &p : slas) {
    const std::string policy = p.at("policy").get<std::string>();
    long long total = 0;
    for (const auto &[k, _] : parts) total += p.at(k).get<long long>();
    std::string summary;
    for (const auto &[k, label] : parts) {
      summary += (summary.empty() ? "" : ", ") + std::string(label) + " " + std::to_string(p.at(k).get<long long>());
    }
    s += "<g class=\"sla\"" + bar_attributes("slas", policy, total) + "><title>" +
         escape_html(policy + ": " + summary) + "</title><text x=\"" + std::to_string(label_width - 8) + "\" y=\"" +
         std::to_string(y + 17) + "\" text-anchor=\"end\">" + escape_html(shorten(policy, 32)) + "</text>";
    double x = label_width;
    for (const auto &[k, label] : parts) {
      const long long v = p.at(k).get<long long>();
      const double w = total > 0 ? static_cast<double>(v) * bar_area / static_cast<double>(total) : 0.0;
      s += "<g class=\"part " + std::string(k) + "\"" + bar_attributes("slas", policy, v) + " data-part=\"" + k +
           "\"><title>" + escape_html(policy) + " " + label + ": " + std::to_string(v) + "</title><rect x=\"" + num(x) +
           "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + num(w) + "\" height=\"" +
           std::to_string(row_height - 6) + "\"/></g>";
      x += w;
    }
    s += "<text class=\"value\" x=\"" + std::to_string(label_width) + "\" y=\"" + std::to_string(y + row_height + 12) +
         "\">" + escape_html(summary) + "</text></g>\n";
    y += row_height + 20;
  }
  return s + "</svg>\n";
}

// The withheld holds grouped by fieldworker: how many, amounts per currency, how many without one.
std::vector<Bar> hold_bars(const json &holds) {
  struct Group {
    long long count = 0, without_amount = 0;
    std::map<std::string, long long> amounts;
  };
  std::map<std::string, Group> by_fieldworker;
  for (const auto &h : holds) {
    Group &g = by_fieldworker[h.at("fieldworker").get<std::string>()];
    ++g.count;
    const json &amount = h.at("amount");
    if (amount.is_object())
      g.amounts[amount.at("currency").get<std::string>()] += amount.at("minor").get<long long>();
    else
      ++g.without_amount;
  }
  std::vector<Bar> bars;
  for (const auto &[fieldworker, g] : by_fieldworker) {
    std::string caption = std::to_string(g.count) + (g.count == 1 ? " hold" : " holds"), machine;
    for (const auto &[currency, minor] : g.amounts) {
      caption += ", " + readable_money(minor, currency);
      machine += (machine.empty() ? "" : " ") + escape_html(currency) + ":" + std::to_string(minor);
    }
    if (g.without_amount) caption += ", " + std::to_string(g.without_amount) + " without amount";
    bars.push_back(
        {fieldworker, g.count, caption,
         " data-amounts=\"" + machine + "\" data-without-amount=\"" + std::to_string(g.without_amount) + "\""});
  }
  // Most holds first, then by name (the map's order).
  std::stable_sort(bars.begin(), bars.end(), [](const Bar &a, const Bar &b) { return a.value > b.value; });
  return bars;
}

// ---- the page ---------------------------------------------------------------------------

std::string row(std::string_view figure, const std::string &key, long long value, const std::string &label,
                const std::string &shown) {
  return "<tr" + bar_attributes(figure, key, value) + "><th>" + escape_html(label) + "</th><td>" + escape_html(shown) +
         "</td></tr>\n";
}

std::string totals_table(const json &d) {
  std::string s = "<table class=\"totals\">\n";
  static const std::pair<const char *, const char *> totals[] = {{"issues", "issues reported"},
                                                                 {"resolved", "resolved or closed"},
                                                                 {"active", "not resolved"},
                                                                 {"escalated", "escalated to a later stage"},
                                                                 {"repeats", "repeat complaints"}};
  for (const auto &[k, label] : totals) {
    const long long v = d.at(k).get<long long>();
    s += row("totals", k, v, label, std::to_string(v));
  }
  const json &holds = d.at("holds");
  static const std::pair<const char *, const char *> hold_rows[] = {{"withheld", "payouts withheld now"},
                                                                    {"without_amount", "withheld without amount"},
                                                                    {"stalled", "stalled holds"}};
  for (const auto &[k, label] : hold_rows) {
    const long long v = holds.at(k).get<long long>();
    s += row("holds", k, v, label, std::to_string(v));
  }
  for (const auto &a : holds.at("amounts")) {
    const std::string currency = a.at("currency").get<std::string>();
    const long long minor = a.at("minor").get<long long>(), count = a.at("count").get<long long>();
    s += "<tr" + bar_attributes("holds_amounts", currency, minor) + " data-count=\"" + std::to_string(count) +
         "\"><th>withheld in " + escape_html(currency) + "</th><td>" + escape_html(readable_money(minor, currency)) +
         " (" + std::to_string(count) + ")</td></tr>\n";
  }
  return s + "</table>\n";
}

std::string resolution_table(const json &r) {
  const long long count = r.at("count").get<long long>();
  if (count == 0) return empty_chart("no issue reported in this period is resolved yet");
  std::string s =
      "<table class=\"totals\">\n" + row("resolution", "count", count, "resolved issues", std::to_string(count));
  static const std::pair<const char *, const char *> stats[] = {
      {"mean_ms", "mean"}, {"median_ms", "median"}, {"p90_ms", "90th percentile"}};
  for (const auto &[k, label] : stats) {
    const long long ms = r.at(k).get<long long>();
    s += row("resolution", k, ms, label, readable_duration(ms));
  }
  return s + "</table>\n";
}

std::string diagrams(const std::vector<WorkflowPicture> &pictures) {
  if (pictures.empty()) return empty_chart("no workflow to draw");
  std::string s;
  for (const auto &p : pictures) {
    s += "<section class=\"workflow\" data-workflow=\"" + escape_html(p.workflow) + "\">\n<h3>" +
         escape_html(p.workflow) + "</h3>\n";
    if (p.svg) {
      s += "<div class=\"diagram\">" + *p.svg + "</div>\n";
    } else {
      s += "<p class=\"empty\">Not drawn: " + escape_html(p.problem) + ".";
      if (p.dot_missing) s += " Installing Graphviz (its <code>dot</code> program) draws it.";
      s += p.dot.empty() ? "</p>\n" : " Its DOT text:</p>\n<pre>" + escape_html(p.dot) + "</pre>\n";
    }
    s += "</section>\n";
  }
  return s;
}

// System fonts only: nothing is fetched.
constexpr const char *style = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 800px; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccc; }
p.period { color: #555; margin-top: 0; }
p.empty { color: #777; font-style: italic; }
table.totals { border-collapse: collapse; }
table.totals th { text-align: left; font-weight: normal; padding: 2px 2em 2px 0; }
table.totals td { text-align: right; font-weight: bold; }
svg text { font: 12px system-ui, sans-serif; fill: #222; }
svg text.value { fill: #444; }
g.c0 rect { fill: #4e79a7; } g.c1 rect { fill: #f28e2b; } g.c2 rect { fill: #59a14f; } g.c3 rect { fill: #e15759; }
g.c4 rect { fill: #76b7b2; } g.c5 rect { fill: #edc948; } g.c6 rect { fill: #b07aa1; } g.c7 rect { fill: #9c755f; }
g.met rect { fill: #59a14f; } g.breached rect { fill: #e15759; } g.at_risk rect { fill: #edc948; }
g.running rect { fill: #4e79a7; }
div.diagram { overflow-x: auto; }
pre { background: #f4f4f4; padding: 1em; overflow-x: auto; }
)";

}  // namespace

std::string dashboard_html(const json &d, const json &holds, const std::vector<WorkflowPicture> &pictures) {
  const std::string from = d.at("from").get<std::string>(), to = d.at("to").get<std::string>();
  const bool none = d.at("issues").get<long long>() == 0;
  const std::string no_issues = "no issues in this period";
  std::string s =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Complaints dashboard " +
      escape_html(from) + " to " + escape_html(to) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n";
  s += "<h1>Complaints dashboard</h1>\n<p class=\"period\">Issues reported from " + escape_html(from) + " to " +
       escape_html(to) + " (exclusive), as of " + escape_html(d.at("as_of").get<std::string>()) + ".</p>\n";
  s += "<h2>Totals</h2>\n" + totals_table(d);
  s += "<h2>By status</h2>\n" + hbar_chart("by_status", "issues by status", count_bars(d.at("by_status")), no_issues);
  s += "<h2>By type</h2>\n" + hbar_chart("by_type", "issues by type", count_bars(d.at("by_type")), no_issues);
  s += "<h2>By category</h2>\n" +
       hbar_chart("by_category", "issues by category", count_bars(d.at("by_category")), no_issues);
  s += "<h2>Resolution time</h2>\n" + resolution_table(d.at("resolution"));
  s += none ? empty_chart(no_issues) : bucket_chart(d.at("resolution_buckets"));
  s += "<h2>SLA compliance</h2>\n" + (none ? empty_chart(no_issues) : sla_chart(d.at("slas")));
  s += "<h2>Payouts withheld, by fieldworker</h2>\n" +
       hbar_chart("holds_by_fieldworker", "holds withheld by fieldworker", hold_bars(holds), "no payout is withheld");
  s += "<h2>Workflow lifecycles</h2>\n" + diagrams(pictures);
  return s + "</body>\n</html>\n";
}

}  // namespace complaints::cli
