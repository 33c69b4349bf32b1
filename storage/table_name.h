// Table names: how a prefix ("DEFAULT_") becomes a bundle table name.
//
// Jackrabbit upper-cases its schemaObjectPrefix and escapes every character
// that is not a letter, digit or underscore as _xHHHH_, so a real prefix only
// ever holds [A-Za-z0-9_] (possibly nothing). Every backend validates the
// prefix with ValidatePrefix before use; the SQL backends then paste it into
// statements, which is safe only because of that check.
#ifndef CHECKER_STORAGE_TABLE_NAME_H_
#define CHECKER_STORAGE_TABLE_NAME_H_

#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

namespace checker {

inline constexpr std::string_view kBundleTableSuffix = "BUNDLE";

// OK if `prefix` consists of [A-Za-z0-9_] only (the empty prefix is valid);
// InvalidArgument naming the offending character otherwise.
Status ValidatePrefix(std::string_view prefix);

// "<prefix>BUNDLE". REQUIRES: ValidatePrefix(prefix).ok().
std::string BundleTableName(std::string_view prefix);

// NotFound "table <prefix>BUNDLE not found in <where>", followed by the
// bundle tables that do exist (given by prefix), so that a misspelled
// workspace is easy to spot.
Status TableNotFound(std::string_view prefix, std::string_view where,
                     const std::vector<std::string>& existing_prefixes);

}  // namespace checker

#endif  // CHECKER_STORAGE_TABLE_NAME_H_
