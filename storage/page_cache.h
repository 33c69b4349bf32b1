// How much of a file is in the operating system's page cache, found with
// mincore() on a read-only mapping of it: one bit per page, nothing read from
// the disk.
//
// Why: counting the rows of a SQLite table walks its primary-key index,
// which is cheap when the file is cached (0.1 s for 10M rows) and as slow as
// scanning the whole table when it is not (6 s for the same 10M rows on this
// machine's disk: the index pages lie scattered over the file). So the
// count is taken only when the file is cached.
#ifndef CHECKER_STORAGE_PAGE_CACHE_H_
#define CHECKER_STORAGE_PAGE_CACHE_H_

#include <optional>
#include <string>

namespace checker {

// The fraction (0 to 1) of the pages of the file at `path` that are in the
// page cache; nullopt if the file cannot be opened or mapped, or is empty.
std::optional<double> CachedFraction(const std::string& path);

}  // namespace checker

#endif  // CHECKER_STORAGE_PAGE_CACHE_H_
