#include "model/value.h"

#include <array>

namespace checker {
namespace {

constexpr std::array<std::string_view, 13> kTypeNames = {
    "undefined", "String", "Binary", "Long", "Double",        "Date",    "Boolean",
    "Name",      "Path",   "Reference", "WeakReference", "URI", "Decimal"};

}  // namespace

std::string_view PropertyTypeName(PropertyType type) {
  auto code = static_cast<size_t>(type);
  return code < kTypeNames.size() ? kTypeNames[code] : "invalid";
}

std::optional<PropertyType> PropertyTypeFromName(std::string_view name) {
  for (size_t code = 1; code < kTypeNames.size(); ++code) {
    if (kTypeNames[code] == name) return static_cast<PropertyType>(code);
  }
  return std::nullopt;
}

bool ValueMatchesType(const Value& value, PropertyType type) {
  switch (type) {
    case PropertyType::kString:
    case PropertyType::kPath:
    case PropertyType::kUri:
      return std::holds_alternative<std::string>(value);
    case PropertyType::kBinary:
      return std::holds_alternative<BinaryValue>(value);
    case PropertyType::kLong:
      return std::holds_alternative<int64_t>(value);
    case PropertyType::kDouble:
      return std::holds_alternative<double>(value);
    case PropertyType::kDate:
      return std::holds_alternative<DateValue>(value);
    case PropertyType::kBoolean:
      return std::holds_alternative<bool>(value);
    case PropertyType::kName:
      return std::holds_alternative<Name>(value);
    case PropertyType::kReference:
    case PropertyType::kWeakReference:
      return std::holds_alternative<NodeId>(value);
    case PropertyType::kDecimal:
      return std::holds_alternative<DecimalValue>(value);
  }
  return false;
}

}  // namespace checker
