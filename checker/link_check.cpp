// How: every store's index keeps, by position, the links its nodes hold
// (NodeLink). Each link is resolved by binary search in the indexes it may
// point into, so the check costs a few lookups per link and no memory beyond
// the findings. Links are in position order, which is id order, so the
// findings come out in report order.
#include "checker/link_check.h"

#include <algorithm>

#include "checker/passes.h"
#include "model/bundle_codec.h"

namespace checker {
namespace {

bool InIndex(const Index& index, const NodeId& id) { return index.Find(id).has_value(); }

// A node's links come together, so only the last findings can repeat `f`.
bool HeldAlready(const std::vector<Finding>& findings, const Finding& f) {
  for (auto it = findings.rbegin(); it != findings.rend() && it->node == f.node; ++it) {
    if (it->kind == f.kind && it->related == f.related) return true;
  }
  return false;
}

class LinkChecker {
 public:
  LinkChecker(std::span<const LinkedStore> stores, const LinkCheckOptions& options)
      : stores_(stores), options_(options) {
    for (const LinkedStore& s : stores_) {
      if (s.version_store) version_ = s.index;
    }
  }

  LinkFindings Run() {
    LinkFindings out;
    for (const LinkedStore& store : stores_) {
      std::vector<Finding>& findings = out.by_store.emplace_back();
      if (!store.checked) continue;
      for (const NodeLink& link : store.index->links()) {
        const NodeId& holder = store.index->id(link.node);
        if (SkippedAsSubject(holder)) continue;
        if (link.kind == NodeLink::kVersionableUuid) {
          if (options_.history && store.version_store && !InAnyWorkspace(link.target)) {
            out.unused_histories.push_back({holder, link.target});
          }
          continue;
        }
        std::optional<ProblemKind> kind = Judge(store, link);
        if (!kind) continue;
        Finding f{.kind = *kind, .node = holder, .related = link.target};
        if (!HeldAlready(findings, f)) findings.push_back(std::move(f));
      }
    }
    return out;
  }

 private:
  // What a REFERENCE or jcr:versionHistory link is, if anything is wrong.
  std::optional<ProblemKind> Judge(const LinkedStore& store, const NodeLink& link) const {
    if (link.target.IsVirtual()) return std::nullopt;
    const bool history_link =
        link.kind == NodeLink::kHistoryReference || link.kind == NodeLink::kHistoryWeak;
    if (history_link && options_.history && !store.version_store) {
      if (version_ != nullptr && InIndex(*version_, link.target)) return std::nullopt;
      return ProblemKind::kMissingVersionHistory;
    }
    if (link.kind == NodeLink::kHistoryWeak || !options_.references) return std::nullopt;
    if (InAnyStore(link.target)) return std::nullopt;
    return ProblemKind::kDanglingReference;
  }

  bool InAnyStore(const NodeId& id) const {
    return std::any_of(stores_.begin(), stores_.end(),
                       [&](const LinkedStore& s) { return InIndex(*s.index, id); });
  }

  bool InAnyWorkspace(const NodeId& id) const {
    return std::any_of(stores_.begin(), stores_.end(), [&](const LinkedStore& s) {
      return s.checked && !s.version_store && InIndex(*s.index, id);
    });
  }

  std::span<const LinkedStore> stores_;
  const LinkCheckOptions options_;
  const Index* version_ = nullptr;
};

// Jackrabbit's built-in prefixes, for readable property names.
std::string DisplayName(const Name& name) {
  static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {kJcrUri, "jcr"}, {kNtUri, "nt"}, {kMixUri, "mix"}, {kRepUri, "rep"}};
  for (const auto& [uri, prefix] : kPrefixes) {
    if (name.uri == uri) return std::string(prefix) + ":" + name.local;
  }
  return name.uri.empty() ? name.local : name.ToString();
}

// The first REFERENCE property of `bundle` that holds `target`, if any.
std::optional<std::string> ReferenceHolding(const Bundle& bundle, const NodeId& target) {
  for (const PropertyEntry& property : bundle.properties) {
    if (property.type != PropertyType::kReference) continue;
    for (const Value& value : property.values) {
      const auto* id = std::get_if<NodeId>(&value);
      if (id && *id == target) return DisplayName(property.name);
    }
  }
  return std::nullopt;
}

Result<bool> AbsentFromAll(BundleStore& store, const std::vector<std::string>& prefixes,
                           const NodeId& id) {
  for (const std::string& prefix : prefixes) {
    Result<std::optional<Bytes>> found = store.Get(prefix, id);
    if (!found.ok()) return found.status();
    if (found->has_value()) return false;
  }
  return true;
}

// Evaluates `f` on freshly read bundles; fills in the property name.
Result<bool> StillHolds(BundleStore& store, const std::string& holder_prefix,
                        const std::vector<std::string>& target_prefixes,
                        const std::string& version_prefix, Finding& f) {
  Result<std::optional<Bytes>> bytes = store.Get(holder_prefix, f.node);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return false;
  Result<Bundle, BundleError> holder = DecodeBundle(**bytes);
  if (!holder.ok()) return false;  // now unreadable: a second run reports that
  if (f.kind == ProblemKind::kMissingVersionHistory) {
    GraphFields fields = GraphFieldsOf(*holder, GraphOptions{.references = true});
    if (fields.version_history != f.related) return false;
    return AbsentFromAll(store, {version_prefix}, f.related);
  }
  std::optional<std::string> property = ReferenceHolding(*holder, f.related);
  if (!property) return false;
  f.reason = *property;
  return AbsentFromAll(store, target_prefixes, f.related);
}

}  // namespace

std::vector<Finding> ScopedLinkCandidates(const Index& index, const std::vector<bool>& subjects,
                                          const LinkCheckOptions& options) {
  std::vector<Finding> candidates;
  for (const NodeLink& link : index.links()) {
    const NodeId& holder = index.id(link.node);
    if (!subjects[link.node] || SkippedAsSubject(holder) || link.target.IsVirtual()) continue;
    const bool history_link =
        link.kind == NodeLink::kHistoryReference || link.kind == NodeLink::kHistoryWeak;
    std::optional<ProblemKind> kind;
    if (history_link && options.history) {
      kind = ProblemKind::kMissingVersionHistory;
    } else if (options.references &&
               (link.kind == NodeLink::kReference || link.kind == NodeLink::kHistoryReference)) {
      kind = ProblemKind::kDanglingReference;
    }
    if (!kind) continue;
    Finding f{.kind = *kind, .node = holder, .related = link.target};
    if (!HeldAlready(candidates, f)) candidates.push_back(std::move(f));
  }
  return candidates;
}

LinkFindings RunLinkChecks(std::span<const LinkedStore> stores, const LinkCheckOptions& options) {
  return LinkChecker(stores, options).Run();
}

Result<DoubleCheckResult> DoubleCheckLinks(BundleStore& store, const std::string& holder_prefix,
                                           const std::vector<std::string>& target_prefixes,
                                           const std::string& version_prefix,
                                           std::vector<Finding> findings) {
  // One snapshot for all the lookups, as in DoubleCheck (double_check.cpp).
  Result<std::unique_ptr<ReadSnapshot>> snapshot = store.BeginReadSnapshot();
  if (!snapshot.ok()) return snapshot.status();
  DoubleCheckResult result;
  for (Finding& f : findings) {
    Result<bool> holds = StillHolds(store, holder_prefix, target_prefixes, version_prefix, f);
    if (!holds.ok()) return holds.status();
    (*holds ? result.confirmed : result.dropped).push_back(std::move(f));
  }
  CHECKER_RETURN_IF_ERROR((*snapshot)->End());
  return result;
}

}  // namespace checker
