// OpenStore picks a backend by the scheme before the first ':' and hands the
// rest of the url, unchanged, to it as a path.
#include <string>
#include <string_view>

#include "storage/bundle_store.h"
#include "storage/lmdb_store.h"
#include "storage/memory_store.h"
#include "storage/sqlite_store.h"

namespace checker {

Result<std::unique_ptr<BundleStore>> OpenStore(std::string_view url, OpenMode mode) {
  size_t colon = url.find(':');
  std::string_view scheme = url.substr(0, colon);
  std::string_view path = colon == std::string_view::npos ? "" : url.substr(colon + 1);
  if (colon != std::string_view::npos && scheme == "memory" && path.empty()) {
    return std::unique_ptr<BundleStore>(new MemoryStore());
  }
  if (colon == std::string_view::npos || (scheme != "sqlite" && scheme != "lmdb")) {
    return Status::InvalidArgument("unknown storage url '" + std::string(url) +
                                   "': expected sqlite:<file> or lmdb:<dir>");
  }
  if (path.empty()) {
    return Status::InvalidArgument("storage url '" + std::string(url) + "' names no path");
  }
  if (scheme == "lmdb") {
    auto store = LmdbStore::Open(std::string(path), mode);
    if (!store.ok()) return store.status();
    return std::unique_ptr<BundleStore>(std::move(store).value());
  }
  auto store = SqliteStore::Open(std::string(path), mode);
  if (!store.ok()) return store.status();
  return std::unique_ptr<BundleStore>(std::move(store).value());
}

}  // namespace checker
