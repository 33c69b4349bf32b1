// The common-name table of bundle format v3 (Jackrabbit's BundleNames).
//
// A name in this table is stored as one byte, its index (0..125). The order
// is frozen: it is part of the on-disk format. Indexes 126 and 127 are not
// assigned and make a bundle unreadable.
#ifndef CHECKER_MODEL_BUNDLE_NAMES_H_
#define CHECKER_MODEL_BUNDLE_NAMES_H_

#include <string_view>

namespace checker {

struct CommonName {
  std::string_view uri;
  std::string_view local;
};

inline constexpr int kCommonNameCount = 126;
// Index of jcr:versionHistory, the property that links a versionable node to
// its version history.
inline constexpr int kJcrVersionHistoryIndex = 58;
// Index of jcr:versionableUuid, which a version history holds: the uuid of
// the node it is the history of.
inline constexpr int kJcrVersionableUuidIndex = 59;

// The name at `index`. REQUIRES: 0 <= index < kCommonNameCount.
const CommonName& CommonNameAt(int index);

// The index of {uri}local in the table, or -1 if it is not a common name.
int CommonNameIndex(std::string_view uri, std::string_view local);

}  // namespace checker

#endif  // CHECKER_MODEL_BUNDLE_NAMES_H_
