// Name: a qualified JCR name, a namespace URI plus a local name.
//
// Printed in Jackrabbit's expanded form "{uri}local"; the empty namespace
// prints as "{}local".
#ifndef CHECKER_MODEL_NAME_H_
#define CHECKER_MODEL_NAME_H_

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace checker {

struct Name {
  std::string uri;
  std::string local;

  std::string ToString() const { return "{" + uri + "}" + local; }
  // Parses "{uri}local"; the local part must not be empty.
  static std::optional<Name> ParseExpanded(std::string_view text);

  friend auto operator<=>(const Name&, const Name&) = default;
  friend bool operator==(const Name&, const Name&) = default;
};

// The namespaces of Jackrabbit's built-in names.
inline constexpr std::string_view kJcrUri = "http://www.jcp.org/jcr/1.0";
inline constexpr std::string_view kNtUri = "http://www.jcp.org/jcr/nt/1.0";
inline constexpr std::string_view kMixUri = "http://www.jcp.org/jcr/mix/1.0";
inline constexpr std::string_view kRepUri = "internal";

inline std::optional<Name> Name::ParseExpanded(std::string_view text) {
  if (text.size() < 3 || text.front() != '{') return std::nullopt;
  size_t close = text.find('}');
  if (close == std::string_view::npos || close + 1 >= text.size()) return std::nullopt;
  return Name{std::string(text.substr(1, close - 1)), std::string(text.substr(close + 1))};
}

}  // namespace checker

#endif  // CHECKER_MODEL_NAME_H_
