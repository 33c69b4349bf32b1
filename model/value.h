// Property types and values, as Jackrabbit's bundle format stores them.
#ifndef CHECKER_MODEL_VALUE_H_
#define CHECKER_MODEL_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "model/date.h"
#include "model/name.h"
#include "model/node_id.h"

namespace checker {

// JCR property type codes (javax.jcr.PropertyType); 0 (undefined) and codes
// above 12 never appear in a valid bundle.
enum class PropertyType : uint8_t {
  kString = 1,
  kBinary = 2,
  kLong = 3,
  kDouble = 4,
  kDate = 5,
  kBoolean = 6,
  kName = 7,
  kPath = 8,
  kReference = 9,
  kWeakReference = 10,
  kUri = 11,
  kDecimal = 12,
};

// "String", "Binary", ... as javax.jcr.PropertyType.nameFromValue prints them.
std::string_view PropertyTypeName(PropertyType type);
// The inverse of PropertyTypeName (case-sensitive); nullopt if unknown.
std::optional<PropertyType> PropertyTypeFromName(std::string_view name);

// A BINARY value: inline bytes, or the id of a binary stored elsewhere.
struct BinaryValue {
  enum class Storage : uint8_t {
    kInline,     // size >= 0: `data` holds the bytes
    kBlobStore,  // marker -1: `data` is the blob id (BINVAL row or file path)
    kDataStore,  // marker -2: `data` is the data store identifier
  };
  Storage storage = Storage::kInline;
  std::string data;
  friend bool operator==(const BinaryValue&, const BinaryValue&) = default;
};

// A DECIMAL value: BigDecimal.toString(), or null.
struct DecimalValue {
  std::optional<std::string> text;
  friend bool operator==(const DecimalValue&, const DecimalValue&) = default;
};

// One value. Which alternative a property holds follows from its type:
//   STRING, PATH, URI        -> std::string (PATH in the internal syntax)
//   BINARY                   -> BinaryValue
//   LONG                     -> int64_t
//   DOUBLE                   -> double (bit pattern preserved)
//   DATE                     -> DateValue
//   BOOLEAN                  -> bool
//   NAME                     -> Name
//   REFERENCE, WEAKREFERENCE -> NodeId
//   DECIMAL                  -> DecimalValue
using Value = std::variant<std::string, BinaryValue, int64_t, double, DateValue, bool, Name,
                           NodeId, DecimalValue>;

// True if `value` holds the alternative that `type` calls for.
bool ValueMatchesType(const Value& value, PropertyType type);

}  // namespace checker

#endif  // CHECKER_MODEL_VALUE_H_
