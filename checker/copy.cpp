// A copy reads the source three times at most and the destination once:
// the emptiness check (stops at the first row, or asks CountRows),
// the copy itself (one scan of each source table inside the destination's
// write transaction, hashing every row it puts), and the verification (one
// scan of each table on both sides after the commit). Digests are kept per
// table, so a mismatch names its table; the report's digest is their sum.
#include "checker/copy.h"

#include <xxhash.h>

#include <cstring>

#include "checker/interrupt.h"
#include "storage/table_name.h"

namespace checker {
namespace {

using Sum128 = unsigned __int128;

// Rows and the sum of their hashes, for one table.
struct TableDigest {
  uint64_t rows = 0;
  Sum128 sum = 0;

  bool operator==(const TableDigest&) const = default;
};

std::string Hex(Sum128 value) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  for (int i = 31; i >= 0; --i, value >>= 4) out[i] = kHex[static_cast<unsigned>(value & 0xF)];
  return out;
}

std::string Describe(const TableDigest& digest) {
  return std::to_string(digest.rows) + " rows, digest " + Hex(digest.sum);
}

// Adds rows of one table to its digest (see CopyReport::digest).
class TableHasher {
 public:
  explicit TableHasher(std::string_view prefix) {
    std::string table = BundleTableName(prefix);
    seed_ = XXH3_64bits(table.data(), table.size());
  }

  void Add(const Row& row) {
    buffer_.resize(NodeId::kBytes + row.bytes.size());
    row.id.WriteBytes(buffer_.data());
    if (!row.bytes.empty()) {
      std::memcpy(buffer_.data() + NodeId::kBytes, row.bytes.data(), row.bytes.size());
    }
    XXH128_hash_t hash = XXH3_128bits_withSeed(buffer_.data(), buffer_.size(), seed_);
    digest_.sum += (Sum128{hash.high64} << 64) | hash.low64;
    ++digest_.rows;
  }
  const TableDigest& digest() const { return digest_; }

 private:
  XXH64_hash_t seed_;
  Bytes buffer_;  // id + bytes of the row being hashed, reused
  TableDigest digest_;
};

Result<TableDigest> DigestTable(BundleStore& store, std::string_view prefix) {
  TableHasher hasher(prefix);
  Status scanned = store.Scan(prefix, [&](std::span<const Row> batch) {
    for (const Row& row : batch) hasher.Add(row);
    return Status::Ok();
  });
  if (!scanned.ok()) return scanned;
  return hasher.digest();
}

Status RequireEmpty(BundleStore& destination) {
  auto tables = destination.ListBundleTables();
  if (!tables.ok()) return tables.status();
  for (const std::string& prefix : *tables) {
    std::optional<uint64_t> count = destination.CountRows(prefix);
    bool has_rows = count.has_value() && *count > 0;
    if (!count.has_value()) {
      Status scanned = destination.Scan(prefix, [&](std::span<const Row> batch) {
        has_rows = !batch.empty();
        return has_rows ? Status::Interrupted("stop at the first row") : Status::Ok();
      });
      if (!has_rows && !scanned.ok()) return scanned;
    }
    if (has_rows) {
      return Status::InvalidArgument("cannot copy into " + destination.Describe() + ": its table " +
                                     BundleTableName(prefix) +
                                     " has rows (copy writes only into an empty store); "
                                     "nothing was written");
    }
  }
  return Status::Ok();
}

Status CheckInterrupt() {
  if (!InterruptRequested()) return Status::Ok();
  return Status::Interrupted("interrupted: the copy was rolled back");
}

// Copies each table in one transaction; `copied` gets the digest of what
// was put, table by table.
Status CopyTables(BundleStore& source, BundleStore& destination,
                  const std::vector<std::string>& tables, const CopyProgress& progress,
                  std::vector<TableDigest>* copied) {
  auto txn = destination.BeginWrite();
  if (!txn.ok()) return txn.status();
  for (const std::string& prefix : tables) {
    CHECKER_RETURN_IF_ERROR((*txn)->CreateTable(prefix));
    TableHasher hasher(prefix);
    Status scanned = source.Scan(prefix, [&](std::span<const Row> batch) {
      CHECKER_RETURN_IF_ERROR(CheckInterrupt());
      for (const Row& row : batch) {
        CHECKER_RETURN_IF_ERROR((*txn)->Put(prefix, row.id, row.bytes));
        hasher.Add(row);
      }
      if (progress) progress(prefix, hasher.digest().rows);
      return Status::Ok();
    });
    CHECKER_RETURN_IF_ERROR(scanned);
    copied->push_back(hasher.digest());
  }
  CHECKER_RETURN_IF_ERROR(CheckInterrupt());
  return (*txn)->Commit();
}

// Scans both sides again and compares them with what was copied.
Status Verify(BundleStore& source, BundleStore& destination, const std::vector<std::string>& tables,
              const std::vector<TableDigest>& copied) {
  for (size_t i = 0; i < tables.size(); ++i) {
    const std::string table = BundleTableName(tables[i]);
    auto written = DigestTable(destination, tables[i]);
    if (!written.ok()) return written.status().WithContext("verifying the copy");
    if (*written != copied[i]) {
      return Status::Corruption("verification failed: table " + table + " in " +
                                destination.Describe() + " has " + Describe(*written) +
                                " after the copy, but " + Describe(copied[i]) + " were copied");
    }
    auto now = DigestTable(source, tables[i]);
    if (!now.ok()) return now.status().WithContext("verifying the copy");
    if (*now != copied[i]) {
      return Status::Corruption("the source changed during the copy: table " + table + " in " +
                                source.Describe() + " has " + Describe(*now) + " now, but " +
                                Describe(copied[i]) +
                                " were copied; copy from a store that "
                                "nothing writes to");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<CopyReport> CopyStore(BundleStore& source, BundleStore& destination,
                             const CopyProgress& progress) {
  auto tables = source.ListBundleTables();
  if (!tables.ok()) return tables.status();
  CHECKER_RETURN_IF_ERROR(RequireEmpty(destination));
  std::vector<TableDigest> copied;
  CHECKER_RETURN_IF_ERROR(CopyTables(source, destination, *tables, progress, &copied));
  CHECKER_RETURN_IF_ERROR(Verify(source, destination, *tables, copied));

  CopyReport report;
  Sum128 total = 0;
  for (size_t i = 0; i < tables->size(); ++i) {
    report.tables.push_back({(*tables)[i], copied[i].rows});
    report.rows += copied[i].rows;
    total += copied[i].sum;
  }
  report.digest = Hex(total);
  return report;
}

std::string CopySummary(const CopyReport& report) {
  auto count = [](uint64_t n, const std::string& noun) {
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
  };
  return "copied " + count(report.rows, "row") + " in " + count(report.tables.size(), "table") +
         "; xxh3 digest " + report.digest + " verified on both sides";
}

}  // namespace checker
