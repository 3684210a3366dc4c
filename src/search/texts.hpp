// What a search reads of an issue (SearchText): built here, once, for every
// backend, whenever the description, a comment or an attachment changes.
#pragma once

#include <vector>

#include "complaints/storage.hpp"

namespace complaints::search {

/// The customer's and everyone's text of an issue: the description, then the
/// comments by id, then the attachment names by id, joined by newlines; the
/// customer's without internal comments and internal attachments.
SearchText texts(const Issue &issue, const std::vector<Comment> &comments, const std::vector<Attachment> &attachments);

/// Rewrites the issue's search texts from what `txn` holds now.
void reindex(StorageTransaction &txn, const Issue &issue);

}  // namespace complaints::search
