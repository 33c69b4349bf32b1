// Writing: the whole text is built in memory, written with write(2) to a
// file opened O_CREAT|O_EXCL (an undo file is never overwritten), then
// fsync'ed, and so is its folder, so that a crash right after the fix
// commits cannot lose the undo file.
// Reading: strict, line by line; any deviation is an error naming the line.
#include "checker/undo_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace checker {
namespace {

constexpr char kMagic[] = "checker-undo 1";

std::string Hex(const Bytes& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 15];
  }
  return out;
}

std::optional<Bytes> Unhex(std::string_view text) {
  if (text == "-") return Bytes{};
  if (text.size() % 2 != 0) return std::nullopt;
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int value = 0;
    for (char c : text.substr(2 * i, 2)) {
      int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (digit < 0) return std::nullopt;
      value = value * 16 + digit;
    }
    out[i] = static_cast<uint8_t>(value);
  }
  return out;
}

// An empty image is written as "-" so every row has four fields.
std::string HexField(const Bytes& bytes) { return bytes.empty() ? "-" : Hex(bytes); }

Status WriteAllAndSync(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IOError("cannot write undo file " + path + ": " + strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    return Status::IOError("cannot flush undo file " + path + ": " + strerror(errno));
  }
  return Status::Ok();
}

void SyncFolderOf(const std::string& path) {
  std::string folder = std::filesystem::path(path).parent_path().string();
  int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

Status Malformed(const std::string& path, int line, const std::string& what) {
  return Status::Corruption(path + ":" + std::to_string(line) + ": not a valid undo file: " + what);
}

}  // namespace

Status WriteUndoFile(const std::string& path, const UndoRecord& record) {
  std::ostringstream text;
  text << kMagic << "\nstore " << record.store_url << "\nworkspaces ";
  for (size_t i = 0; i < record.workspaces.size(); ++i) {
    text << (i ? "," : "") << record.workspaces[i];
  }
  text << "\ncreated " << record.created << "\nrows " << record.rows.size() << "\n";
  for (const Rewrite& row : record.rows) {
    text << "row " << row.table_prefix << " " << row.id.ToString() << " " << HexField(row.before)
         << " " << HexField(row.after) << "\n";
  }
  text << "end\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError("cannot create undo file " + path + ": " + strerror(errno));
  Status written = WriteAllAndSync(fd, text.str(), path);
  ::close(fd);
  if (!written.ok()) return written;
  SyncFolderOf(path);
  return Status::Ok();
}

Result<UndoRecord> ReadUndoFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot read undo file " + path + ": " + strerror(errno));
  UndoRecord record;
  std::string line;
  int number = 0;
  auto next = [&](std::string_view key) -> std::optional<std::string> {
    if (!std::getline(in, line)) return std::nullopt;
    ++number;
    if (!line.starts_with(std::string(key) + " ")) return std::nullopt;
    return line.substr(key.size() + 1);
  };
  if (!std::getline(in, line) || line != kMagic) return Malformed(path, 1, "no 'checker-undo 1'");
  number = 1;
  std::optional<std::string> store = next("store");
  if (!store || store->empty()) return Malformed(path, number, "expected 'store <url>'");
  record.store_url = *store;
  std::optional<std::string> workspaces = next("workspaces");
  if (!workspaces) return Malformed(path, number, "expected 'workspaces <names>'");
  std::stringstream names(*workspaces);
  for (std::string name; std::getline(names, name, ',');) record.workspaces.push_back(name);
  std::optional<std::string> created = next("created");
  if (!created) return Malformed(path, number, "expected 'created <time>'");
  record.created = *created;
  std::optional<std::string> rows = next("rows");
  if (!rows) return Malformed(path, number, "expected 'rows <n>'");
  size_t count = std::strtoull(rows->c_str(), nullptr, 10);
  for (size_t i = 0; i < count; ++i) {
    std::optional<std::string> row = next("row");
    if (!row) return Malformed(path, number, "expected 'row <table> <uuid> <before> <after>'");
    std::istringstream fields(*row);
    std::string prefix, uuid, before, after;
    fields >> prefix >> uuid >> before >> after;
    std::optional<NodeId> id = NodeId::Parse(uuid);
    std::optional<Bytes> before_bytes = Unhex(before);
    std::optional<Bytes> after_bytes = Unhex(after);
    if (prefix.empty() || !id || !before_bytes || !after_bytes) {
      return Malformed(path, number, "expected 'row <table> <uuid> <before> <after>'");
    }
    record.rows.push_back({prefix, *id, std::move(*before_bytes), std::move(*after_bytes)});
  }
  if (!std::getline(in, line) || line != "end") {
    return Malformed(
        path, number + 1,
        "expected 'end' after " + std::to_string(count) + " rows (the file is cut short)");
  }
  return record;
}

std::string DefaultUndoPath(const std::string& store_path, const std::string& utc_compact_time) {
  std::string base = store_path;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  base += ".checker-undo-" + utc_compact_time;
  std::string path = base;
  for (int n = 2; std::filesystem::exists(path); ++n) path = base + "-" + std::to_string(n);
  return path;
}

Result<UndoResult> ApplyUndo(BundleStore& store, const UndoRecord& record, bool force) {
  Result<std::unique_ptr<WriteTransaction>> txn = store.BeginWrite();
  if (!txn.ok()) return txn.status();
  UndoResult result;
  for (const Rewrite& row : record.rows) {
    Result<std::optional<Bytes>> current = (*txn)->Get(row.table_prefix, row.id);
    if (!current.ok()) return current.status();
    if (!current->has_value() || **current != row.after) {
      ++result.changed_since;
      if (!force) {
        (void)(*txn)->Rollback();
        return Status::InvalidArgument(
            "bundle " + row.id.ToString() + " (table " + row.table_prefix +
            "BUNDLE) has changed since the fix; nothing was restored (--force restores the "
            "before-images anyway)");
      }
    }
    CHECKER_RETURN_IF_ERROR((*txn)->Put(row.table_prefix, row.id, row.before));
    ++result.restored;
  }
  CHECKER_RETURN_IF_ERROR((*txn)->Commit());
  return result;
}

}  // namespace checker
