// A small JSON document model for tests that read expected results.
//
// ParseJson accepts exactly RFC 8259 JSON (one value, surrounded by optional
// whitespace). Objects keep their members in document order, duplicates
// included; numbers keep their literal text, so 64-bit integers and doubles
// lose nothing. \uXXXX escapes, surrogate pairs included, become UTF-8; an
// unpaired surrogate is an error.
//
// Accessors never crash: asking a value for something it does not hold (a
// missing key, an index out of range, the members of a string) gives a null
// Json, an empty string or an empty list. Tests then fail on a comparison
// instead of crashing.
#ifndef CHECKER_TESTS_SUPPORT_JSON_H_
#define CHECKER_TESTS_SUPPORT_JSON_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/status.h"

namespace checker::testing {

class Json {
 public:
  enum class Type { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, Json>;

  Json() = default;  // null
  static Json Bool(bool value);
  static Json Number(std::string literal);  // REQUIRES: a valid JSON number literal
  static Json String(std::string value);
  static Json Array(std::vector<Json> elements);
  static Json Object(std::vector<Member> members);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  // The value of a bool; false for anything else.
  bool boolean() const { return is_bool() && bool_; }
  // A string's value or a number's literal text; "" for anything else.
  const std::string& str() const { return text_; }
  // A number literal that is an integer in int64 range ("12", "-3"; not
  // "1.0" or "1e3"); nullopt for anything else.
  std::optional<int64_t> as_int64() const;
  // A number's value (strtod of its literal); nullopt for anything else.
  std::optional<double> as_double() const;

  // Elements of an array or members of an object; 0 otherwise.
  size_t size() const { return is_array() ? elements_.size() : members_.size(); }
  const std::vector<Json>& elements() const { return elements_; }
  const std::vector<Member>& items() const { return members_; }
  // The element at `index`; null if out of range or not an array.
  const Json& operator[](size_t index) const;
  // The first member named `key`; null if absent or not an object.
  const Json& at(std::string_view key) const;
  bool contains(std::string_view key) const;

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  std::string text_;
  std::vector<Json> elements_;
  std::vector<Member> members_;
};

struct JsonError {
  size_t offset = 0;  // byte offset in the text
  std::string message;
  std::string ToString() const;
};

Result<Json, JsonError> ParseJson(std::string_view text);

}  // namespace checker::testing

#endif  // CHECKER_TESTS_SUPPORT_JSON_H_
