// complaints/discussion.hpp - comments, attachments, watchers and links (SPEC R5, R2.5).
//
// Each issue has a discussion thread. A comment is internal (office and
// fieldworkers) or public (the customer too); it may answer another comment
// of the same issue, and may @mention users the host has registered
// (Desk::put_user), who are then notified. Attachments (photos, PDFs,
// signatures) belong to an issue or to a comment: the host either keeps the
// file and gives its storage key, or hands the bytes to the library.
// Internal content never reaches a customer through any read, search,
// template or notification.
//
// Thread-safety: the types here are plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "complaints/actor.hpp"
#include "complaints/clock.hpp"
#include "complaints/export.hpp"

namespace complaints {

/// An attachment: metadata always, bytes only when the library keeps them.
struct Attachment {
  std::int64_t id = 0;
  std::string issue_code;
  std::optional<std::int64_t> comment_id{};  ///< set when attached to a comment
  std::string name;                          ///< file name, e.g. "scratch.jpg"
  std::string media_type;                    ///< e.g. "image/jpeg"
  std::int64_t size = 0;                     ///< bytes
  std::string sha256;                        ///< lower-case hex
  std::string storage_key{};                 ///< the host's key, when the host keeps the file
  std::string bytes{};  ///< the file, when the library keeps it (only from Desk::attachment)
  bool internal = true;  ///< office and fieldworkers only; see AttachmentRequest::internal
  std::string uploaded_by;
  Timestamp created_at;
  friend bool operator==(const Attachment &, const Attachment &) = default;
};

/// A new attachment: give either `storage_key` (and its size and sha256) or
/// `bytes` (the library checks size and sha256 against them; sha256 may be left
/// empty for the library to compute).
///
/// `internal` says who sees the file, and is never silently widened:
/// - unset: on a comment, as its comment; on the issue itself, internal
///   (public when a customer attaches it);
/// - true: internal, even on a public comment (the customer sees the comment,
///   not the file, nor its name on the timeline);
/// - false: public, which on an internal comment would show the file without
///   its comment, so it is refused (InvalidInput naming
///   "attachments[i].internal").
/// A customer's files are public: a customer giving true is refused the same way
/// ("attachments[i].internal", or "attachment.internal" for Desk::attach).
struct AttachmentRequest {
  std::string name;                          ///< at most limits::attachment_name_bytes, as an id
  std::string media_type;                    ///< "type/subtype", lower case, at most limits::media_type_bytes
  std::optional<std::string> storage_key{};  ///< at most limits::storage_key_bytes
  std::optional<std::string> bytes{};        ///< at most limits::attachment_bytes (10 MiB)
  std::int64_t size = 0;                     ///< with a storage key: 0 to limits::host_file_bytes
  std::string sha256{};
  std::optional<bool> internal{};
};

struct Comment {
  std::int64_t id = 0;
  std::string issue_code;
  std::string author_id;
  Role author_role = Role::office;
  bool internal = true;
  std::string body;
  std::optional<std::int64_t> reply_to{};  ///< the comment it answers
  std::vector<std::string> mentions{};     ///< users @mentioned, as resolved
  std::vector<Attachment> attachments{};   ///< metadata, without bytes
  Timestamp created_at;
  friend bool operator==(const Comment &, const Comment &) = default;
};

struct CommentRequest {
  std::string body;
  bool internal = true;  ///< customers' comments are always public
  std::optional<std::int64_t> reply_to{};
  std::vector<AttachmentRequest> attachments{};  ///< each as internal as its own flag says (AttachmentRequest)
};

enum class LinkKind : std::uint8_t {
  related,       ///< shown as "related" on both issues
  duplicate_of,  ///< this issue duplicates the other; the other shows "duplicated by"
};
COMPLAINTS_API const char *to_string(LinkKind k) noexcept;
COMPLAINTS_API std::optional<LinkKind> link_kind_from_string(std::string_view name) noexcept;

/// A link as seen from one issue.
struct IssueLink {
  std::string other_code;
  LinkKind kind = LinkKind::related;
  bool outgoing = true;  ///< false: the other issue made the link (e.g. "duplicated by")
  std::string created_by;
  Timestamp created_at;
  friend bool operator==(const IssueLink &, const IssueLink &) = default;
};

/// What Desk::delete_forever erased.
struct DeletedIssue {
  std::string code;
  std::int64_t comments = 0;
  std::int64_t attachments = 0;
  std::int64_t timeline_entries = 0;
  std::int64_t outbox_items = 0;  ///< undelivered notifications and messages dropped
  /// The host's storage keys of the erased attachments: delete those files too.
  std::vector<std::string> storage_keys{};
  /// True when the SQLite write-ahead log could be checkpointed and truncated
  /// at once, so no copy of the erased text remains in any file. False when
  /// another connection's open read kept old page images in the log: the
  /// store remembers the scrub is owed, and the next write, open or close of
  /// any connection to it, or Desk::scrub, finishes it.
  bool files_scrubbed = true;
};

}  // namespace complaints
