// Reading the project's own docs and headers in tests that hold the code to
// them (docs/permissions.md, the limits table of docs/c-api.md): a file of
// the source tree, and the cells of a Markdown table's rows.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace test {

/// The text of a file of the source tree, by its path from the top.
inline std::string source_file(const std::string &relative) {
  std::ifstream in(std::string(COMPLAINTS_SOURCE_DIR) + "/" + relative, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read ", relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string trim(std::string s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && blank(s[i])) ++i;
  return s.substr(i);
}

/// The cells of a table row "| a | b |": "a", "b", trimmed. ("\|" is not
/// special: cells of the tables read this way hold no '|'.)
inline std::vector<std::string> cells_of(const std::string &line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, '|')) out.push_back(trim(cell));
  // "| a | b |" splits into "", "a", "b": the leading empty cell goes.
  if (!out.empty() && out.front().empty()) out.erase(out.begin());
  return out;
}

/// What stands in backticks in `text`, in order: "`a`, `b`" gives "a", "b".
inline std::vector<std::string> ticked(std::string_view text) {
  std::vector<std::string> out;
  std::string s(text);
  static const std::regex quoted("`([^`]+)`");
  for (auto it = std::sregex_iterator(s.begin(), s.end(), quoted); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

}  // namespace test
