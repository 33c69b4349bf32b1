// Runs the passes in order and merges their findings into report order: by
// node id, and for one node in pass order (unreadable, entries, parent), which
// is the order Jackrabbit's checker reports a node's items in.
#include <algorithm>

#include "checker/passes.h"

namespace checker {

std::vector<Finding> RunAllPasses(const Index& index, Subjects subjects) {
  std::vector<bool> listed_by_parent;
  std::vector<Finding> all = RunUnreadablePass(index, subjects);
  std::vector<Finding> links = RunLinkPass(index, &listed_by_parent, subjects);
  std::vector<Finding> parents = RunParentPass(index, listed_by_parent, subjects);
  all.insert(all.end(), std::make_move_iterator(links.begin()),
             std::make_move_iterator(links.end()));
  all.insert(all.end(), std::make_move_iterator(parents.begin()),
             std::make_move_iterator(parents.end()));
  std::stable_sort(all.begin(), all.end(),
                   [](const Finding& a, const Finding& b) { return a.node < b.node; });
  return all;
}

}  // namespace checker
