// The Jackrabbit bundle codec, format version 3 (Jackrabbit 2.2 and later).
//
// FORMAT DESCRIPTION: to be written at the top of this header by the codec
// implementation (see ../shared/reference, section 3).
#ifndef CHECKER_MODEL_BUNDLE_CODEC_H_
#define CHECKER_MODEL_BUNDLE_CODEC_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/bundle.h"
#include "model/bytes.h"
#include "model/status.h"

namespace checker {

// Why a bundle could not be decoded: where, and what was expected there.
struct BundleError {
  size_t offset = 0;     // byte offset into the bundle
  std::string expected;  // e.g. "property type 1..12, found 0"
  // "at byte <offset>: expected <expected>"
  std::string ToString() const;
};

// Decodes a whole bundle. Never reads outside `bytes`, never crashes, never
// allocates more than a small multiple of bytes.size(): any malformed input
// gives a BundleError. Trailing bytes after a complete bundle are ignored, as
// Jackrabbit's reader ignores them. Versions 0-2 are refused (they need the
// repository's name index).
Result<Bundle, BundleError> DecodeBundle(ByteView bytes);

// Encodes as Jackrabbit's BundleWriter does (always version 3). Fails with
// InvalidArgument for what the writer refuses: an empty local name, a value
// that does not match its property's type, a single-valued property without
// exactly one value.
Result<Bytes> EncodeBundle(const Bundle& bundle);

// The fast path: only what the consistency graph needs.
struct GraphFields {
  std::optional<NodeId> parent;       // nullopt: null parent
  std::vector<NodeId> children;       // child entry ids, in entry order, duplicates kept
  std::vector<NodeId> shared_set;
  std::vector<NodeId> references;     // every REFERENCE value (when asked)
  std::optional<NodeId> version_history;  // jcr:versionHistory's value (when asked)

  void Clear();
};

struct GraphOptions {
  bool references = false;  // collect REFERENCE values and jcr:versionHistory
};

// Fills `out` (reusing its capacity, so a scan allocates nothing per bundle
// once warm). Agrees with DecodeBundle: it fails exactly when DecodeBundle
// fails, with the same BundleError, and otherwise yields the same parent,
// children and shared set.
[[nodiscard]] std::optional<BundleError> DecodeGraph(ByteView bytes, const GraphOptions& options,
                                                     GraphFields* out);

}  // namespace checker

#endif  // CHECKER_MODEL_BUNDLE_CODEC_H_
