// A reader of Java .properties text, as java.util.Properties.load reads it.
//
// Syntax (the Properties.load rules; see properties.cpp for the details):
// - Logical lines: a physical line ending in an odd number of backslashes
//   continues on the next one, whose leading blanks (space, tab, form feed)
//   are skipped. Line terminators are \n, \r and \r\n.
// - A line whose first non-blank character is '#' or '!' is a comment; blank
//   lines are skipped.
// - The key ends at the first unescaped '=', ':' or blank; then come optional
//   blanks, at most one '=' or ':', and optional blanks. The rest of the line,
//   trailing blanks included, is the value.
// - Escapes in keys and values: \t \n \r \f, \uXXXX (exactly 4 hex digits,
//   UTF-16 surrogate pairs combined), and \<c> for any other c gives c.
//
// The text is taken as UTF-8 (what Java 9+ assumes for resource bundles) and
// \uXXXX escapes are written as UTF-8; a leading UTF-8 byte-order mark is
// ignored. Unlike Properties.load, which lets a later value win, a key given
// twice is an error: a checker configuration must not be ambiguous.
#ifndef CHECKER_CHECKER_PROPERTIES_H_
#define CHECKER_CHECKER_PROPERTIES_H_

#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

namespace checker {

// One key/value pair of a .properties text (not to be confused with
// PropertyEntry, a property of a bundle).
struct PropertiesEntry {
  std::string key;    // unescaped
  std::string value;  // unescaped, trailing blanks kept
  int line = 0;       // 1-based physical line on which the entry starts

  friend bool operator==(const PropertiesEntry&, const PropertiesEntry&) = default;
};

// Parses `text` into its entries, in the order they appear. On error returns
// InvalidArgument with a message "<source_name>:<line>: <what is wrong>":
// a malformed \uXXXX escape (bad hex digits, too few digits, an unpaired
// surrogate) or a duplicate key (the message names both lines).
Result<std::vector<PropertiesEntry>> ParseProperties(std::string_view text,
                                                     std::string_view source_name);

}  // namespace checker

#endif  // CHECKER_CHECKER_PROPERTIES_H_
