// The Jackrabbit bundle codec, format version 3 (Jackrabbit 2.2 and later).
//
// A bundle is the BUNDLE_DATA of one row of <PREFIX>BUNDLE: a node with its
// properties and child entries (the node's own id is the row key). Below is
// the layout that Jackrabbit's BundleWriter writes and BundleReader reads
// (jackrabbit-core, persistence/util). Multi-byte integers are big-endian.
//
// PRIMITIVES
//
//   u8       one byte
//   i32      4 bytes, two's complement
//   id       16 bytes: the node id's most significant long, then the least
//   varint   an unsigned 32-bit number, 7 bits per byte, least significant
//            group first, bit 7 set on every byte but the last. At most 5
//            bytes; bits beyond the 32nd are dropped, as Java drops them. A
//            negative Java int (a negative modCount) takes 5 bytes.
//   varlong  a signed 64-bit n, zigzag-mapped (n >= 0: 2n, n < 0: 2(~n)+1),
//            then written like a varint. At most 10 bytes; of the 10th only
//            bit 0 counts.
//   string   varint byte length, then that many bytes of UTF-8
//
// BUNDLE LAYOUT
//
//   Size     Field
//   1        version: 3. Any value >= 3 reads as 3; 0..2 are the formats
//            before Jackrabbit 2.2, which need the repository's name index.
//   name     primary type
//   16       parent id; the sentinel bb4e9d10-d857-11df-937b-0800200c9a66
//            (kNullParentSentinel) means "no parent" (the root)
//   varint   modCount, cast to a Java short
//   1        flags: bit 7     has mixins
//                   bits 6-4  min(#properties, 7)
//                   bits 3-2  min(#child entries, 3)
//                   bit 1     has a shared set
//                   bit 0     referenceable
//   varint   #mixins - 1, only if bit 7 is set
//   names    the mixins (a Java set: order not significant)
//   varint   #properties - 7, only if bits 6-4 are 7
//   ...      the property entries (below), in Java HashMap order
//   varint   #child entries - 3, only if bits 3-2 are 3
//   ...      the child entries, each a name and then an id, in child order
//   varint   #shared set - 1, only if bit 1 is set
//   ids      the shared set (parents of a mix:shareable node; a Java set)
//
// There is no terminator, length or checksum. Bytes after the last field are
// ignored, as Java ignores them.
//
// NAMES
//
//   0xxxxxxx                 index 0..125 into the common-name table
//                            (bundle_names.h); 126 and 127 are invalid
//   1nnnllll [uri] local     nnn: a namespace slot. uri (a string) is there
//                            only if slot nnn is 7 or still empty. The local
//                            name is llll+1 bytes of UTF-8 if llll < 15; if
//                            llll = 15, a varint v follows and then v+16 bytes.
//
// Namespace slots belong to one bundle and carry over across all its names in
// stream order: primary type, mixins, property names, NAME values, child
// names. Slot 0 starts as "" (the empty namespace), slots 1-6 start empty and
// a uri read for an empty slot fills it; slot 7 is never filled, so a uri in
// slot 7 is written in full every time. The writer picks the first slot that
// holds the uri, else the first empty one, else 7. Local names are never empty.
//
// PROPERTY ENTRY
//
//   name     the property name
//   u8       type byte. Low 4 bits: the PropertyType, 1..12 (0 and 13..15 are
//            invalid). High 4 bits: 0 = single-valued (one value); 1..14 =
//            multi-valued with high-1 values; 15 = multi-valued with 14+v
//            values, v a varint right after the type byte.
//   varint   modCount, cast to a Java short
//   values   each encoded by type:
//              1 STRING, 11 URI   string
//              8 PATH             string, internal syntax: "{uri}local"
//                                 elements separated by TAB
//              2 BINARY           i32 size, then: -2: a string, the data store
//                                 id; -1: a string, the blob id (BINVAL row or
//                                 file); >= 0: that many bytes inline. Other
//                                 negative sizes are invalid.
//              3 LONG             varlong
//              4 DOUBLE           8 bytes, the IEEE 754 bit pattern
//              5 DATE             varlong holding packed fields (date.h)
//              6 BOOLEAN          u8, non-zero is true
//              7 NAME             name (it shares the namespace slots)
//              9 REFERENCE,
//              10 WEAKREFERENCE   id
//              12 DECIMAL         u8 flag (0: null), then if non-zero a string
//                                 (BigDecimal.toString)
//
// WHERE THE DECODER IS STRICTER OR LOOSER THAN JAVA (none of these cases can
// come out of BundleWriter):
// - A count that includes a varint part must fit in the bytes left, at the
//   smallest encoding of its entries. Java would read a count >= 2^31 as
//   negative and skip the properties, children or shared set.
// - Varints over 5 bytes and varlongs over 10 are errors; Java reads on.
// - Property types 0 and 13..15 are errors even without values; Java fails
//   only when it reads a value.
// - Text is kept as raw bytes: invalid UTF-8 is not replaced, DECIMAL and PATH
//   text is not parsed (Java fails on bad BigDecimal or path syntax).
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
  size_t offset = 0;     // byte offset of the field that failed, in the bundle
  std::string expected;  // e.g. "a property type 1..12, found 0",
                         // "16 bytes of child id, 3 left"
  // "at byte <offset>: expected <expected>"
  std::string ToString() const;

  friend bool operator==(const BundleError&, const BundleError&) = default;
};

// Decodes a whole bundle. Never reads outside `bytes`, never crashes, never
// allocates more than a constant multiple of bytes.size() (about 100 bytes
// per input byte at worst, for a bundle of one-byte NAME values): any
// malformed input gives a BundleError. Trailing bytes after a complete
// bundle are ignored, as Jackrabbit's reader ignores them. Versions 0-2 are
// refused (they need the repository's name index).
Result<Bundle, BundleError> DecodeBundle(ByteView bytes);

// Encodes as Jackrabbit's BundleWriter does (always version 3). Fails with
// InvalidArgument for what the writer refuses: an empty local name, a value
// that does not match its property's type, a single-valued property without
// exactly one value. Mixins, properties, children and the shared set are
// written in the Bundle's vector order, so decoding and re-encoding a bundle
// gives back its bytes whenever they are in BundleWriter's canonical form.
Result<Bytes> EncodeBundle(const Bundle& bundle);

// The fast path: only what the consistency graph needs.
struct GraphFields {
  std::optional<NodeId> parent;            // nullopt: null parent
  std::vector<NodeId> children;            // child entry ids, in entry order, duplicates kept
  std::vector<NodeId> shared_set;          // in stored order
  std::vector<NodeId> references;          // every REFERENCE (not WEAKREFERENCE) value,
                                           // in stored order (when asked)
  std::optional<NodeId> version_history;   // jcr:versionHistory's first value (when asked)
  std::optional<NodeId> versionable_uuid;  // jcr:versionableUuid's first value, a STRING
                                           // that parses as a uuid (when asked)

  // Empties everything but keeps the vectors' capacity.
  void Clear();

  friend bool operator==(const GraphFields&, const GraphFields&) = default;
};

struct GraphOptions {
  // collect REFERENCE values, jcr:versionHistory and jcr:versionableUuid
  bool references = false;
};

// Fills `out` (reusing its capacity, so a scan allocates nothing per bundle
// once warm). Agrees with DecodeBundle: it fails exactly when DecodeBundle
// fails, with the same BundleError, and otherwise yields
// GraphFieldsOf(*DecodeBundle(bytes), options). After a failure `out` holds
// an unspecified part of the bundle.
[[nodiscard]] std::optional<BundleError> DecodeGraph(ByteView bytes, const GraphOptions& options,
                                                     GraphFields* out);

// What DecodeGraph yields for a bundle that decodes to `bundle`. With
// options.references: `references` lists the values of every REFERENCE
// property (jcr:versionHistory's included); `version_history` is the first
// value of the property jcr:versionHistory when it is a REFERENCE or
// WEAKREFERENCE with at least one value; `versionable_uuid` is the first
// value of jcr:versionableUuid when it is a STRING that NodeId::Parse
// accepts. If several entries carry one of these names, the last one
// decides, as in Jackrabbit's property map.
GraphFields GraphFieldsOf(const Bundle& bundle, const GraphOptions& options);

}  // namespace checker

#endif  // CHECKER_MODEL_BUNDLE_CODEC_H_
