// The test-support JSON parser (tests/support/json.h): what it accepts, what
// it refuses, and how its accessors behave on missing data.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/json.h"

namespace checker::testing {
namespace {

Json Parse(std::string_view text) {
  auto parsed = ParseJson(text);
  REQUIRE_MESSAGE(parsed.ok(), parsed.error().ToString());
  return *parsed;
}

TEST_CASE("json: objects keep member order and duplicates") {
  Json json = Parse(R"({"b": 1, "a": [true, false, null], "b": "again"})");
  REQUIRE(json.is_object());
  REQUIRE(json.size() == 3);
  CHECK(json.items()[0].first == "b");
  CHECK(json.items()[1].first == "a");
  CHECK(json.items()[2].second.str() == "again");
  CHECK(json.at("b").str() == "1");  // the first one
  CHECK(json.at("a")[0].boolean());
  CHECK(json.at("a")[1].is_bool());
  CHECK(json.at("a")[2].is_null());
}

TEST_CASE("json: numbers keep their literal text") {
  Json json = Parse("[9223372036854775807, -9223372036854775808, 0, -0, 1.50, 2e3, -1E-2]");
  CHECK(json[0].as_int64() == INT64_MAX);
  CHECK(json[1].as_int64() == INT64_MIN);
  CHECK(json[2].as_int64() == 0);
  CHECK(json[3].str() == "-0");
  CHECK(json[4].str() == "1.50");
  CHECK_FALSE(json[4].as_int64().has_value());
  CHECK(json[4].as_double() == 1.5);
  CHECK(json[5].as_double() == 2000.0);
  CHECK(json[6].str() == "-1E-2");
  CHECK_FALSE(Parse("9223372036854775808").as_int64().has_value());
}

TEST_CASE("json: string escapes become UTF-8") {
  Json json = Parse(R"(["a\"b\\c\/d\b\f\n\r\t", "\u00fc\u65e5", "\ud83d\ude00", "caf\u00E9"])");
  CHECK(json[0].str() == "a\"b\\c/d\b\f\n\r\t");
  CHECK(json[1].str() == "\xc3\xbc\xe6\x97\xa5");
  CHECK(json[2].str() == "\xf0\x9f\x98\x80");
  CHECK(json[3].str() == "caf\xc3\xa9");
  CHECK(Parse("\"\xe2\x98\x83\"").str() == "\xe2\x98\x83");  // raw UTF-8 passes through
}

TEST_CASE("json: malformed documents are refused with an offset") {
  for (const char* text : {"",
                           " ",
                           "[1,]",
                           "{\"a\":1,}",
                           "{\"a\" 1}",
                           "{a:1}",
                           "[1 2]",
                           "01",
                           "-",
                           "1.",
                           "1e",
                           ".5",
                           "+1",
                           "tru",
                           "nul",
                           "\"abc",
                           "\"\\x\"",
                           "\"\\u12\"",
                           "\"\\ud83d\"",
                           "\"\\ude00\"",
                           "\"\\ud83d\\u0041\"",
                           "\"tab\there\"",
                           "[1] 2",
                           "{\"a\":1}}",
                           "NaN"}) {
    CAPTURE(text);
    CHECK_FALSE(ParseJson(text).ok());
  }
  auto error = ParseJson("[1, 2,]");
  REQUIRE_FALSE(error.ok());
  CHECK(error.error().offset == 6);
}

TEST_CASE("json: nesting is bounded") {
  std::string deep(10000, '[');
  CHECK_FALSE(ParseJson(deep).ok());
  std::string fine = std::string(100, '[') + std::string(100, ']');
  CHECK(ParseJson(fine).ok());
}

TEST_CASE("json: accessors fall back to null instead of crashing") {
  Json json = Parse(R"({"list": [1], "text": "x"})");
  CHECK(json.at("missing").is_null());
  CHECK(json.at("list")[5].is_null());
  CHECK(json.at("text")[0].is_null());
  CHECK(json.at("text").at("key").is_null());
  CHECK(json.at("list").str().empty());
  CHECK_FALSE(json.at("text").boolean());
  CHECK_FALSE(json.at("text").as_int64().has_value());
  CHECK(json.contains("list"));
  CHECK_FALSE(json.contains("missing"));
  CHECK(json.at("text").size() == 0);
}

}  // namespace
}  // namespace checker::testing
