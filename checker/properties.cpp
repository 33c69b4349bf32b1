// How it works: in three steps, as java.util.Properties.load does.
//  1. LineReader cuts the text into logical lines: it skips comments and blank
//     lines, drops each line's leading blanks, joins continued lines (without
//     their continuation backslash) and remembers the line each one starts on.
//     One corner differs from Java: a text ending in a lone "\" (nothing
//     else on its logical line) gives Java an entry with an empty key and
//     value; here it gives nothing.
//  2. SplitKeyValue finds the separator on the still-escaped logical line, so
//     that an escaped "\=", "\:" or "\ " stays in the key.
//  3. Unescape decodes key and value separately.
// A map from key to line then turns a repeated key into an error naming both
// lines.
#include "checker/properties.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace checker {
namespace {

constexpr std::string_view kUtf8ByteOrderMark = "\xEF\xBB\xBF";

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }
bool IsTerminator(char c) { return c == '\n' || c == '\r'; }

struct LogicalLine {
  std::string text;  // still escaped; continuation backslashes removed
  int line = 0;      // where it starts
};

class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}

  // Stores the next logical line in *out; returns false at the end of text.
  bool Next(LogicalLine* out) {
    out->text.clear();
    while (pos_ < text_.size()) {
      // As in Java's LineReader, a logical line starts with its first
      // character, not with its first physical line: until then, comments
      // and blank lines are recognised even after a continuation.
      bool starting = out->text.empty();
      if (starting) out->line = line_;
      std::string_view piece = NextPhysicalLine();
      if (starting && (piece.starts_with('#') || piece.starts_with('!'))) continue;
      bool continued = EndsInContinuation(piece);
      if (continued) piece.remove_suffix(1);
      out->text.append(piece);
      if (!continued && !out->text.empty()) return true;
    }
    return !out->text.empty();  // the text ended inside a continued line
  }

 private:
  // Returns the next physical line without its leading blanks and its
  // terminator, and moves past both.
  std::string_view NextPhysicalLine() {
    while (pos_ < text_.size() && IsBlank(text_[pos_])) ++pos_;
    size_t start = pos_;
    while (pos_ < text_.size() && !IsTerminator(text_[pos_])) ++pos_;
    std::string_view line = text_.substr(start, pos_ - start);
    if (pos_ < text_.size()) {
      if (text_.substr(pos_, 2) == "\r\n") ++pos_;
      ++pos_;
      ++line_;
    }
    return line;
  }

  // An odd number of trailing backslashes: the last one escapes the line end.
  static bool EndsInContinuation(std::string_view piece) {
    size_t backslashes = 0;
    while (backslashes < piece.size() && piece[piece.size() - 1 - backslashes] == '\\') {
      ++backslashes;
    }
    return backslashes % 2 == 1;
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

struct RawEntry {
  std::string_view key;
  std::string_view value;
};

// The key ends at the first unescaped '=', ':' or blank; then blanks, at
// most one '=' or ':', and blanks are skipped before the value.
RawEntry SplitKeyValue(std::string_view line) {
  size_t key_end = 0;
  bool escaped = false;
  while (key_end < line.size()) {
    char c = line[key_end];
    if (!escaped && (c == '=' || c == ':' || IsBlank(c))) break;
    escaped = !escaped && c == '\\';
    ++key_end;
  }
  size_t value_start = key_end;
  bool has_separator = false;
  while (value_start < line.size()) {
    char c = line[value_start];
    if (!IsBlank(c)) {
      if (has_separator || (c != '=' && c != ':')) break;
      has_separator = true;
    }
    ++value_start;
  }
  return {line.substr(0, key_end), line.substr(value_start)};
}

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status MalformedUnicodeEscape(std::string_view escape, std::string_view what_is_wrong) {
  return Status::InvalidArgument("malformed \\uXXXX escape '" + std::string(escape) +
                                 "': " + std::string(what_is_wrong));
}

// Reads the UTF-16 code unit of the \uXXXX escape that starts at raw[at].
Result<uint32_t> ReadUtf16Unit(std::string_view raw, size_t at) {
  std::string_view digits = raw.substr(at + 2, 4);
  bool well_formed = digits.size() == 4 && std::ranges::all_of(digits, [](char digit) {
                       return HexDigitValue(digit) >= 0;
                     });
  if (!well_formed) {
    return MalformedUnicodeEscape(raw.substr(at, 6), "expected exactly 4 hex digits after \\u");
  }
  uint32_t unit = 0;
  for (char digit : digits) unit = unit * 16 + static_cast<uint32_t>(HexDigitValue(digit));
  return unit;
}

bool IsHighSurrogate(uint32_t unit) { return unit >= 0xD800 && unit <= 0xDBFF; }
bool IsLowSurrogate(uint32_t unit) { return unit >= 0xDC00 && unit <= 0xDFFF; }

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// Decodes the \uXXXX escape at raw[*pos] (and the low surrogate escape that
// must follow a high one) into UTF-8, and moves *pos past it.
Status DecodeUnicodeEscape(std::string_view raw, size_t* pos, std::string* out) {
  size_t start = *pos;
  Result<uint32_t> unit = ReadUtf16Unit(raw, start);
  if (!unit.ok()) return unit.status();
  uint32_t code_point = *unit;
  *pos = start + 6;
  if (IsHighSurrogate(code_point)) {
    if (raw.substr(*pos, 2) != "\\u") {
      return MalformedUnicodeEscape(
          raw.substr(start, 6), "a high surrogate must be followed by a \\uDC00-\\uDFFF escape");
    }
    Result<uint32_t> low = ReadUtf16Unit(raw, *pos);
    if (!low.ok()) return low.status();
    if (!IsLowSurrogate(*low)) {
      return MalformedUnicodeEscape(
          raw.substr(start, 12), "a high surrogate must be followed by a \\uDC00-\\uDFFF escape");
    }
    code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
    *pos += 6;
  } else if (IsLowSurrogate(code_point)) {
    return MalformedUnicodeEscape(raw.substr(start, 6),
                                  "a low surrogate must follow a \\uD800-\\uDBFF escape");
  }
  AppendUtf8(code_point, out);
  return Status::Ok();
}

char EscapedChar(char c) {
  switch (c) {
    case 't':
      return '\t';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 'f':
      return '\f';
    default:
      return c;
  }
}

Result<std::string> Unescape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  size_t pos = 0;
  while (pos < raw.size()) {
    // A line never ends in a lone backslash (it would have continued the
    // line), but the bound is checked rather than assumed.
    if (raw[pos] != '\\' || pos + 1 == raw.size()) {
      out.push_back(raw[pos++]);
    } else if (raw[pos + 1] == 'u') {
      CHECKER_RETURN_IF_ERROR(DecodeUnicodeEscape(raw, &pos, &out));
    } else {
      out.push_back(EscapedChar(raw[pos + 1]));
      pos += 2;
    }
  }
  return out;
}

}  // namespace

Result<std::vector<PropertiesEntry>> ParseProperties(std::string_view text,
                                                     std::string_view source_name) {
  if (text.starts_with(kUtf8ByteOrderMark)) text.remove_prefix(kUtf8ByteOrderMark.size());
  std::vector<PropertiesEntry> entries;
  std::map<std::string, int, std::less<>> line_of_key;
  LineReader reader(text);
  LogicalLine line;
  while (reader.Next(&line)) {
    std::string where = std::string(source_name) + ":" + std::to_string(line.line);
    RawEntry raw = SplitKeyValue(line.text);
    Result<std::string> key = Unescape(raw.key);
    if (!key.ok()) return key.status().WithContext(where + ": in a key");
    Result<std::string> value = Unescape(raw.value);
    if (!value.ok()) {
      return value.status().WithContext(where + ": in the value of '" + *key + "'");
    }
    auto [it, inserted] = line_of_key.emplace(*key, line.line);
    if (!inserted) {
      return Status::InvalidArgument(where + ": key '" + *key + "' is given twice, on line " +
                                     std::to_string(it->second) + " and line " +
                                     std::to_string(line.line) + "; keep only one of them");
    }
    entries.push_back({std::move(key).value(), std::move(value).value(), line.line});
  }
  return entries;
}

}  // namespace checker
