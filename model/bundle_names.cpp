// The common-name table, and a reverse index for the encoder.
//
// Decoding indexes the table directly. Encoding needs the opposite lookup, so
// the first call builds an array of the 126 indexes sorted by (uri, local) and
// later calls binary-search it.
#include "model/bundle_names.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "model/name.h"

namespace checker {
namespace {

constexpr std::string_view kJcr = kJcrUri;
constexpr std::string_view kNt = kNtUri;
constexpr std::string_view kMix = kMixUri;
constexpr std::string_view kRep = kRepUri;

// BundleNames.NAME_ARRAY, in its frozen order.
constexpr std::array<CommonName, kCommonNameCount> kCommonNames = {{
    {kNt, "unstructured"},             // 0
    {kNt, "resource"},                 // 1
    {kNt, "file"},                     // 2
    {kNt, "folder"},                   // 3
    {kNt, "hierarchyNode"},            // 4
    {kMix, "referenceable"},           // 5
    {kJcr, "created"},                 // 6
    {kJcr, "createdBy"},               // 7
    {kJcr, "lastModified"},            // 8
    {kJcr, "lastModifiedBy"},          // 9
    {kJcr, "content"},                 // 10
    {kJcr, "mimeType"},                // 11
    {kJcr, "data"},                    // 12
    {kJcr, "title"},                   // 13
    {kJcr, "language"},                // 14
    {kJcr, "encoding"},                // 15
    {kJcr, "system"},                  // 16
    {kRep, "root"},                    // 17
    {kRep, "system"},                  // 18
    {kJcr, "addChildNodes"},           // 19
    {kJcr, "lifecycleManagement"},     // 20
    {kJcr, "lockManagement"},          // 21
    {kJcr, "modifyAccessControl"},     // 22
    {kJcr, "modifyProperties"},        // 23
    {kJcr, "nodeTypeManagement"},      // 24
    {kJcr, "read"},                    // 25
    {kJcr, "readAccessControl"},       // 26
    {kJcr, "removeChildNodes"},        // 27
    {kJcr, "removeNode"},              // 28
    {kJcr, "versionManagement"},       // 29
    {kRep, "accesscontrol"},           // 30
    {kRep, "AccessControl"},           // 31
    {kRep, "AccessControllable"},      // 32
    {kRep, "ACE"},                     // 33
    {kRep, "ACL"},                     // 34
    {kRep, "DenyACE"},                 // 35
    {kRep, "glob"},                    // 36
    {kRep, "GrantACE"},                // 37
    {kRep, "policy"},                  // 38
    {kRep, "PrincipalAccessControl"},  // 39
    {kRep, "principalName"},           // 40
    {kRep, "privileges"},              // 41
    {kMix, "lockable"},                // 42
    {kJcr, "lockIsDeep"},              // 43
    {kJcr, "lockOwner"},               // 44
    {kMix, "versionable"},             // 45
    {kNt, "frozenNode"},               // 46
    {kNt, "version"},                  // 47
    {kNt, "versionedChild"},           // 48
    {kNt, "versionHistory"},           // 49
    {kNt, "versionLabels"},            // 50
    {kJcr, "versionStorage"},          // 51
    {kJcr, "frozenPrimaryType"},       // 52
    {kJcr, "frozenUuid"},              // 53
    {kJcr, "frozenNode"},              // 54
    {kJcr, "predecessors"},            // 55
    {kJcr, "successors"},              // 56
    {kJcr, "versionLabels"},           // 57
    {kJcr, "versionHistory"},          // 58
    {kJcr, "versionableUuid"},         // 59
    {kJcr, "rootVersion"},             // 60
    {kJcr, "isCheckedOut"},            // 61
    {kJcr, "baseVersion"},             // 62
    {kJcr, "mergeFailed"},             // 63
    {kRep, "nodeTypes"},               // 64
    {kNt, "nodeType"},                 // 65
    {kNt, "propertyDefinition"},       // 66
    {kNt, "childNodeDefinition"},      // 67
    {kNt, "base"},                     // 68
    {kJcr, "nodeTypes"},               // 69
    {kJcr, "protected"},               // 70
    {kJcr, "onParentVersion"},         // 71
    {kJcr, "mandatory"},               // 72
    {kJcr, "autoCreated"},             // 73
    {kJcr, "frozenMixinTypes"},        // 74
    {kJcr, "name"},                    // 75
    {kJcr, "valueConstraints"},        // 76
    {kJcr, "requiredType"},            // 77
    {kJcr, "propertyDefinition"},      // 78
    {kJcr, "multiple"},                // 79
    {kJcr, "defaultValues"},           // 80
    {kJcr, "supertypes"},              // 81
    {kJcr, "nodeTypeName"},            // 82
    {kJcr, "isMixin"},                 // 83
    {kJcr, "hasOrderableChildNodes"},  // 84
    {kJcr, "sameNameSiblings"},        // 85
    {kJcr, "requiredPrimaryTypes"},    // 86
    {kJcr, "childNodeDefinition"},     // 87
    {kJcr, "defaultPrimaryType"},      // 88
    {kJcr, "primaryItemName"},         // 89
    {kJcr, "childVersionHistory"},     // 90
    {kRep, "versions"},                // 91
    {kRep, "versionStorage"},          // 92
    {kRep, "VersionReference"},        // 93
    {kRep, "baseVersions"},            // 94
    {kMix, "created"},                 // 95
    {kMix, "etag"},                    // 96
    {kMix, "language"},                // 97
    {kMix, "lastModified"},            // 98
    {kMix, "lifecycle"},               // 99
    {kMix, "mimeType"},                // 100
    {kMix, "shareable"},               // 101
    {kMix, "simpleVersionable"},       // 102
    {kMix, "title"},                   // 103
    {kNt, "activity"},                 // 104
    {kNt, "address"},                  // 105
    {kNt, "configuration"},            // 106
    {kNt, "query"},                    // 107
    {kNt, "share"},                    // 108
    {kRep, "Activities"},              // 109
    {kJcr, "activities"},              // 110
    {kJcr, "activity"},                // 111
    {kJcr, "activityTitle"},           // 112
    {kJcr, "xmlcharacters"},           // 113
    {kJcr, "xmltext"},                 // 114
    {kRep, "Configurations"},          // 115
    {kJcr, "configuration"},           // 116
    {kJcr, "configurations"},          // 117
    {kJcr, "copiedFrom"},              // 118
    {kJcr, "currentLifecycleState"},   // 119
    {kJcr, "etag"},                    // 120
    {kJcr, "host"},                    // 121
    {kJcr, "id"},                      // 122
    {kJcr, "lifecyclePolicy"},         // 123
    {kJcr, "path"},                    // 124
    {kJcr, "statement"},               // 125
}};

static_assert(kCommonNames[kJcrVersionHistoryIndex].local == "versionHistory");

auto Key(const CommonName& name) { return std::tie(name.uri, name.local); }

std::array<int, kCommonNameCount> SortedIndexes() {
  std::array<int, kCommonNameCount> order;
  for (int i = 0; i < kCommonNameCount; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [](int a, int b) { return Key(kCommonNames[a]) < Key(kCommonNames[b]); });
  return order;
}

}  // namespace

const CommonName& CommonNameAt(int index) { return kCommonNames[index]; }

int CommonNameIndex(std::string_view uri, std::string_view local) {
  static const std::array<int, kCommonNameCount> sorted = SortedIndexes();
  CommonName wanted{uri, local};
  auto it = std::lower_bound(
      sorted.begin(), sorted.end(), wanted,
      [](int index, const CommonName& w) { return Key(kCommonNames[index]) < Key(w); });
  if (it == sorted.end() || Key(kCommonNames[*it]) != Key(wanted)) return -1;
  return *it;
}

}  // namespace checker
