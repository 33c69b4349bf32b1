// A recursive-descent JSON parser.
//
// One function per grammar rule of RFC 8259, each consuming input from a
// cursor. Recursion depth is bounded so hostile input cannot overflow the
// stack. Errors carry the byte offset where the input stopped matching.
#include "tests/support/json.h"

#include <charconv>
#include <cstdlib>

namespace checker::testing {
namespace {

constexpr int kMaxDepth = 256;

const Json& NullJson() {
  static const Json null;
  return null;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | code_point >> 6));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | code_point >> 12));
    out->push_back(static_cast<char>(0x80 | (code_point >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | code_point >> 18));
    out->push_back(static_cast<char>(0x80 | (code_point >> 12 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point >> 6 & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Json, JsonError> ParseDocument() {
    Json value;
    SkipSpace();
    if (!ParseValue(0, &value)) return error_;
    SkipSpace();
    if (pos_ != text_.size()) {
      Fail("end of input after the value");
      return error_;
    }
    return value;
  }

 private:
  bool Fail(std::string expected) {
    error_ = JsonError{pos_, "expected " + std::move(expected)};
    return false;
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  // The next character; '\0' at the end, which no rule accepts there.
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipSpace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  bool Consume(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  bool ConsumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool ParseValue(int depth, Json* out) {
    if (depth > kMaxDepth) return Fail("less deeply nested values");
    switch (Peek()) {
      case '{':
        return ParseObject(depth, out);
      case '[':
        return ParseArray(depth, out);
      case '"': {
        std::string text;
        if (!ParseString(&text)) return false;
        *out = Json::String(std::move(text));
        return true;
      }
      case 't':
      case 'f':
      case 'n':
        return ParseLiteral(out);
      default:
        return ParseNumber(out);
    }
  }

  bool ParseLiteral(Json* out) {
    if (ConsumeWord("true")) {
      *out = Json::Bool(true);
    } else if (ConsumeWord("false")) {
      *out = Json::Bool(false);
    } else if (ConsumeWord("null")) {
      *out = Json();
    } else {
      return Fail("a value");
    }
    return true;
  }

  bool ParseObject(int depth, Json* out) {
    ++pos_;  // '{'
    std::vector<Json::Member> members;
    SkipSpace();
    if (!Consume('}')) {
      do {
        SkipSpace();
        std::string key;
        if (Peek() != '"') return Fail("a member name");
        if (!ParseString(&key)) return false;
        SkipSpace();
        if (!Consume(':')) return Fail("':'");
        SkipSpace();
        Json value;
        if (!ParseValue(depth + 1, &value)) return false;
        members.emplace_back(std::move(key), std::move(value));
        SkipSpace();
      } while (Consume(','));
      if (!Consume('}')) return Fail("',' or '}'");
    }
    *out = Json::Object(std::move(members));
    return true;
  }

  bool ParseArray(int depth, Json* out) {
    ++pos_;  // '['
    std::vector<Json> elements;
    SkipSpace();
    if (!Consume(']')) {
      do {
        SkipSpace();
        Json value;
        if (!ParseValue(depth + 1, &value)) return false;
        elements.push_back(std::move(value));
        SkipSpace();
      } while (Consume(','));
      if (!Consume(']')) return Fail("',' or ']'");
    }
    *out = Json::Array(std::move(elements));
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool ParseNumber(Json* out) {
    size_t start = pos_;
    Consume('-');
    if (!IsDigit(Peek())) return Fail("a value");
    if (!Consume('0')) SkipDigits();
    if (Consume('.') && !SkipDigits()) return Fail("a digit after '.'");
    if (Consume('e') || Consume('E')) {
      if (!Consume('+')) Consume('-');
      if (!SkipDigits()) return Fail("a digit in the exponent");
    }
    *out = Json::Number(std::string(text_.substr(start, pos_ - start)));
    return true;
  }

  bool SkipDigits() {
    size_t start = pos_;
    while (IsDigit(Peek())) ++pos_;
    return pos_ > start;
  }

  bool ParseString(std::string* out) {
    ++pos_;  // '"'
    while (true) {
      if (AtEnd()) return Fail("'\"' to close the string");
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail("no control character in a string");
      if (c != '\\') {
        out->push_back(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (!ParseEscape(out)) return false;
    }
  }

  bool ParseEscape(std::string* out) {
    if (AtEnd()) return Fail("an escape character");
    char c = text_[pos_++];
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out->push_back(c);
        return true;
      case 'b':
        out->push_back('\b');
        return true;
      case 'f':
        out->push_back('\f');
        return true;
      case 'n':
        out->push_back('\n');
        return true;
      case 'r':
        out->push_back('\r');
        return true;
      case 't':
        out->push_back('\t');
        return true;
      case 'u':
        return ParseUnicodeEscape(out);
      default:
        --pos_;
        return Fail("a valid escape character");
    }
  }

  // After "\u": four hex digits, and for a high surrogate a "\uXXXX" low one.
  bool ParseUnicodeEscape(std::string* out) {
    uint32_t unit;
    if (!ParseHex4(&unit)) return false;
    if (unit >= 0xDC00 && unit <= 0xDFFF) return Fail("a high surrogate before a low one");
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (!ConsumeWord("\\u")) return Fail("a low surrogate after a high one");
      uint32_t low;
      if (!ParseHex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return Fail("a low surrogate after a high one");
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(unit, out);
    return true;
  }

  bool ParseHex4(uint32_t* out) {
    *out = 0;
    for (int i = 0; i < 4; ++i) {
      int digit = HexDigit(Peek());
      if (digit < 0) return Fail("four hex digits");
      *out = *out << 4 | static_cast<uint32_t>(digit);
      ++pos_;
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  JsonError error_;
};

}  // namespace

Json Json::Bool(bool value) {
  Json json;
  json.type_ = Type::kBool;
  json.bool_ = value;
  return json;
}

Json Json::Number(std::string literal) {
  Json json;
  json.type_ = Type::kNumber;
  json.text_ = std::move(literal);
  return json;
}

Json Json::String(std::string value) {
  Json json;
  json.type_ = Type::kString;
  json.text_ = std::move(value);
  return json;
}

Json Json::Array(std::vector<Json> elements) {
  Json json;
  json.type_ = Type::kArray;
  json.elements_ = std::move(elements);
  return json;
}

Json Json::Object(std::vector<Member> members) {
  Json json;
  json.type_ = Type::kObject;
  json.members_ = std::move(members);
  return json;
}

std::optional<int64_t> Json::as_int64() const {
  if (!is_number()) return std::nullopt;
  int64_t value = 0;
  const char* end = text_.data() + text_.size();
  auto [ptr, ec] = std::from_chars(text_.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

std::optional<double> Json::as_double() const {
  if (!is_number()) return std::nullopt;
  return std::strtod(text_.c_str(), nullptr);
}

const Json& Json::operator[](size_t index) const {
  return is_array() && index < elements_.size() ? elements_[index] : NullJson();
}

const Json& Json::at(std::string_view key) const {
  for (const Member& member : members_) {
    if (member.first == key) return member.second;
  }
  return NullJson();
}

bool Json::contains(std::string_view key) const {
  for (const Member& member : members_) {
    if (member.first == key) return true;
  }
  return false;
}

std::string JsonError::ToString() const {
  return "JSON at byte " + std::to_string(offset) + ": " + message;
}

Result<Json, JsonError> ParseJson(std::string_view text) { return Parser(text).ParseDocument(); }

}  // namespace checker::testing
