// Damaged bundles: every truncation, single-bit flips, overwritten bytes and
// random garbage, made from every vector bundle and a few hand-built ones.
// For each input the two decoders must not crash (the sanitizer build checks
// the "never read out of bounds" part) and must agree: both fail with the
// same BundleError, or both succeed with the same graph fields. A bundle that
// decodes must also encode, and its encoding must be stable.
//
// Everything is seeded, so a failure reproduces. Checks run as plain ifs and
// report only mismatches, which keeps the sanitizer build fast.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "model/bundle_codec.h"
#include "tests/support/bundle_rows.h"
#include "tests/support/hex.h"

namespace checker {
namespace {

using testing::ToHex;

struct Tally {
  size_t inputs = 0;
  size_t decoded = 0;
  size_t failed = 0;
};

// Checks one input; reports a mismatch with the input's hex.
void CheckInput(ByteView bytes, Tally* tally) {
  ++tally->inputs;
  auto full = DecodeBundle(bytes);
  GraphFields graph;
  for (bool references : {false, true}) {
    GraphOptions options{references};
    std::optional<BundleError> error = DecodeGraph(bytes, options, &graph);
    if (full.ok() != !error.has_value()) {
      FAIL_CHECK("decoders disagree on success for " << ToHex(bytes));
      return;
    }
    if (error.has_value() && !(*error == full.error())) {
      FAIL_CHECK("different errors for " << ToHex(bytes) << ": " << error->ToString() << " vs "
                                         << full.error().ToString());
      return;
    }
    if (!error.has_value() && !(graph == GraphFieldsOf(*full, options))) {
      FAIL_CHECK("different graph fields for " << ToHex(bytes));
      return;
    }
  }
  if (!full.ok()) {
    ++tally->failed;
    if (full.error().offset > bytes.size() || full.error().expected.empty()) {
      FAIL_CHECK("a bad error " << full.error().ToString() << " for " << ToHex(bytes));
    }
    return;
  }
  ++tally->decoded;
  // NaN doubles never compare equal, so stability is checked on the bytes.
  Result<Bytes> encoded = EncodeBundle(*full);
  if (!encoded.ok()) {
    FAIL_CHECK("cannot re-encode " << ToHex(bytes) << ": " << encoded.status().message());
    return;
  }
  auto again = DecodeBundle(*encoded);
  if (!again.ok() || ToHex(*EncodeBundle(*again)) != ToHex(*encoded)) {
    FAIL_CHECK("unstable encoding for " << ToHex(bytes));
  }
}

Name Local(std::string local) { return Name{"", std::move(local)}; }

// A few bundles that exercise what the vectors do not: slot 7, long names in
// every position, NAME values in custom namespaces, counts past each base.
std::vector<Bytes> HandBuiltBundles() {
  std::vector<Bundle> bundles(3);
  Bundle& names = bundles[0];
  names.primary_type = Name{"http://example.com/t", "T"};
  for (int ns = 0; ns < 9; ++ns) {
    Name name{"http://example.com/ns" + std::to_string(ns), std::string(14 + ns, 'n')};
    names.mixins.push_back(name);
    names.properties.push_back(PropertyEntry{name, PropertyType::kName, true, -1, {name, name}});
    names.children.push_back(ChildEntry{name, NodeId{1, static_cast<uint64_t>(ns)}});
  }
  names.shared_set = {kRootNodeId, kSystemNodeId};

  Bundle& values = bundles[1];
  values.primary_type = Name{std::string(kNtUri), "unstructured"};
  values.parent = kRootNodeId;
  values.referenceable = true;
  values.properties.push_back(PropertyEntry{Local("refs"), PropertyType::kReference, true, 0,
                                            std::vector<Value>(15, kRootNodeId)});
  values.properties.push_back(
      PropertyEntry{Local("bin"),
                    PropertyType::kBinary,
                    true,
                    0,
                    {BinaryValue{BinaryValue::Storage::kInline, "abc"},
                     BinaryValue{BinaryValue::Storage::kBlobStore, "id.0.0.0"},
                     BinaryValue{BinaryValue::Storage::kDataStore, "dataStore:0123"}}});
  values.properties.push_back(PropertyEntry{
      Local("dec"), PropertyType::kDecimal, true, 0, {DecimalValue{"1.5"}, DecimalValue{}}});
  values.properties.push_back(PropertyEntry{
      Local("date"), PropertyType::kDate, false, 0, {DateValue::FromEpochMillis(94796789, -825)}});
  values.properties.push_back(PropertyEntry{Local("d"), PropertyType::kDouble, false, 0, {2.5}});
  values.properties.push_back(
      PropertyEntry{Local("l"), PropertyType::kLong, false, 300, {-(int64_t{1} << 40)}});
  values.properties.push_back(PropertyEntry{Local("b"), PropertyType::kBoolean, false, 0, {true}});
  values.properties.push_back(
      PropertyEntry{Local("s"), PropertyType::kString, false, 0, {std::string(300, 's')}});
  values.properties.push_back(PropertyEntry{Name{std::string(kJcrUri), "versionHistory"},
                                            PropertyType::kReference,
                                            false,
                                            0,
                                            {kSystemNodeId}});

  Bundle& children = bundles[2];
  children.primary_type = Name{std::string(kRepUri), "root"};
  children.mod_count = -32768;
  for (int i = 0; i < 20; ++i) {
    children.children.push_back(
        ChildEntry{Local("child" + std::to_string(i)), NodeId{7, static_cast<uint64_t>(i)}});
  }

  std::vector<Bytes> encoded;
  for (const Bundle& bundle : bundles) {
    Result<Bytes> bytes = EncodeBundle(bundle);
    REQUIRE(bytes.ok());
    encoded.push_back(*bytes);
  }
  return encoded;
}

std::vector<Bytes> Corpus() {
  std::vector<Bytes> corpus = HandBuiltBundles();
  for (testing::BundleRow& row :
       testing::ReadBundleRows(testing::JackrabbitVectorsPath("vectors.sqlite"))) {
    corpus.push_back(std::move(row.data));
  }
  return corpus;
}

TEST_CASE("fuzz: every truncation of every bundle") {
  Tally tally;
  for (const Bytes& bundle : Corpus()) {
    for (size_t size = 0; size <= bundle.size(); ++size) {
      CheckInput(ByteView(bundle).first(size), &tally);
    }
  }
  // Each bundle decodes only when whole (trailing bytes aside).
  CHECK(tally.decoded >= 255);
  CHECK(tally.failed > tally.decoded);
}

TEST_CASE("fuzz: single-bit flips") {
  // All bits of bundles up to 128 bytes; 256 random bits of larger ones.
  std::mt19937_64 random(20101010);
  Tally tally;
  for (Bytes bundle : Corpus()) {
    size_t bits = bundle.size() * 8;
    size_t flips = bits <= 1024 ? bits : 256;
    for (size_t i = 0; i < flips; ++i) {
      size_t bit = bits <= 1024 ? i : random() % bits;
      bundle[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      CheckInput(bundle, &tally);
      bundle[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    }
  }
  CHECK(tally.decoded > 0);
  CHECK(tally.failed > 0);
}

TEST_CASE("fuzz: overwritten bytes") {
  // One to four random bytes replaced, mostly with the values that steer the
  // parser (0x00, 0x7f, 0x80, 0xff, small counts).
  static constexpr uint8_t kInteresting[] = {0x00, 0x01, 0x03, 0x0f, 0x10, 0x7e, 0x7f,
                                             0x80, 0x8f, 0xf0, 0xf7, 0xfe, 0xff};
  std::mt19937_64 random(1582);
  Tally tally;
  std::vector<Bytes> corpus = Corpus();
  for (int round = 0; round < 20000; ++round) {
    Bytes bundle = corpus[random() % corpus.size()];
    if (bundle.empty()) continue;
    int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      uint8_t value = random() % 2 ? kInteresting[random() % sizeof kInteresting]
                                   : static_cast<uint8_t>(random());
      bundle[random() % bundle.size()] = value;
    }
    CheckInput(bundle, &tally);
  }
  CHECK(tally.decoded > 0);
  CHECK(tally.failed > 0);
}

TEST_CASE("fuzz: random garbage") {
  std::mt19937_64 random(3);
  Tally tally;
  for (int round = 0; round < 50000; ++round) {
    Bytes bytes(random() % 96);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(random());
    // Mostly version 3 and a short parent, so the parser gets past the header.
    if (!bytes.empty() && random() % 8 != 0) bytes[0] = 3;
    if (bytes.size() > 2 && random() % 2) bytes[1] = static_cast<uint8_t>(random() % 126);
    CheckInput(bytes, &tally);
  }
  CHECK(tally.inputs == 50000);
  CHECK(tally.decoded > 0);
}

TEST_CASE("fuzz: huge counts fail before anything is reserved") {
  // Each count field at its largest, right after a valid header.
  const Bytes header = testing::FromHex("03 00 cafebabecafebabecafebabecafebabe 00");
  for (const char* tail : {"80 ffffffff0f", "70 ffffffff0f", "0c ffffffff0f", "02 ffffffff0f",
                           "10 80 70 f1 ffffffff0f 00", "10 80 70 f7 ffffffff0f 00"}) {
    CAPTURE(tail);
    Bytes bytes = header;
    Bytes more = testing::FromHex(tail);
    bytes.insert(bytes.end(), more.begin(), more.end());
    auto decoded = DecodeBundle(bytes);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().expected.find("that fits in the") != std::string::npos);
    Tally tally;
    CheckInput(bytes, &tally);
  }
}

}  // namespace
}  // namespace checker
