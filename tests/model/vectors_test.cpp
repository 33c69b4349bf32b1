// Every bundle Jackrabbit wrote into vectors.sqlite against what Jackrabbit
// read back from it (vectors.json): DecodeBundle must see the same node,
// EncodeBundle must give back the same bytes, and DecodeGraph must agree with
// DecodeBundle. Values are compared in vectors.json's printed forms (see
// tests/jackrabbit-vectors/README.md).
#include <doctest/doctest.h>

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/bundle_codec.h"
#include "tests/support/bundle_rows.h"
#include "tests/support/files.h"
#include "tests/support/hex.h"
#include "tests/support/json.h"

namespace checker {
namespace {

using testing::BundleRow;
using testing::Json;
using testing::ToHex;

struct Vectors {
  Json json;
  std::vector<BundleRow> rows;
  std::map<std::string, Bytes> binvals;
};

const Vectors& LoadVectors() {
  static const Vectors vectors = [] {
    auto parsed =
        testing::ParseJson(testing::ReadFile(testing::JackrabbitVectorsPath("vectors.json")));
    REQUIRE_MESSAGE(parsed.ok(), parsed.error().ToString());
    std::filesystem::path store = testing::JackrabbitVectorsPath("vectors.sqlite");
    return Vectors{*parsed, testing::ReadBundleRows(store), testing::ReadBinvalRows(store)};
  }();
  return vectors;
}

std::string BitsHex(double value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, std::bit_cast<uint64_t>(value));
  return text;
}

void CheckBinary(const Json& expected, const BinaryValue& actual, const Vectors& vectors) {
  const std::string& storage = expected.at("storage").str();
  if (storage == "inline") {
    CHECK(actual.storage == BinaryValue::Storage::kInline);
    CHECK(ToHex(testing::BytesOf(actual.data)) == expected.at("hex").str());
    CHECK(std::to_string(actual.data.size()) == expected.at("size").str());
  } else if (storage == "blobstore") {
    // The bundle holds the blob id; the bytes are in the BINVAL table.
    CHECK(actual.storage == BinaryValue::Storage::kBlobStore);
    CHECK(actual.data == expected.at("blob_id").str());
    auto blob = vectors.binvals.find(actual.data);
    REQUIRE(blob != vectors.binvals.end());
    CHECK(ToHex(blob->second) == expected.at("hex").str());
    CHECK(std::to_string(blob->second.size()) == expected.at("size").str());
  } else {
    FAIL("unknown binary storage " << storage);
  }
}

// One value against its printed form in vectors.json.
void CheckValue(const Json& expected, PropertyType type, const Value& actual,
                const Vectors& vectors) {
  REQUIRE(ValueMatchesType(actual, type));
  switch (type) {
    case PropertyType::kString:
    case PropertyType::kPath:
    case PropertyType::kUri:
      CHECK(std::get<std::string>(actual) == expected.str());
      break;
    case PropertyType::kBinary:
      CheckBinary(expected, std::get<BinaryValue>(actual), vectors);
      break;
    case PropertyType::kLong:
      CHECK(std::to_string(std::get<int64_t>(actual)) == expected.str());
      break;
    case PropertyType::kDouble:
      CHECK(BitsHex(std::get<double>(actual)) == expected.at("bits").str());
      break;
    case PropertyType::kDate: {
      const DateValue& date = std::get<DateValue>(actual);
      CHECK(date.ToIso8601() == expected.at("iso8601").str());
      CHECK(std::to_string(date.EpochMillis()) == expected.at("epoch_ms").str());
      CHECK(date.ZoneOffsetMinutes() == expected.at("tz_offset_min").as_int64());
      break;
    }
    case PropertyType::kBoolean:
      REQUIRE(expected.is_bool());
      CHECK(std::get<bool>(actual) == expected.boolean());
      break;
    case PropertyType::kName:
      CHECK(std::get<Name>(actual).ToString() == expected.str());
      break;
    case PropertyType::kReference:
    case PropertyType::kWeakReference:
      CHECK(std::get<NodeId>(actual).ToString() == expected.str());
      break;
    case PropertyType::kDecimal: {
      const DecimalValue& decimal = std::get<DecimalValue>(actual);
      if (expected.is_null()) {
        CHECK_FALSE(decimal.text.has_value());
      } else {
        CHECK(decimal.text == expected.str());
      }
      break;
    }
  }
}

void CheckProperties(const Json& expected, const Bundle& bundle, const Vectors& vectors) {
  std::map<std::string, const PropertyEntry*> by_name;
  for (const PropertyEntry& property : bundle.properties) {
    by_name[property.name.ToString()] = &property;
  }
  CHECK(by_name.size() == bundle.properties.size());  // no duplicate names
  REQUIRE(expected.size() == bundle.properties.size());
  for (const Json& want : expected.elements()) {
    const std::string& name = want.at("name").str();
    CAPTURE(name);
    auto found = by_name.find(name);
    REQUIRE(found != by_name.end());
    const PropertyEntry& property = *found->second;
    CHECK(PropertyTypeName(property.type) == want.at("type").str());
    CHECK(static_cast<int64_t>(property.type) == want.at("type_code").as_int64());
    CHECK(property.multi_valued == want.at("multi").boolean());
    CHECK(property.mod_count == want.at("modcount").as_int64());
    const Json& values = want.at("values");
    REQUIRE(values.size() == property.values.size());
    for (size_t i = 0; i < property.values.size(); ++i) {
      CAPTURE(i);
      CheckValue(values[i], property.type, property.values[i], vectors);
    }
  }
}

std::multiset<std::string> TextSet(const Json& list) {
  std::multiset<std::string> set;
  for (const Json& item : list.elements()) set.insert(item.str());
  return set;
}

void CheckNode(const Json& expected, const Bundle& bundle, const Vectors& vectors) {
  const Json& parent = expected.at("parent");
  if (parent.is_null()) {
    CHECK_FALSE(bundle.parent.has_value());
  } else {
    REQUIRE(bundle.parent.has_value());
    CHECK(bundle.parent->ToString() == parent.str());
  }
  CHECK(bundle.primary_type.ToString() == expected.at("nodetype").str());
  std::multiset<std::string> mixins;
  for (const Name& mixin : bundle.mixins) mixins.insert(mixin.ToString());
  CHECK(mixins == TextSet(expected.at("mixins")));
  CHECK(bundle.mod_count == expected.at("modcount").as_int64());
  CHECK(bundle.referenceable == expected.at("referenceable").boolean());
  CheckProperties(expected.at("properties"), bundle, vectors);

  const Json& children = expected.at("children");
  REQUIRE(children.size() == bundle.children.size());
  for (size_t i = 0; i < bundle.children.size(); ++i) {
    CHECK(bundle.children[i].name.ToString() == children[i][0].str());
    CHECK(bundle.children[i].id.ToString() == children[i][1].str());
  }
  std::multiset<std::string> shared;
  for (const NodeId& id : bundle.shared_set) shared.insert(id.ToString());
  CHECK(shared == TextSet(expected.at("shared_set")));
}

TEST_CASE("vectors: the store and vectors.json list the same bundles") {
  const Vectors& vectors = LoadVectors();
  const Json& bundles = vectors.json.at("bundles");
  CHECK(vectors.json.at("count").as_int64() == 252);
  REQUIRE(bundles.size() == vectors.rows.size());
  for (size_t i = 0; i < vectors.rows.size(); ++i) {
    CHECK(vectors.rows[i].id.ToString() == bundles[i].at("id").str());
    CHECK(ToHex(vectors.rows[i].data) == bundles[i].at("hex").str());
    CHECK(std::to_string(vectors.rows[i].data.size()) == bundles[i].at("size").str());
  }
}

TEST_CASE("vectors: every bundle decodes to what Jackrabbit read") {
  const Vectors& vectors = LoadVectors();
  const Json& bundles = vectors.json.at("bundles");
  std::set<PropertyType> types_seen;
  for (size_t i = 0; i < vectors.rows.size(); ++i) {
    const Json& expected = bundles[i];
    CAPTURE(expected.at("label").str());
    auto decoded = DecodeBundle(vectors.rows[i].data);
    REQUIRE_MESSAGE(decoded.ok(), decoded.error().ToString());
    CheckNode(expected, *decoded, vectors);
    for (const PropertyEntry& property : decoded->properties) types_seen.insert(property.type);
  }
  CHECK(types_seen.size() == 12);
}

// Jackrabbit's own re-serialization differs for nodes with several mixins or
// a shared set (Java sets reorder them); the codec keeps stored order, so
// every bundle comes back byte for byte.
TEST_CASE("vectors: every bundle re-encodes to the same bytes") {
  const Vectors& vectors = LoadVectors();
  for (const BundleRow& row : vectors.rows) {
    CAPTURE(row.id.ToString());
    auto decoded = DecodeBundle(row.data);
    REQUIRE(decoded.ok());
    Result<Bytes> encoded = EncodeBundle(*decoded);
    REQUIRE_MESSAGE(encoded.ok(), encoded.status().message());
    CHECK(ToHex(*encoded) == ToHex(row.data));
  }
}

TEST_CASE("vectors: DecodeGraph agrees with DecodeBundle") {
  const Vectors& vectors = LoadVectors();
  GraphFields graph;
  size_t references = 0;
  for (const BundleRow& row : vectors.rows) {
    CAPTURE(row.id.ToString());
    auto decoded = DecodeBundle(row.data);
    REQUIRE(decoded.ok());
    for (bool with_references : {false, true}) {
      GraphOptions options{with_references};
      std::optional<BundleError> error = DecodeGraph(row.data, options, &graph);
      REQUIRE_FALSE(error.has_value());
      CHECK(graph == GraphFieldsOf(*decoded, options));
    }
    references += graph.references.size();
  }
  CHECK(references > 0);
}

TEST_CASE("vectors: the versionable node's history is found") {
  const Vectors& vectors = LoadVectors();
  int histories = 0;
  GraphFields graph;
  for (const BundleRow& row : vectors.rows) {
    REQUIRE_FALSE(DecodeGraph(row.data, GraphOptions{true}, &graph).has_value());
    if (graph.version_history.has_value()) {
      CHECK(std::count(graph.references.begin(), graph.references.end(), *graph.version_history) ==
            1);
      ++histories;
    }
  }
  CHECK(histories >= 1);
}

}  // namespace
}  // namespace checker
