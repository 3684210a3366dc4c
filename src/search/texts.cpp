#include "search/texts.hpp"

namespace complaints::search {

SearchText texts(const Issue &issue, const std::vector<Comment> &comments,
                 const std::vector<Attachment> &attachments) {
  SearchText out{issue.description, issue.description};
  auto add = [&](const std::string &part, bool internal) {
    out.staff += '\n';
    out.staff += part;
    if (internal) return;
    out.customer += '\n';
    out.customer += part;
  };
  for (const auto &c : comments) add(c.body, c.internal);
  for (const auto &a : attachments) add(a.name, a.internal);
  return out;
}

void reindex(StorageTransaction &txn, const Issue &issue) {
  txn.put_search_text(issue.number, texts(issue, txn.comments(issue.number), txn.attachments(issue.number)));
}

}  // namespace complaints::search
