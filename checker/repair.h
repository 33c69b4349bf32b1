// Turning a plan into bundle rewrites, and saying what was done.
//
// Materialize reads each bundle a plan edits (inside the write transaction,
// so the before-image is what the transaction replaces), decodes it fully,
// applies the edit and encodes it again with modCount + 1, as Jackrabbit does
// when it rewrites a bundle. Properties, mixins and the untouched entries come
// through unchanged.
#ifndef CHECKER_CHECKER_REPAIR_H_
#define CHECKER_CHECKER_REPAIR_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checker/planner.h"
#include "model/bundle.h"
#include "model/bytes.h"
#include "model/status.h"

namespace checker {

struct Rewrite {
  std::string table_prefix;
  NodeId id;
  Bytes before;
  Bytes after;
};

struct Materialized {
  std::vector<Rewrite> rewrites;  // in the plan's order (by id)
  // The name each added entry got: "<uuid>", or "<uuid>_2", "<uuid>_3"...
  // when the holder already has a child of that name.
  std::map<NodeId, std::string> added_names;
};

using BundleReader = std::function<Result<std::optional<Bytes>>(const NodeId& id)>;

// Fails if a bundle to edit has vanished or cannot be decoded (the store
// changed since the check): then nothing may be written.
Result<Materialized> Materialize(const Plan& plan, const std::string& table_prefix,
                                 const BundleReader& read);

// Applies one edit to a decoded bundle (exposed for tests).
void ApplyEdit(const NodeEdit& edit, Bundle* bundle, std::map<NodeId, std::string>* added_names);

// The words for an outcome, in one place. `done` false gives what fix would
// do ("would remove the child entry"); true, what it did.
std::string RepairText(const Finding& finding, const Outcome& outcome, bool done,
                       const std::map<NodeId, std::string>& added_names,
                       const std::string& workspace);

}  // namespace checker

#endif  // CHECKER_CHECKER_REPAIR_H_
