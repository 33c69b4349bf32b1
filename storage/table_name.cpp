// Prefix validation is a whitelist, not an escaper: a prefix that Jackrabbit
// could not have produced is a user error, reported with the character that
// is wrong, rather than something to quote around.
#include "storage/table_name.h"

namespace checker {
namespace {

bool IsPrefixChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

Status ValidatePrefix(std::string_view prefix) {
  for (char c : prefix) {
    if (!IsPrefixChar(c)) {
      return Status::InvalidArgument("invalid table prefix '" + std::string(prefix) +
                                     "': only letters, digits and '_' are allowed, found '" +
                                     std::string(1, c) + "'");
    }
  }
  return Status::Ok();
}

std::string BundleTableName(std::string_view prefix) {
  std::string name(prefix);
  name += kBundleTableSuffix;
  return name;
}

Status TableNotFound(std::string_view prefix, std::string_view where,
                     const std::vector<std::string>& existing_prefixes) {
  std::string msg = "table " + BundleTableName(prefix) + " not found in " + std::string(where);
  if (existing_prefixes.empty()) return Status::NotFound(msg + " (it has no bundle tables)");
  msg += " (bundle tables: ";
  for (size_t i = 0; i < existing_prefixes.size(); ++i) {
    if (i > 0) msg += ", ";
    msg += BundleTableName(existing_prefixes[i]);
  }
  return Status::NotFound(msg + ")");
}

}  // namespace checker
