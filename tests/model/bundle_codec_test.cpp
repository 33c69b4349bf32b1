// The bundle codec on hand-built bundles: the reference's worked examples
// byte for byte, round trips of every property type and name form, the
// encoder's refusals and the decoder's error reports.
#include <doctest/doctest.h>

#include <bit>
#include <limits>
#include <string>
#include <vector>

#include "model/bundle_codec.h"
#include "model/bundle_names.h"
#include "tests/support/hex.h"

namespace checker {
namespace {

using testing::BytesOf;
using testing::FromHex;
using testing::ToHex;

const std::string kExampleUri = "http://example.com/ns";

Name Jcr(std::string local) { return Name{std::string(kJcrUri), std::move(local)}; }
Name Nt(std::string local) { return Name{std::string(kNtUri), std::move(local)}; }
Name Rep(std::string local) { return Name{std::string(kRepUri), std::move(local)}; }
Name Plain(std::string local) { return Name{"", std::move(local)}; }

NodeId Id(const char* text) { return *NodeId::Parse(text); }

Bytes Concat(std::initializer_list<Bytes> parts) {
  Bytes all;
  for (const Bytes& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

Bytes IdBytes(const NodeId& id) {
  auto bytes = id.ToBytes();
  return Bytes(bytes.begin(), bytes.end());
}

Bytes Encode(const Bundle& bundle) {
  Result<Bytes> encoded = EncodeBundle(bundle);
  REQUIRE_MESSAGE(encoded.ok(), encoded.status().message());
  return *encoded;
}

Bundle Decode(const Bytes& bytes) {
  auto decoded = DecodeBundle(bytes);
  REQUIRE_MESSAGE(decoded.ok(), decoded.error().ToString());
  return *decoded;
}

BundleError DecodeError(const Bytes& bytes) {
  auto decoded = DecodeBundle(bytes);
  REQUIRE_FALSE(decoded.ok());
  GraphFields graph;
  std::optional<BundleError> graph_error = DecodeGraph(bytes, GraphOptions{true}, &graph);
  REQUIRE(graph_error.has_value());
  CHECK(*graph_error == decoded.error());
  return decoded.error();
}

// Encodes, decodes, compares, and checks that the graph path agrees.
void CheckRoundTrip(const Bundle& bundle) {
  Bytes bytes = Encode(bundle);
  Bundle decoded = Decode(bytes);
  CHECK(decoded == bundle);
  CHECK(ToHex(Encode(decoded)) == ToHex(bytes));
  for (bool references : {false, true}) {
    GraphFields graph;
    REQUIRE_FALSE(DecodeGraph(bytes, GraphOptions{references}, &graph).has_value());
    CHECK(graph == GraphFieldsOf(bundle, GraphOptions{references}));
  }
}

PropertyEntry Single(Name name, PropertyType type, Value value) {
  return PropertyEntry{std::move(name), type, false, 0, {std::move(value)}};
}

PropertyEntry Multi(Name name, PropertyType type, std::vector<Value> values) {
  return PropertyEntry{std::move(name), type, true, 0, std::move(values)};
}

Bundle Unstructured() {
  Bundle bundle;
  bundle.primary_type = Nt("unstructured");
  bundle.parent = kRootNodeId;
  return bundle;
}

// ---- The worked examples of reference §3.8 ----

TEST_CASE("codec: empty nt:unstructured") {
  Bundle bundle = Unstructured();
  bundle.parent = Id("00000000-0000-0001-0000-000000000002");
  Bytes expected = FromHex("03 00 0000000000000001 0000000000000002 00 00");
  CHECK(expected.size() == 20);
  CHECK(ToHex(Encode(bundle)) == ToHex(expected));
  CHECK(Decode(expected) == bundle);
}

TEST_CASE("codec: root with one child") {
  Bundle bundle;
  bundle.primary_type = Rep("root");
  bundle.mod_count = 5;
  bundle.children.push_back(ChildEntry{Jcr("system"), kSystemNodeId});
  Bytes expected =
      FromHex("03 11 bb4e9d10d85711df937b0800200c9a66 05 04 10 deadbeefcafebabecafebabecafebabe");
  CHECK(expected.size() == 37);
  CHECK(ToHex(Encode(bundle)) == ToHex(expected));
  Bundle decoded = Decode(expected);
  CHECK(decoded == bundle);
  CHECK_FALSE(decoded.parent.has_value());
}

TEST_CASE("codec: one property and two children") {
  const NodeId parent = Id("10000000-0000-0000-0000-000000000001");
  const NodeId a = Id("10000000-0000-0000-0000-00000000000a");
  const NodeId x = Id("10000000-0000-0000-0000-00000000000b");
  Bundle bundle = Unstructured();
  bundle.parent = parent;
  bundle.mod_count = 1;
  bundle.properties.push_back(
      Single(Name{kExampleUri, "foo"}, PropertyType::kString, std::string("bar")));
  bundle.children.push_back(ChildEntry{Plain("a"), a});
  bundle.children.push_back(ChildEntry{Name{kExampleUri, "x"}, x});
  Bytes expected =
      Concat({FromHex("03 00"), IdBytes(parent), FromHex("01 18 92 15"), BytesOf(kExampleUri),
              BytesOf("foo"), FromHex("01 00 03"), BytesOf("bar"), FromHex("80"), BytesOf("a"),
              IdBytes(a), FromHex("90"), BytesOf("x"), IdBytes(x)});
  CHECK(ToHex(Encode(bundle)) == ToHex(expected));
  CHECK(Decode(expected) == bundle);
}

// The values of a property written as `values`, after its type byte and
// modCount: everything from there to the end of the bundle.
std::string ValueBytesHex(PropertyType type, std::vector<Value> values) {
  Bundle bundle = Unstructured();
  size_t count = values.size();
  bundle.properties.push_back(Multi(Plain("p"), type, std::move(values)));
  Bytes bytes = Encode(bundle);
  // version, type, parent, modCount, flags, name (2), type byte, modCount
  size_t header = 1 + 1 + 16 + 1 + 1 + 2 + 1 + 1;
  REQUIRE(count + 1 < 15);
  return ToHex(ByteView(bytes).subspan(header));
}

TEST_CASE("codec: LONG values") {
  CHECK(ValueBytesHex(PropertyType::kLong, {int64_t{0}}) == "00");
  CHECK(ValueBytesHex(PropertyType::kLong, {int64_t{1}}) == "02");
  CHECK(ValueBytesHex(PropertyType::kLong, {int64_t{-1}}) == "01");
  CHECK(ValueBytesHex(PropertyType::kLong, {int64_t{-3}}) == "05");
  CHECK(ValueBytesHex(PropertyType::kLong, {int64_t{1234567890}}) == "a48bb09909");
  CHECK(ValueBytesHex(PropertyType::kLong, {std::numeric_limits<int64_t>::max()}) ==
        "feffffffffffffffff01");
  CHECK(ValueBytesHex(PropertyType::kLong, {std::numeric_limits<int64_t>::min()}) ==
        "ffffffffffffffffff01");
}

TEST_CASE("codec: DATE values") {
  struct Case {
    int64_t epoch_ms;
    int zone;
    const char* hex;
  };
  for (Case c : {Case{1286705410100, 0, "cc86a897c28d01"}, Case{1286668800000, 0, "b023"},
                 Case{1286701200000, 60, "8ad2b604"}, Case{94796789, -825, "c1b3a89bcda9efff13"}}) {
    CAPTURE(c.hex);
    DateValue date = DateValue::FromEpochMillis(c.epoch_ms, c.zone);
    CHECK(ValueBytesHex(PropertyType::kDate, {date}) == c.hex);
    Bundle bundle = Unstructured();
    bundle.properties.push_back(Single(Plain("d"), PropertyType::kDate, date));
    Bundle decoded = Decode(Encode(bundle));
    REQUIRE(decoded.properties.size() == 1);
    CHECK(std::get<DateValue>(decoded.properties[0].values[0]).EpochMillis() == c.epoch_ms);
  }
}

// ---- Round trips ----

// One value of each type, so that multi-valued properties of any length can
// be made by repetition.
std::vector<std::pair<PropertyType, Value>> SampleValues() {
  return {
      {PropertyType::kString, std::string("gr\xc3\xbc\xc3\x9f"
                                          "e\t\n")},
      {PropertyType::kBinary, BinaryValue{BinaryValue::Storage::kInline, std::string("\0\xff", 2)}},
      {PropertyType::kBinary, BinaryValue{BinaryValue::Storage::kBlobStore, "blob.0.0.0"}},
      {PropertyType::kBinary, BinaryValue{BinaryValue::Storage::kDataStore, "dataStore:abcd"}},
      {PropertyType::kLong, int64_t{-1234567890123}},
      {PropertyType::kDouble, -1.5e300},
      {PropertyType::kDate, DateValue::FromEpochMillis(1709231340000, 330)},
      {PropertyType::kBoolean, true},
      {PropertyType::kName, Name{"http://example.com/value", "v"}},
      {PropertyType::kPath, std::string("{}\t{http://www.jcp.org/jcr/1.0}system")},
      {PropertyType::kReference, kRootNodeId},
      {PropertyType::kWeakReference, kSystemNodeId},
      {PropertyType::kUri, std::string("http://example.com/a?b=c#d")},
      {PropertyType::kDecimal, DecimalValue{"-1.5E+300"}},
      {PropertyType::kDecimal, DecimalValue{std::nullopt}},
  };
}

TEST_CASE("codec: every property type, single-valued") {
  Bundle bundle = Unstructured();
  int i = 0;
  for (auto& [type, value] : SampleValues()) {
    bundle.properties.push_back(Single(Plain("p" + std::to_string(i++)), type, value));
  }
  CheckRoundTrip(bundle);
}

TEST_CASE("codec: every property type, multi-valued, at every count boundary") {
  for (size_t count : {0, 1, 13, 14, 15, 16, 200}) {
    CAPTURE(count);
    Bundle bundle = Unstructured();
    for (auto& [type, value] : SampleValues()) {
      bundle.properties.push_back(Multi(Plain("p" + std::to_string(bundle.properties.size())), type,
                                        std::vector<Value>(count, value)));
    }
    CheckRoundTrip(bundle);
  }
}

TEST_CASE("codec: multi-valued count encoding") {
  // The type byte's high nibble is count+1 up to 14; then 15 and a varint.
  auto type_and_count_hex = [](size_t count) {
    Bundle bundle = Unstructured();
    bundle.properties.push_back(
        Multi(Plain("p"), PropertyType::kBoolean, std::vector<Value>(count, Value(false))));
    Bytes bytes = Encode(bundle);
    return ToHex(ByteView(bytes).subspan(22, count >= 14 ? 3 : 2));
  };
  CHECK(type_and_count_hex(0) == "1600");
  CHECK(type_and_count_hex(13) == "e600");
  CHECK(type_and_count_hex(14) == "f60000");
  CHECK(type_and_count_hex(15) == "f60100");
  CHECK(type_and_count_hex(200) == "f6ba01");
}

TEST_CASE("codec: property modCounts and DOUBLE bit patterns") {
  Bundle bundle = Unstructured();
  for (int16_t mod_count : {0, 127, 128, -1, -32768, 32767}) {
    PropertyEntry property = Single(Plain("m" + std::to_string(mod_count)), PropertyType::kDouble,
                                    std::numeric_limits<double>::infinity());
    property.mod_count = mod_count;
    bundle.properties.push_back(property);
  }
  CheckRoundTrip(bundle);

  // NaN never compares equal, so compare its bits.
  Bundle nan = Unstructured();
  nan.properties.push_back(
      Single(Plain("nan"), PropertyType::kDouble, std::bit_cast<double>(0x7ff8000000000123ull)));
  Bundle decoded = Decode(Encode(nan));
  CHECK(std::bit_cast<uint64_t>(std::get<double>(decoded.properties[0].values[0])) ==
        0x7ff8000000000123ull);
}

TEST_CASE("codec: bundle modCount") {
  struct Case {
    int16_t mod_count;
    const char* hex;
  };
  for (Case c : {Case{0, "00"}, Case{127, "7f"}, Case{128, "8001"}, Case{-1, "ffffffff0f"},
                 Case{-32768, "8080feff0f"}}) {
    CAPTURE(c.mod_count);
    Bundle bundle = Unstructured();
    bundle.mod_count = c.mod_count;
    Bytes bytes = Encode(bundle);
    CHECK(ToHex(ByteView(bytes).subspan(18, bytes.size() - 19)) == c.hex);
    CheckRoundTrip(bundle);
  }
}

TEST_CASE("codec: namespaces beyond the seven slots") {
  // Nine custom namespaces: six take slots 1-6, the rest go to slot 7 and
  // are written out in full every time.
  Bundle bundle = Unstructured();
  for (int round = 0; round < 2; ++round) {
    for (int ns = 1; ns <= 9; ++ns) {
      std::string uri = "http://example.com/ns" + std::to_string(ns);
      bundle.properties.push_back(
          Single(Name{uri, "p" + std::to_string(round)}, PropertyType::kString, std::string("v")));
    }
  }
  Bytes bytes = Encode(bundle);
  std::string text(bytes.begin(), bytes.end());
  auto occurrences = [&text](const std::string& needle) {
    int n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
      ++n;
    }
    return n;
  };
  CHECK(occurrences("http://example.com/ns1") == 1);
  CHECK(occurrences("http://example.com/ns6") == 1);
  CHECK(occurrences("http://example.com/ns7") == 2);
  CHECK(occurrences("http://example.com/ns9") == 2);
  // The first name byte of the first ns7 property: slot 7, local "p0".
  size_t ns7 = text.find("http://example.com/ns7");
  CHECK(bytes[ns7 - 2] == 0xf1);
  CheckRoundTrip(bundle);
}

TEST_CASE("codec: namespace slots are shared by all names in stream order") {
  // The type takes slot 1; a mixin, a NAME value and a child reuse it.
  const std::string uri = "http://example.com/shared";
  Bundle bundle;
  bundle.primary_type = Name{uri, "Type"};
  bundle.parent = kRootNodeId;
  bundle.mixins = {Name{uri, "mixin"}, Name{std::string(kMixUri), "title"}};
  bundle.properties.push_back(Single(Plain("n"), PropertyType::kName, Name{uri, "value"}));
  bundle.children.push_back(ChildEntry{Name{uri, "child"}, kSystemNodeId});
  Bytes bytes = Encode(bundle);
  std::string text(bytes.begin(), bytes.end());
  CHECK(text.find(uri) == 3);
  CHECK(text.find(uri, 4) == std::string::npos);
  CheckRoundTrip(bundle);
}

TEST_CASE("codec: local name lengths") {
  struct Case {
    size_t length;
    const char* first_bytes;  // name byte and, from 16 bytes on, the varint
  };
  for (Case c :
       {Case{1, "80"}, Case{15, "8e"}, Case{16, "8f00"}, Case{17, "8f01"}, Case{200, "8fb801"}}) {
    CAPTURE(c.length);
    Bundle bundle = Unstructured();
    bundle.properties.push_back(
        Single(Plain(std::string(c.length, 'n')), PropertyType::kBoolean, false));
    Bytes bytes = Encode(bundle);
    std::string hex = ToHex(bytes);
    CHECK(hex.substr(2 * 20, std::string(c.first_bytes).size()) == c.first_bytes);
    CheckRoundTrip(bundle);
  }
  // Lengths count UTF-8 bytes: "été" is 3 characters in 5 bytes.
  Bundle bundle = Unstructured();
  bundle.children.push_back(ChildEntry{Plain("\xc3\xa9t\xc3\xa9"), kSystemNodeId});
  CHECK(ToHex(Encode(bundle)).substr(2 * 20, 2) == "84");
  CheckRoundTrip(bundle);
  Bundle long_unicode = Unstructured();
  std::string snowmen;
  for (int i = 0; i < 70; ++i) snowmen += "\xe2\x98\x83";
  long_unicode.mixins.push_back(Name{kExampleUri, snowmen});
  CheckRoundTrip(long_unicode);
}

TEST_CASE("codec: mixins, shared set, referenceable, null parent, many entries") {
  Bundle bundle;
  bundle.primary_type = Nt("file");
  bundle.mixins = {Name{std::string(kMixUri), "shareable"}, Name{std::string(kMixUri), "lockable"},
                   Name{kExampleUri, "custom"}};
  bundle.referenceable = true;
  bundle.shared_set = {kRootNodeId, kSystemNodeId, Id("10000000-0000-0000-0000-000000000001")};
  for (int i = 0; i < 300; ++i) {
    bundle.children.push_back(
        ChildEntry{Plain("c" + std::to_string(i)), NodeId{0x2000, static_cast<uint64_t>(i)}});
  }
  for (int i = 0; i < 20; ++i) {
    bundle.properties.push_back(
        Single(Plain("p" + std::to_string(i)), PropertyType::kLong, int64_t{i}));
  }
  CheckRoundTrip(bundle);
  Bytes bytes = Encode(bundle);
  CHECK(bytes[18] == 0x00);  // modCount
  CHECK(bytes[19] == 0xff);  // flags: every bit set
}

TEST_CASE("codec: common names are written as their index") {
  for (int index = 0; index < kCommonNameCount; ++index) {
    const CommonName& common = CommonNameAt(index);
    Name name{std::string(common.uri), std::string(common.local)};
    CAPTURE(name.ToString());
    CHECK(CommonNameIndex(name.uri, name.local) == index);
    Bundle bundle;
    bundle.primary_type = name;
    Bytes bytes = Encode(bundle);
    CHECK(bytes[1] == index);
    CheckRoundTrip(bundle);
  }
  CHECK(CommonNameIndex(kJcrUri, "notInTable") == -1);
  CHECK(CommonNameIndex("", "unstructured") == -1);
  CHECK(CommonNameAt(kJcrVersionHistoryIndex).local == "versionHistory");
}

// ---- What the encoder refuses ----

TEST_CASE("codec: the encoder refuses what BundleWriter refuses") {
  Bundle empty_local = Unstructured();
  empty_local.children.push_back(ChildEntry{Plain(""), kSystemNodeId});
  CHECK(EncodeBundle(empty_local).status().IsInvalidArgument());

  Bundle mismatch = Unstructured();
  mismatch.properties.push_back(Single(Plain("p"), PropertyType::kLong, std::string("1")));
  CHECK(EncodeBundle(mismatch).status().IsInvalidArgument());

  for (size_t count : {0, 2}) {
    Bundle wrong_count = Unstructured();
    PropertyEntry property{Plain("p"), PropertyType::kBoolean, false, 0,
                           std::vector<Value>(count, Value(true))};
    wrong_count.properties.push_back(property);
    CHECK(EncodeBundle(wrong_count).status().IsInvalidArgument());
  }

  Bundle bad_type = Unstructured();
  bad_type.properties.push_back(
      PropertyEntry{Plain("p"), static_cast<PropertyType>(0), true, 0, {}});
  CHECK(EncodeBundle(bad_type).status().IsInvalidArgument());
}

// ---- What the decoder reports ----

TEST_CASE("codec: errors name the byte and what was expected there") {
  const Bytes empty_bundle = FromHex("03 00 cafebabecafebabecafebabecafebabe 00 00");
  auto with = [&](const char* hex_tail, size_t keep) {
    Bytes bytes(empty_bundle.begin(), empty_bundle.begin() + static_cast<ptrdiff_t>(keep));
    Bytes tail = FromHex(hex_tail);
    bytes.insert(bytes.end(), tail.begin(), tail.end());
    return bytes;
  };

  BundleError error = DecodeError(Bytes());
  CHECK(error.ToString() == "at byte 0: expected a format version byte, found end of data");

  error = DecodeError(FromHex("02 00"));
  CHECK(error.offset == 0);
  CHECK(error.expected ==
        "bundle format version 2 (before Jackrabbit 2.2) needs the repository's name index; "
        "not supported");

  error = DecodeError(FromHex("03 7f"));
  CHECK(error.ToString() == "at byte 1: expected a common-name index 0..125, found 127");

  error = DecodeError(FromHex("03 00 cafebabe"));
  CHECK(error.ToString() == "at byte 2: expected 16 bytes of parent id, 4 left");

  // flags: one property; property {}p of type 0.
  error = DecodeError(with("10 80 70 00 00", 19));
  CHECK(error.ToString() == "at byte 22: expected a property type 1..12, found 0");
  error = DecodeError(with("10 80 70 0d 00", 19));
  CHECK(error.expected == "a property type 1..12, found 13");

  // flags: one child; its id cut short.
  error = DecodeError(with("04 00 cafebabecafe", 19));
  CHECK(error.ToString() == "at byte 21: expected 16 bytes of child id, 6 left");

  // BINARY with size -3.
  error = DecodeError(with("10 80 70 02 00 fffffffd", 19));
  CHECK(error.ToString() ==
        "at byte 24: expected a binary size >= 0 or a marker -1 or -2, found -3");

  // A varint over 5 bytes (the modCount).
  error = DecodeError(with("8080808080 00", 18));
  CHECK(error.ToString() ==
        "at byte 18: expected the modification count (a varint of at most 5 bytes), found a "
        "longer one");

  // A child count far beyond the bytes left.
  error = DecodeError(with("0c ffffffff0f", 19));
  CHECK(error.ToString() ==
        "at byte 20: expected a child count that fits in the 0 bytes left (at most 0), found "
        "4294967298");

  // A name's namespace uri cut short.
  error = DecodeError(FromHex("03 90 05 6162"));
  CHECK(error.ToString() == "at byte 3: expected 5 bytes of namespace URI, 2 left");
}

TEST_CASE("codec: trailing bytes are ignored, and the sentinel means no parent") {
  Bytes bytes = FromHex("03 00 bb4e9d10d85711df937b0800200c9a66 00 00 deadbeef");
  Bundle bundle = Decode(bytes);
  CHECK_FALSE(bundle.parent.has_value());
  GraphFields graph;
  CHECK_FALSE(DecodeGraph(bytes, GraphOptions{}, &graph).has_value());
  CHECK_FALSE(graph.parent.has_value());
  // Any version byte from 3 up reads as version 3.
  bytes[0] = 0xff;
  CHECK(Decode(bytes) == bundle);
}

TEST_CASE("codec: non-canonical varints decode as Java reads them") {
  // modCount 1 as a 2-byte varint; the 5th byte of a varint keeps 4 bits.
  Bundle padded = Decode(FromHex("03 00 cafebabecafebabecafebabecafebabe 8100 00"));
  CHECK(padded.mod_count == 1);
  Bundle truncated = Decode(FromHex("03 00 cafebabecafebabecafebabecafebabe 8180808070 00"));
  CHECK(truncated.mod_count == 1);
}

// ---- The graph path ----

TEST_CASE("codec: DecodeGraph collects references and the version history") {
  const NodeId history = Id("20000000-0000-0000-0000-000000000001");
  const NodeId target = Id("20000000-0000-0000-0000-000000000002");
  const NodeId weak = Id("20000000-0000-0000-0000-000000000003");
  Bundle bundle = Unstructured();
  bundle.properties.push_back(Single(Jcr("versionHistory"), PropertyType::kReference, history));
  bundle.properties.push_back(
      Multi(Plain("refs"), PropertyType::kReference, {target, kRootNodeId}));
  bundle.properties.push_back(Single(Plain("weak"), PropertyType::kWeakReference, weak));
  bundle.children.push_back(ChildEntry{Plain("a"), kSystemNodeId});
  bundle.children.push_back(ChildEntry{Plain("a"), kSystemNodeId});
  bundle.shared_set = {kRootNodeId};
  Bytes bytes = Encode(bundle);
  CHECK(bytes[20] == kJcrVersionHistoryIndex);

  GraphFields graph;
  REQUIRE_FALSE(DecodeGraph(bytes, GraphOptions{true}, &graph).has_value());
  CHECK(graph.version_history == history);
  CHECK(graph.references == std::vector<NodeId>{history, target, kRootNodeId});
  CHECK(graph.children == std::vector<NodeId>{kSystemNodeId, kSystemNodeId});
  CHECK(graph.shared_set == std::vector<NodeId>{kRootNodeId});
  CHECK(graph.parent == kRootNodeId);

  REQUIRE_FALSE(DecodeGraph(bytes, GraphOptions{false}, &graph).has_value());
  CHECK(graph.references.empty());
  CHECK_FALSE(graph.version_history.has_value());
  CHECK(graph.children.size() == 2);
}

TEST_CASE("codec: DecodeGraph recognizes jcr:versionHistory written in full") {
  // Java always writes the common index 58, but a name in full means the
  // same to the reader.
  const NodeId history = Id("20000000-0000-0000-0000-000000000001");
  Bytes bytes =
      Concat({FromHex("03 00"), IdBytes(kRootNodeId), FromHex("00 10 9d 1a"), BytesOf(kJcrUri),
              BytesOf("versionHistory"), FromHex("09 00"), IdBytes(history)});
  Bundle bundle = Decode(bytes);
  REQUIRE(bundle.properties.size() == 1);
  CHECK(bundle.properties[0].name == Jcr("versionHistory"));
  GraphFields graph;
  REQUIRE_FALSE(DecodeGraph(bytes, GraphOptions{true}, &graph).has_value());
  CHECK(graph.version_history == history);
  CHECK(graph == GraphFieldsOf(bundle, GraphOptions{true}));
}

TEST_CASE("codec: DecodeGraph reads a history's jcr:versionableUuid") {
  const NodeId versionable = Id("20000000-0000-0000-0000-0000000000aa");
  auto history_with = [](PropertyType type, Value value) {
    Bundle bundle = Unstructured();
    bundle.properties.push_back(Single(Jcr("versionableUuid"), type, std::move(value)));
    return bundle;
  };
  struct Case {
    const char* what;
    Bundle bundle;
    std::optional<NodeId> expected;
  };
  const std::vector<Case> cases = {
      {"a uuid string", history_with(PropertyType::kString, versionable.ToString()), versionable},
      {"upper-case hex",
       history_with(PropertyType::kString, "20000000-0000-0000-0000-0000000000AA"), versionable},
      {"not a uuid", history_with(PropertyType::kString, std::string("no uuid")), std::nullopt},
      {"a NAME, not a STRING", history_with(PropertyType::kName, Plain("x")), std::nullopt},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Bytes bytes = Encode(c.bundle);
    GraphFields graph;
    REQUIRE_FALSE(DecodeGraph(bytes, GraphOptions{true}, &graph).has_value());
    CHECK(graph.versionable_uuid == c.expected);
    CHECK(graph == GraphFieldsOf(c.bundle, GraphOptions{true}));
    REQUIRE_FALSE(DecodeGraph(bytes, GraphOptions{false}, &graph).has_value());
    CHECK_FALSE(graph.versionable_uuid.has_value());
  }
  // The common-name index Java writes for it.
  CHECK(Encode(cases[0].bundle)[20] == kJcrVersionableUuidIndex);
}

TEST_CASE("codec: DecodeGraph reuses the capacity of its output") {
  Bundle bundle = Unstructured();
  for (int i = 0; i < 50; ++i) bundle.children.push_back(ChildEntry{Plain("c"), kRootNodeId});
  Bytes bytes = Encode(bundle);
  GraphFields graph;
  REQUIRE_FALSE(DecodeGraph(bytes, GraphOptions{}, &graph).has_value());
  const NodeId* storage = graph.children.data();
  REQUIRE_FALSE(DecodeGraph(bytes, GraphOptions{}, &graph).has_value());
  CHECK(graph.children.data() == storage);
  CHECK(graph.children.size() == 50);
}

}  // namespace
}  // namespace checker
