#include "search/tokenizer.hpp"

#include <sqlite3.h>

#include <climits>
#include <memory>
#include <mutex>

#include "complaints/errors.hpp"

namespace complaints::search {

namespace {

// FTS5's tokenizer interface, found once per process through a private
// in-memory connection that stays open (the tokenizer lives in it).
struct Fts5 {
  sqlite3 *db = nullptr;
  fts5_tokenizer tokenizer{};
  void *context = nullptr;
};

const Fts5 &fts5() {
  static const Fts5 found = [] {
    Fts5 f;
    if (sqlite3_open_v2(":memory:", &f.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
      throw StorageError("full-text search: cannot open SQLite's tokenizer connection");
    fts5_api *api = nullptr;
    sqlite3_stmt *s = nullptr;
    if (sqlite3_prepare_v2(f.db, "SELECT fts5(?1)", -1, &s, nullptr) == SQLITE_OK) {
      sqlite3_bind_pointer(s, 1, static_cast<void *>(&api), "fts5_api_ptr", nullptr);
      sqlite3_step(s);
    }
    sqlite3_finalize(s);
    if (!api || api->xFindTokenizer(api, "unicode61", &f.context, &f.tokenizer) != SQLITE_OK)
      throw StorageError("full-text search: this SQLite has no FTS5 unicode61 tokenizer");
    return f;
  }();
  return found;
}

// One tokenizer object per thread: unicode61 keeps a folding buffer in it.
class ThreadTokenizer {
 public:
  ThreadTokenizer() {
    const Fts5 &f = fts5();
    const char *args[] = {"remove_diacritics", "2"};
    if (f.tokenizer.xCreate(f.context, args, 2, &tok_) != SQLITE_OK)
      throw StorageError("full-text search: cannot create SQLite's unicode61 tokenizer");
  }
  ~ThreadTokenizer() {
    if (tok_) fts5().tokenizer.xDelete(tok_);
  }
  ThreadTokenizer(const ThreadTokenizer &) = delete;
  ThreadTokenizer &operator=(const ThreadTokenizer &) = delete;

  std::vector<Token> run(std::string_view text) {
    std::vector<Token> out;
    if (text.empty()) return out;
    // The library's texts are far below INT_MAX bytes (limits.hpp).
    int n = static_cast<int>(std::min<std::size_t>(text.size(), INT_MAX));
    auto add = [](void *ctx, int flags, const char *token, int size, int begin, int end) -> int {
      if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;  // unicode61 gives none
      static_cast<std::vector<Token> *>(ctx)->push_back(
          {std::string(token, static_cast<std::size_t>(size)), static_cast<std::size_t>(begin),
           static_cast<std::size_t>(end)});
      return SQLITE_OK;
    };
    if (fts5().tokenizer.xTokenize(tok_, &out, FTS5_TOKENIZE_DOCUMENT, text.data(), n, add) != SQLITE_OK)
      throw StorageError("full-text search: SQLite's tokenizer failed (out of memory)");
    return out;
  }

 private:
  Fts5Tokenizer *tok_ = nullptr;
};

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  thread_local ThreadTokenizer tokenizer;
  return tokenizer.run(text);
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  for (auto &t : tokenize(text)) out.push_back(std::move(t.text));
  return out;
}

}  // namespace complaints::search
