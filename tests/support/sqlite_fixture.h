// Writes test bundles into a new SQLite store through the storage layer.
#ifndef CHECKER_TESTS_SUPPORT_SQLITE_FIXTURE_H_
#define CHECKER_TESTS_SUPPORT_SQLITE_FIXTURE_H_

#include <string>
#include <utility>
#include <vector>

#include "model/bundle.h"
#include "model/bytes.h"

namespace checker::testing {

// Creates the SQLite file `path` with table <prefix>BUNDLE holding `rows`.
void WriteSqliteStore(const std::string& path, const std::vector<std::pair<NodeId, Bytes>>& rows,
                      const std::string& prefix = "DEFAULT_");

// root -> jcr:system, root -> n1 -> {n2, n3}, as encoded rows.
std::vector<std::pair<NodeId, Bytes>> HealthyRows();

}  // namespace checker::testing

#endif  // CHECKER_TESTS_SUPPORT_SQLITE_FIXTURE_H_
