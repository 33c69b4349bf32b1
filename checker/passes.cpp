// Runs the passes in order and merges their findings into report order: by
// node id, and for one node in pass order (unreadable, entries, parent,
// reachability), which for Jackrabbit's four kinds is the order its checker
// reports a node's items in.
#include <algorithm>

#include "checker/passes.h"

namespace checker {

std::vector<Finding> RunAllPasses(const Index& index, Subjects subjects, const NodeId& root) {
  Listings listings;
  std::vector<Finding> all = RunUnreadablePass(index, subjects);
  std::vector<Finding> links = RunLinkPass(index, &listings, subjects);
  std::vector<Finding> parents = RunParentPass(index, listings, subjects);
  std::vector<Finding> reachability;
  if (subjects == nullptr) reachability = RunReachabilityPass(index, listings, root);
  for (std::vector<Finding>* pass : {&links, &parents, &reachability}) {
    all.insert(all.end(), std::make_move_iterator(pass->begin()),
               std::make_move_iterator(pass->end()));
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Finding& a, const Finding& b) { return a.node < b.node; });
  return all;
}

}  // namespace checker
