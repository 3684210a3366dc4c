#include "storage/codec.hpp"

#include <nlohmann/json.hpp>

namespace complaints::codec {

std::string encode_changes(const std::vector<FieldChange> &changes) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto &c : changes) j.push_back({c.field, c.before, c.after});
  return j.dump();
}

std::vector<FieldChange> decode_changes(std::string_view text) {
  std::vector<FieldChange> out;
  try {
    auto j = nlohmann::json::parse(text);
    for (const auto &c : j) out.push_back({c.at(0).get<std::string>(), c.at(1).get<std::string>(), c.at(2).get<std::string>()});
  } catch (const nlohmann::json::exception &e) {
    throw StorageError(std::string("stored timeline changes are corrupt: ") + e.what());
  }
  return out;
}

}  // namespace complaints::codec
