// The undo file: the before-images of every bundle a fix rewrites, written
// and flushed to disk before the fix commits, so that `checker undo FILE`
// can put them back. It names its store, so undo needs no other argument.
//
// Format (text, one record a line, bytes in lowercase hex):
//   checker-undo 1
//   store <url, with an absolute path>
//   workspaces <name>[,<name>...]
//   created <UTC time, ISO 8601>
//   rows <n>
//   row <table prefix> <uuid> <before hex> <after hex>      (n times)
//   end
// The "end" line and the row count catch a file cut short.
#ifndef CHECKER_CHECKER_UNDO_FILE_H_
#define CHECKER_CHECKER_UNDO_FILE_H_

#include <string>
#include <vector>

#include "checker/repair.h"
#include "model/status.h"
#include "storage/bundle_store.h"

namespace checker {

struct UndoRecord {
  std::string store_url;
  std::vector<std::string> workspaces;
  std::string created;
  std::vector<Rewrite> rows;
};

// Writes `record` to a new file at `path` (never overwrites one) and flushes
// it and its folder to disk.
Status WriteUndoFile(const std::string& path, const UndoRecord& record);

// Reads an undo file; Corruption (naming the line) if it is malformed or cut short.
Result<UndoRecord> ReadUndoFile(const std::string& path);

// "<store file>.checker-undo-<YYYYMMDDTHHMMSSZ>" beside the store's file or
// folder; "-2", "-3"... if that name is taken.
std::string DefaultUndoPath(const std::string& store_path, const std::string& utc_compact_time);

struct UndoResult {
  size_t restored = 0;
  size_t changed_since = 0;  // rows whose current bytes are not the fix's after-image
};

// Restores every before-image in one transaction. Refuses (rolls back,
// InvalidArgument naming the first such row) when a row changed since the
// fix, unless `force`.
Result<UndoResult> ApplyUndo(BundleStore& store, const UndoRecord& record, bool force);

}  // namespace checker

#endif  // CHECKER_CHECKER_UNDO_FILE_H_
