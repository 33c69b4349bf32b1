// Bundle: one node as Jackrabbit stores it in a row of <PREFIX>BUNDLE.
//
// The node's own id is the row key, not part of the bundle. Properties keep
// the order the bundle stores them in (Java HashMap order: meaningless, but
// kept so that a rewritten bundle changes only what a repair changes); child
// entries keep JCR child order. The encoding is in bundle_codec.h.
#ifndef CHECKER_MODEL_BUNDLE_H_
#define CHECKER_MODEL_BUNDLE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "model/name.h"
#include "model/node_id.h"
#include "model/value.h"

namespace checker {

struct PropertyEntry {
  Name name;
  PropertyType type = PropertyType::kString;
  bool multi_valued = false;
  int16_t mod_count = 0;
  std::vector<Value> values;  // exactly one unless multi_valued
  friend bool operator==(const PropertyEntry&, const PropertyEntry&) = default;
};

struct ChildEntry {
  Name name;
  NodeId id;
  friend bool operator==(const ChildEntry&, const ChildEntry&) = default;
};

struct Bundle {
  Name primary_type;
  std::optional<NodeId> parent;  // nullopt: no parent (the root)
  int16_t mod_count = 0;         // a Java short: wraps on overflow
  std::vector<Name> mixins;      // a set in Java: order not significant
  bool referenceable = false;
  std::vector<PropertyEntry> properties;
  std::vector<ChildEntry> children;
  std::vector<NodeId> shared_set;  // parents of a mix:shareable node; a set

  friend bool operator==(const Bundle&, const Bundle&) = default;
};

}  // namespace checker

#endif  // CHECKER_MODEL_BUNDLE_H_
