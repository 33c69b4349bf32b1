#include "checker/properties.h"

#include <doctest/doctest.h>

#include <ostream>
#include <string>
#include <vector>

namespace checker {

std::ostream& operator<<(std::ostream& out, const PropertiesEntry& entry) {
  return out << "{'" << entry.key << "', '" << entry.value << "', line " << entry.line << "}";
}

namespace {

std::vector<PropertiesEntry> Parse(std::string_view text) {
  Result<std::vector<PropertiesEntry>> entries = ParseProperties(text, "test.properties");
  REQUIRE_MESSAGE(entries.ok(), entries.status().message());
  return *entries;
}

std::string ParseError(std::string_view text) {
  Result<std::vector<PropertiesEntry>> entries = ParseProperties(text, "test.properties");
  REQUIRE_FALSE(entries.ok());
  CHECK(entries.status().IsInvalidArgument());
  return entries.status().message();
}

// The value of the single entry of `text`.
std::string ValueOf(std::string_view text) {
  std::vector<PropertiesEntry> entries = Parse(text);
  REQUIRE(entries.size() == 1);
  return entries[0].value;
}

using Entries = std::vector<PropertiesEntry>;

TEST_CASE("properties: '=', ':' or blanks separate key and value") {
  CHECK(Parse("a=1\nb:2\nc 3\nd\t4\ne\f5\n") ==
        Entries{{"a", "1", 1}, {"b", "2", 2}, {"c", "3", 3}, {"d", "4", 4}, {"e", "5", 5}});
  // Blanks around one separator are skipped; a second separator is value.
  CHECK(Parse("a = 1") == Entries{{"a", "1", 1}});
  CHECK(Parse("a  :\t 1") == Entries{{"a", "1", 1}});
  CHECK(ValueOf("a = = 1") == "= 1");
  CHECK(ValueOf("a=:1") == ":1");
  CHECK(ValueOf("a 1 = 2") == "1 = 2");
  CHECK(ValueOf("a=b=c") == "b=c");
}

TEST_CASE("properties: a key alone has an empty value") {
  CHECK(Parse("a\nb =\nc:   \n") == Entries{{"a", "", 1}, {"b", "", 2}, {"c", "", 3}});
  CHECK(Parse("=1") == Entries{{"", "1", 1}});
}

TEST_CASE("properties: leading blanks are skipped, trailing blanks kept") {
  CHECK(Parse("   \t\fkey = value  \t") == Entries{{"key", "value  \t", 1}});
}

TEST_CASE("properties: comments and blank lines are skipped but counted") {
  std::string text =
      "# a comment\n"
      "! another\n"
      "   # indented comment\n"
      "\n"
      "  \t \n"
      "a = 1 # not a comment\n"
      "b = !x\n";
  CHECK(Parse(text) == Entries{{"a", "1 # not a comment", 6}, {"b", "!x", 7}});
}

TEST_CASE("properties: a comment is not continued by a trailing backslash") {
  CHECK(Parse("# comment \\\na = 1\n") == Entries{{"a", "1", 2}});
}

TEST_CASE("properties: an odd number of trailing backslashes continues the line") {
  // The continuation line's leading blanks are skipped; the entry keeps the
  // line it starts on.
  CHECK(Parse("a = one, \\\n     two, \\\n\tthree\nb = 2\n") ==
        Entries{{"a", "one, two, three", 1}, {"b", "2", 4}});
  CHECK(Parse("a = x\\\\\\\ny\n") == Entries{{"a", "x\\y", 1}});
  // An even number is escaped backslashes: no continuation.
  CHECK(Parse("a = x\\\\\nb = y\n") == Entries{{"a", "x\\", 1}, {"b", "y", 2}});
  // The key can be continued too.
  CHECK(Parse("stor\\\n  age.url = x") == Entries{{"storage.url", "x", 1}});
}

TEST_CASE("properties: a continued line may start with '#' and may be empty") {
  CHECK(ValueOf("a = 1\\\n#2") == "1#2");
  // A blank line after a continuation ends the logical line.
  CHECK(Parse("a = 1\\\n   \nb = 2") == Entries{{"a", "1", 1}, {"b", "2", 3}});
  // A backslash on the last line, at the end of text, is dropped.
  CHECK(Parse("a = 1\\") == Entries{{"a", "1", 1}});
  CHECK(Parse("a = 1\\\n") == Entries{{"a", "1", 1}});
}

TEST_CASE("properties: a logical line starts at its first character") {
  // Java's LineReader: while nothing has been read, a continued line is
  // still a new line, where comments and blank lines are skipped.
  CHECK(Parse("\\\n# comment\na = 1") == Entries{{"a", "1", 3}});
  CHECK(Parse("\\\n\na = 1") == Entries{{"a", "1", 3}});
  CHECK(Parse("  \\\n  a = 1") == Entries{{"a", "1", 2}});
  // A lone backslash at the end is nothing (Java would add an empty key).
  CHECK(Parse("a = 1\n\\") == Entries{{"a", "1", 1}});
}

TEST_CASE("properties: lines end with \\n, \\r or \\r\\n") {
  CHECK(Parse("a=1\r\nb=2\rc=3\nd=4\r\n\r\ne=5") ==
        Entries{{"a", "1", 1}, {"b", "2", 2}, {"c", "3", 3}, {"d", "4", 4}, {"e", "5", 6}});
  CHECK(Parse("a = 1\\\r\n  2\r\nb = 3\r\n") == Entries{{"a", "12", 1}, {"b", "3", 3}});
  CHECK(Parse("a = 1\\\r  2\rb = 3") == Entries{{"a", "12", 1}, {"b", "3", 3}});
}

TEST_CASE("properties: escapes in values") {
  CHECK(ValueOf(R"(a = \t\n\r\f)") == "\t\n\r\f");
  CHECK(ValueOf(R"(a = C:\\data\\repo.db)") == "C:\\data\\repo.db");
  // Any other escaped character is itself.
  CHECK(ValueOf(R"(a = \q\=\:\#\!\ \")") == "q=:#! \"");
  CHECK(ValueOf(R"(a = \ leading blank)") == " leading blank");
}

TEST_CASE("properties: escapes in keys, and separators that are escaped") {
  CHECK(Parse(R"(a\=b=c)") == Entries{{"a=b", "c", 1}});
  CHECK(Parse(R"(a\:b:c)") == Entries{{"a:b", "c", 1}});
  CHECK(Parse(R"(a\ b c)") == Entries{{"a b", "c", 1}});
  CHECK(Parse(R"(a\\=b)") == Entries{{"a\\", "b", 1}});
  CHECK(Parse(R"(\#a=b)") == Entries{{"#a", "b", 1}});
  CHECK(Parse(R"(\u0061\u0062 = c)") == Entries{{"ab", "c", 1}});
}

TEST_CASE("properties: \\uXXXX escapes become UTF-8") {
  CHECK(ValueOf(R"(a = \u0041)") == "A");
  CHECK(ValueOf(R"(a = \u00e9\u00E9)") == "\xC3\xA9\xC3\xA9");  // é é
  CHECK(ValueOf(R"(a = \u20ac)") == "\xE2\x82\xAC");            // €
  CHECK(ValueOf(R"(a = \uFFFF)") == "\xEF\xBF\xBF");
  // A surrogate pair is one code point (U+1F600), not two 3-byte sequences.
  CHECK(ValueOf(R"(a = x\uD83D\uDE00y)") == "x\xF0\x9F\x98\x80y");
  CHECK(ValueOf(R"(a = \udbff\udfff)") == "\xF4\x8F\xBF\xBF");  // U+10FFFF
}

TEST_CASE("properties: the text is taken as UTF-8 bytes") {
  CHECK(Parse("w\xC3\xB6rk = caf\xC3\xA9") == Entries{{"w\xC3\xB6rk", "caf\xC3\xA9", 1}});
  // A byte-order mark does not become part of the first key.
  CHECK(Parse("\xEF\xBB\xBF"
              "a = 1") == Entries{{"a", "1", 1}});
}

TEST_CASE("properties: malformed \\uXXXX escapes are errors with their line") {
  CHECK(ParseError("a = 1\nb = x\\u12g4y\n") ==
        "test.properties:2: in the value of 'b': malformed \\uXXXX escape '\\u12g4': "
        "expected exactly 4 hex digits after \\u");
  CHECK(ParseError("a = \\u12") ==
        "test.properties:1: in the value of 'a': malformed \\uXXXX escape '\\u12': "
        "expected exactly 4 hex digits after \\u");
  CHECK(ParseError("\n\nk\\u004=v") ==
        "test.properties:3: in a key: malformed \\uXXXX escape '\\u004': "
        "expected exactly 4 hex digits after \\u");
  CHECK(ParseError("a = \\u") ==
        "test.properties:1: in the value of 'a': malformed \\uXXXX escape '\\u': "
        "expected exactly 4 hex digits after \\u");
  CHECK(ParseError("a = \\u+123") ==
        "test.properties:1: in the value of 'a': malformed \\uXXXX escape '\\u+123': "
        "expected exactly 4 hex digits after \\u");
}

TEST_CASE("properties: unpaired surrogates are malformed escapes") {
  CHECK(ParseError("a = \\uD83D") ==
        "test.properties:1: in the value of 'a': malformed \\uXXXX escape '\\uD83D': "
        "a high surrogate must be followed by a \\uDC00-\\uDFFF escape");
  CHECK(ParseError("a = \\uD83Dx") ==
        "test.properties:1: in the value of 'a': malformed \\uXXXX escape '\\uD83D': "
        "a high surrogate must be followed by a \\uDC00-\\uDFFF escape");
  CHECK(ParseError("a = \\uD83D\\u0041") ==
        "test.properties:1: in the value of 'a': malformed \\uXXXX escape '\\uD83D\\u0041': "
        "a high surrogate must be followed by a \\uDC00-\\uDFFF escape");
  CHECK(ParseError("a = \\uDE00") ==
        "test.properties:1: in the value of 'a': malformed \\uXXXX escape '\\uDE00': "
        "a low surrogate must follow a \\uD800-\\uDBFF escape");
  CHECK(ParseError("a = \\uD83D\\uzzzz").find("'\\uzzzz'") != std::string::npos);
}

TEST_CASE("properties: a key given twice is an error naming both lines") {
  CHECK(ParseError("a = 1\n# x\nb = 2\na = 3\n") ==
        "test.properties:4: key 'a' is given twice, on line 1 and line 4; keep only one of them");
  // Keys are compared after unescaping.
  CHECK(ParseError("a.b = 1\na\\.b = 2") ==
        "test.properties:2: key 'a.b' is given twice, on line 1 and line 2; keep only one of them");
}

TEST_CASE("properties: empty text and comment-only text have no entries") {
  CHECK(Parse("").empty());
  CHECK(Parse("\n\r\n  \n").empty());
  CHECK(Parse("# only\n! comments").empty());
}

}  // namespace
}  // namespace checker
