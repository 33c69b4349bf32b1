// Copy: every bundle table of one store into another, empty one (any backend
// to any backend), in one write transaction, then proof that both sides hold
// the same rows. Users take a copy to check and fix before they touch
// production.
#ifndef CHECKER_CHECKER_COPY_H_
#define CHECKER_CHECKER_COPY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"
#include "storage/bundle_store.h"

namespace checker {

struct CopiedTable {
  std::string prefix;  // "DEFAULT_" for DEFAULT_BUNDLE
  uint64_t rows = 0;
};

struct CopyReport {
  std::vector<CopiedTable> tables;  // every bundle table of the source, sorted
  uint64_t rows = 0;                // in all tables
  // The digest of all rows, 32 lowercase hex digits: the sum modulo 2^128 of
  // XXH3-128 over each row's 16-byte id and bundle bytes, seeded with a hash
  // of its table's name. A sum does not depend on the order rows are read
  // in, so the same rows give the same digest in any backend.
  std::string digest;
};

// Called now and then while a table is copied, with the rows copied so far.
using CopyProgress = std::function<void(std::string_view prefix, uint64_t rows)>;

// Copies every bundle table of `source` (ListBundleTables) into
// `destination`:
// 1. Refuses with InvalidArgument, before it writes anything, if any bundle
//    table of the destination holds a row. Empty tables are fine.
// 2. In one write transaction on the destination: creates each table, puts
//    every row as the source scan delivers it, commits. Busy if another
//    process holds the destination; Interrupted on Ctrl-C. On any error the
//    transaction is rolled back and the destination is as it was.
// 3. After the commit, scans both stores again: each table's row count and
//    digest must be the same in the destination as what was copied
//    (Corruption otherwise), and the same in the source (Corruption "the
//    source changed during the copy" otherwise: copy from a store nobody
//    writes to). The committed copy stays in place either way.
Result<CopyReport> CopyStore(BundleStore& source, BundleStore& destination,
                             const CopyProgress& progress = nullptr);

// "copied N rows in K tables; xxh3 digest <hex> verified on both sides"
// ("1 row", "1 table" in the singular).
std::string CopySummary(const CopyReport& report);

}  // namespace checker

#endif  // CHECKER_CHECKER_COPY_H_
