// The bundle codec: one parser for both decoders, and a writer.
//
// Parser<Sink> walks a bundle field by field in stream order (the layout is in
// bundle_codec.h) and hands what it reads to a Sink. It owns everything that
// can fail: bounds checks, varint limits, count checks, the namespace slots.
// DecodeBundle's sink builds a Bundle; DecodeGraph's sink keeps only ids. Both
// decoders therefore fail on the same byte with the same message, and the
// graph path pays only for the walk: names and values are string_views into
// the input, namespace slots are string_views too, and nothing is copied.
//
// Every primitive returns false after recording a BundleError; callers just
// propagate the false. Building the message happens in cold, out-of-line
// functions, so the hot path is pointer compares and byte loads.
//
// Counts that carry a varint part are checked against the bytes left (times
// the smallest size of one entry) before anything is reserved, so a bogus
// count fails at once instead of allocating.
//
// Writer mirrors BundleWriter: the same slot choice, the same count and type
// byte rules, and it refuses what BundleWriter refuses.
#include "model/bundle_codec.h"

#include <array>
#include <bit>
#include <cstring>
#include <limits>
#include <string_view>

#include "model/bundle_names.h"

namespace checker {
namespace {

constexpr uint8_t kVersion3 = 3;
constexpr size_t kSlotCount = 7;  // slots 0..6 cache; slot 7 never does
constexpr uint32_t kUncachedSlot = 7;
constexpr std::string_view kVersionHistoryLocal = "versionHistory";
constexpr std::string_view kVersionableUuidLocal = "versionableUuid";

// A name as it appears in the stream: a common-name index, or views of the
// uri and local name inside the bundle bytes.
struct NameRef {
  int common = -1;
  std::string_view uri;
  std::string_view local;
};

bool IsVersionHistory(const NameRef& name) {
  if (name.common >= 0) return name.common == kJcrVersionHistoryIndex;
  return name.local == kVersionHistoryLocal && name.uri == kJcrUri;
}

bool IsVersionableUuid(const NameRef& name) {
  if (name.common >= 0) return name.common == kJcrVersionableUuidIndex;
  return name.local == kVersionableUuidLocal && name.uri == kJcrUri;
}

Name ToName(const NameRef& ref) {
  if (ref.common >= 0) {
    const CommonName& common = CommonNameAt(ref.common);
    return Name{std::string(common.uri), std::string(common.local)};
  }
  return Name{std::string(ref.uri), std::string(ref.local)};
}

std::string_view AsChars(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

uint64_t LoadBigEndian64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return std::endian::native == std::endian::little ? __builtin_bswap64(v) : v;
}

uint32_t LoadBigEndian32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return std::endian::native == std::endian::little ? __builtin_bswap32(v) : v;
}

// The smallest encoding of one value of each type, for count checks.
size_t MinValueSize(PropertyType type) {
  switch (type) {
    case PropertyType::kBinary:
      return 4;
    case PropertyType::kDouble:
      return 8;
    case PropertyType::kReference:
    case PropertyType::kWeakReference:
      return NodeId::kBytes;
    default:
      return 1;
  }
}

// Reads primitives and the structure of a bundle, reporting to Sink.
template <typename Sink>
class Parser {
 public:
  Parser(ByteView bytes, Sink* sink)
      : begin_(bytes.data()), pos_(bytes.data()), end_(bytes.data() + bytes.size()), sink_(sink) {}

  // False if the bundle is malformed; error() says why.
  bool Run();
  BundleError& error() { return error_; }

 private:
  size_t Offset() const { return static_cast<size_t>(pos_ - begin_); }
  size_t Left() const { return static_cast<size_t>(end_ - pos_); }

  // Failures. Each records error_ and returns false.
  [[gnu::cold, gnu::noinline]] bool Fail(size_t offset, std::string expected);
  [[gnu::cold, gnu::noinline]] bool FailAtEnd(size_t offset, const char* what);
  [[gnu::cold, gnu::noinline]] bool FailShort(size_t offset, uint64_t size, const char* what);
  [[gnu::cold, gnu::noinline]] bool FailCount(size_t offset, uint64_t count, uint64_t max,
                                              const char* what);

  bool ReadByte(const char* what, uint8_t* out);
  bool ReadVarInt(const char* what, uint32_t* out);
  bool ReadVarIntSlow(const char* what, uint32_t* out);
  bool ReadVarLong(const char* what, int64_t* out);
  bool ReadVarLongSlow(const char* what, int64_t* out);
  bool ReadBytes(uint64_t size, const char* what, std::string_view* out);
  bool ReadString(const char* length_what, const char* what, std::string_view* out);
  bool ReadNodeId(const char* what, NodeId* out);
  bool ReadCount(uint32_t field, uint32_t base, size_t min_entry_size, const char* what,
                 size_t* count);
  bool ReadName(const char* what, NameRef* out);

  bool ReadHeader(uint8_t* flags);
  bool ReadMixins(uint8_t flags);
  bool ReadProperties(uint8_t flags);
  bool ReadProperty();
  bool ReadValues(PropertyType type, size_t count);
  bool ReadStringValue();
  bool ReadVarLongValue(const char* what);
  bool ReadDouble();
  bool ReadBoolean();
  bool ReadNameValue();
  bool ReadReference(const char* what);
  bool ReadDecimal();
  bool ReadBinary();
  bool ReadChildren(uint8_t flags);
  bool ReadSharedSet(uint8_t flags);

  const uint8_t* const begin_;
  const uint8_t* pos_;
  const uint8_t* const end_;
  Sink* const sink_;
  // Namespace slots as raw views, deliberately left uninitialized: a slot is
  // read only once its bit in filled_slots_ is set, and zeroing them for
  // every bundle costs the graph path more than the rest of a small bundle.
  struct Slot {
    const char* data;
    size_t size;
  };
  Slot slots_[kSlotCount];
  uint32_t filled_slots_ = 1;  // bit i: slot i holds a uri; slot 0 holds ""
  BundleError error_;
};

template <typename Sink>
bool Parser<Sink>::Fail(size_t offset, std::string expected) {
  error_.offset = offset;
  error_.expected = std::move(expected);
  return false;
}

template <typename Sink>
bool Parser<Sink>::FailAtEnd(size_t offset, const char* what) {
  return Fail(offset, std::string(what) + ", found end of data");
}

template <typename Sink>
bool Parser<Sink>::FailShort(size_t offset, uint64_t size, const char* what) {
  return Fail(offset, std::to_string(size) + " bytes of " + what + ", " +
                          std::to_string(end_ - begin_ - static_cast<ptrdiff_t>(offset)) + " left");
}

template <typename Sink>
bool Parser<Sink>::FailCount(size_t offset, uint64_t count, uint64_t max, const char* what) {
  return Fail(offset, std::string(what) + " that fits in the " + std::to_string(Left()) +
                          " bytes left (at most " + std::to_string(max) + "), found " +
                          std::to_string(count));
}

template <typename Sink>
bool Parser<Sink>::ReadByte(const char* what, uint8_t* out) {
  if (pos_ == end_) return FailAtEnd(Offset(), what);
  *out = *pos_++;
  return true;
}

template <typename Sink>
inline bool Parser<Sink>::ReadVarInt(const char* what, uint32_t* out) {
  if (pos_ != end_ && *pos_ < 0x80) {
    *out = *pos_++;
    return true;
  }
  return ReadVarIntSlow(what, out);
}

template <typename Sink>
bool Parser<Sink>::ReadVarIntSlow(const char* what, uint32_t* out) {
  size_t start = Offset();
  uint32_t value = 0;
  for (int shift = 0; shift < 35; shift += 7) {
    if (pos_ == end_) return Fail(start, std::string(what) + " (a varint), found end of data");
    uint8_t b = *pos_++;
    value |= static_cast<uint32_t>(b & 0x7f) << shift;  // the 5th byte loses its high bits
    if (b < 0x80) {
      *out = value;
      return true;
    }
  }
  return Fail(start, std::string(what) + " (a varint of at most 5 bytes), found a longer one");
}

template <typename Sink>
inline bool Parser<Sink>::ReadVarLong(const char* what, int64_t* out) {
  if (pos_ != end_ && *pos_ < 0x80) {
    uint8_t b = *pos_++;
    *out = (b & 1) ? ~static_cast<int64_t>(b >> 1) : static_cast<int64_t>(b >> 1);
    return true;
  }
  return ReadVarLongSlow(what, out);
}

template <typename Sink>
bool Parser<Sink>::ReadVarLongSlow(const char* what, int64_t* out) {
  size_t start = Offset();
  uint64_t raw = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ == end_) return Fail(start, std::string(what) + " (a varlong), found end of data");
    uint8_t b = *pos_++;
    // Of the 10th byte only bit 0 fits; Java drops the rest the same way.
    raw |=
        shift < 63 ? static_cast<uint64_t>(b & 0x7f) << shift : static_cast<uint64_t>(b & 1) << 63;
    if (b < 0x80) {
      uint64_t half = raw >> 1;
      *out = static_cast<int64_t>((raw & 1) ? ~half : half);
      return true;
    }
  }
  return Fail(start, std::string(what) + " (a varlong of at most 10 bytes), found a longer one");
}

template <typename Sink>
inline bool Parser<Sink>::ReadBytes(uint64_t size, const char* what, std::string_view* out) {
  if (size > Left()) return FailShort(Offset(), size, what);
  *out = AsChars(pos_, static_cast<size_t>(size));
  pos_ += size;
  return true;
}

template <typename Sink>
inline bool Parser<Sink>::ReadString(const char* length_what, const char* what,
                                     std::string_view* out) {
  uint32_t size = 0;
  return ReadVarInt(length_what, &size) && ReadBytes(size, what, out);
}

template <typename Sink>
inline bool Parser<Sink>::ReadNodeId(const char* what, NodeId* out) {
  if (Left() < NodeId::kBytes) return FailShort(Offset(), NodeId::kBytes, what);
  *out = NodeId{LoadBigEndian64(pos_), LoadBigEndian64(pos_ + 8)};
  pos_ += NodeId::kBytes;
  return true;
}

// A count stored as a small field (from the flags or the type byte) and,
// when the field reaches `base`, a varint to add to it.
template <typename Sink>
inline bool Parser<Sink>::ReadCount(uint32_t field, uint32_t base, size_t min_entry_size,
                                    const char* what, size_t* count) {
  if (field < base) {
    *count = field;
    return true;
  }
  size_t start = Offset();
  uint32_t extra = 0;
  if (!ReadVarInt(what, &extra)) return false;
  uint64_t total = uint64_t{base} + extra;
  uint64_t max = Left() / min_entry_size;
  if (total > max) return FailCount(start, total, max, what);
  *count = static_cast<size_t>(total);
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadName(const char* what, NameRef* out) {
  size_t start = Offset();
  uint8_t b = 0;
  if (!ReadByte(what, &b)) return false;
  if (b < 0x80) {
    if (b >= kCommonNameCount) {
      return Fail(start, "a common-name index 0..125, found " + std::to_string(b));
    }
    out->common = b;
    return true;
  }
  out->common = -1;
  uint32_t slot = (b >> 4) & 7;
  if (filled_slots_ & (1u << slot)) {
    out->uri = std::string_view(slots_[slot].data, slots_[slot].size);
  } else {
    if (!ReadString("the namespace URI length", "namespace URI", &out->uri)) return false;
    if (slot != kUncachedSlot) {
      slots_[slot] = Slot{out->uri.data(), out->uri.size()};
      filled_slots_ |= 1u << slot;
    }
  }
  uint64_t local_size = (b & 0x0f) + 1u;
  if (local_size == 16) {
    uint32_t extra = 0;
    if (!ReadVarInt("the local name length", &extra)) return false;
    local_size += extra;
  }
  return ReadBytes(local_size, "local name", &out->local);
}

template <typename Sink>
bool Parser<Sink>::Run() {
  slots_[0] = Slot{"", 0};
  uint8_t flags = 0;
  return ReadHeader(&flags) && ReadMixins(flags) && ReadProperties(flags) && ReadChildren(flags) &&
         ReadSharedSet(flags);
}

template <typename Sink>
bool Parser<Sink>::ReadHeader(uint8_t* flags) {
  uint8_t version = 0;
  if (!ReadByte("a format version byte", &version)) return false;
  if (version < kVersion3) {
    return Fail(0, "bundle format version " + std::to_string(version) +
                       " (before Jackrabbit 2.2) needs the repository's name index; not "
                       "supported");
  }
  NameRef type;
  if (!ReadName("the primary type name", &type)) return false;
  sink_->PrimaryType(type);

  NodeId parent;
  if (!ReadNodeId("parent id", &parent)) return false;
  sink_->Parent(parent == kNullParentSentinel ? std::nullopt : std::optional<NodeId>(parent));

  uint32_t mod_count = 0;
  if (!ReadVarInt("the modification count", &mod_count)) return false;
  sink_->ModCount(static_cast<int16_t>(static_cast<uint16_t>(mod_count)));

  if (!ReadByte("the flags byte", flags)) return false;
  sink_->Referenceable((*flags & 1) != 0);
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadMixins(uint8_t flags) {
  size_t count = 0;
  if (!ReadCount((flags >> 7) & 1, 1, 1, "a mixin count", &count)) return false;
  sink_->MixinCount(count);
  NameRef name;
  for (size_t i = 0; i < count; ++i) {
    if (!ReadName("a mixin name", &name)) return false;
    sink_->Mixin(name);
  }
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadProperties(uint8_t flags) {
  // Smallest property entry: a common name, a type byte, a modCount byte and
  // no values.
  size_t count = 0;
  if (!ReadCount((flags >> 4) & 7, 7, 3, "a property count", &count)) return false;
  sink_->PropertyCount(count);
  for (size_t i = 0; i < count; ++i) {
    if (!ReadProperty()) return false;
  }
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadProperty() {
  NameRef name;
  if (!ReadName("a property name", &name)) return false;
  size_t type_offset = Offset();
  uint8_t type_byte = 0;
  if (!ReadByte("a property type byte", &type_byte)) return false;
  uint32_t type_code = type_byte & 0x0f;
  if (type_code == 0 || type_code > static_cast<uint32_t>(PropertyType::kDecimal)) {
    return Fail(type_offset, "a property type 1..12, found " + std::to_string(type_code));
  }
  auto type = static_cast<PropertyType>(type_code);
  uint32_t high = type_byte >> 4;
  bool multi_valued = high != 0;
  size_t count = 1;
  if (multi_valued && !ReadCount(high - 1, 14, MinValueSize(type), "a value count", &count)) {
    return false;
  }
  uint32_t mod_count = 0;
  if (!ReadVarInt("the property modification count", &mod_count)) return false;
  sink_->BeginProperty(name, type, multi_valued,
                       static_cast<int16_t>(static_cast<uint16_t>(mod_count)), count);
  return ReadValues(type, count);
}

// One loop per type, so the type is switched on once per property.
template <typename Sink>
bool Parser<Sink>::ReadValues(PropertyType type, size_t count) {
  auto repeat = [count](auto read_one) {
    for (size_t i = 0; i < count; ++i) {
      if (!read_one()) return false;
    }
    return true;
  };
  switch (type) {
    case PropertyType::kString:
    case PropertyType::kPath:
    case PropertyType::kUri:
      return repeat([this] { return ReadStringValue(); });
    case PropertyType::kBinary:
      return repeat([this] { return ReadBinary(); });
    case PropertyType::kLong:
      return repeat([this] { return ReadVarLongValue("a LONG value"); });
    case PropertyType::kDate:
      return repeat([this] { return ReadVarLongValue("a DATE value"); });
    case PropertyType::kDouble:
      return repeat([this] { return ReadDouble(); });
    case PropertyType::kBoolean:
      return repeat([this] { return ReadBoolean(); });
    case PropertyType::kName:
      return repeat([this] { return ReadNameValue(); });
    case PropertyType::kReference:
      return repeat([this] { return ReadReference("REFERENCE value"); });
    case PropertyType::kWeakReference:
      return repeat([this] { return ReadReference("WEAKREFERENCE value"); });
    case PropertyType::kDecimal:
      return repeat([this] { return ReadDecimal(); });
  }
  return true;  // unreachable: ReadProperty checked the type
}

template <typename Sink>
bool Parser<Sink>::ReadStringValue() {
  std::string_view text;
  if (!ReadString("the value length", "value", &text)) return false;
  sink_->StringValue(text);
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadVarLongValue(const char* what) {
  int64_t value = 0;
  if (!ReadVarLong(what, &value)) return false;
  sink_->VarLongValue(value);
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadDouble() {
  if (Left() < 8) return FailShort(Offset(), 8, "DOUBLE value");
  sink_->DoubleValue(LoadBigEndian64(pos_));
  pos_ += 8;
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadBoolean() {
  uint8_t b = 0;
  if (!ReadByte("a BOOLEAN value", &b)) return false;
  sink_->BooleanValue(b != 0);
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadNameValue() {
  NameRef name;
  if (!ReadName("a NAME value", &name)) return false;
  sink_->NameValue(name);
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadReference(const char* what) {
  NodeId id;
  if (!ReadNodeId(what, &id)) return false;
  sink_->ReferenceValue(id);
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadDecimal() {
  uint8_t present = 0;
  if (!ReadByte("a DECIMAL null flag", &present)) return false;
  std::string_view text;
  if (present != 0 && !ReadString("the value length", "value", &text)) return false;
  sink_->DecimalValue(present != 0 ? std::optional<std::string_view>(text) : std::nullopt);
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadBinary() {
  constexpr int32_t kInDataStore = -2;
  constexpr int32_t kInBlobStore = -1;
  size_t start = Offset();
  if (Left() < 4) return FailShort(start, 4, "binary size");
  auto size = static_cast<int32_t>(LoadBigEndian32(pos_));
  pos_ += 4;
  std::string_view data;
  BinaryValue::Storage storage;
  if (size >= 0) {
    storage = BinaryValue::Storage::kInline;
    if (!ReadBytes(static_cast<uint64_t>(size), "binary data", &data)) return false;
  } else if (size == kInBlobStore) {
    storage = BinaryValue::Storage::kBlobStore;
    if (!ReadString("the blob id length", "blob id", &data)) return false;
  } else if (size == kInDataStore) {
    storage = BinaryValue::Storage::kDataStore;
    if (!ReadString("the data store id length", "data store id", &data)) return false;
  } else {
    return Fail(start, "a binary size >= 0 or a marker -1 or -2, found " + std::to_string(size));
  }
  sink_->BinaryData(storage, data);
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadChildren(uint8_t flags) {
  size_t count = 0;
  if (!ReadCount((flags >> 2) & 3, 3, 1 + NodeId::kBytes, "a child count", &count)) return false;
  sink_->ChildCount(count);
  NameRef name;
  NodeId id;
  for (size_t i = 0; i < count; ++i) {
    if (!ReadName("a child name", &name) || !ReadNodeId("child id", &id)) return false;
    sink_->Child(name, id);
  }
  return true;
}

template <typename Sink>
bool Parser<Sink>::ReadSharedSet(uint8_t flags) {
  size_t count = 0;
  if (!ReadCount((flags >> 1) & 1, 1, NodeId::kBytes, "a shared set count", &count)) return false;
  sink_->SharedSetCount(count);
  NodeId id;
  for (size_t i = 0; i < count; ++i) {
    if (!ReadNodeId("shared set id", &id)) return false;
    sink_->SharedSetMember(id);
  }
  return true;
}

// DecodeBundle's sink: materializes everything.
class BundleSink {
 public:
  explicit BundleSink(Bundle* bundle) : bundle_(bundle) {}

  void PrimaryType(const NameRef& name) { bundle_->primary_type = ToName(name); }
  void Parent(const std::optional<NodeId>& parent) { bundle_->parent = parent; }
  void ModCount(int16_t mod_count) { bundle_->mod_count = mod_count; }
  void Referenceable(bool referenceable) { bundle_->referenceable = referenceable; }
  void MixinCount(size_t count) { bundle_->mixins.reserve(count); }
  void Mixin(const NameRef& name) { bundle_->mixins.push_back(ToName(name)); }
  void PropertyCount(size_t count) { bundle_->properties.reserve(count); }
  void BeginProperty(const NameRef& name, PropertyType type, bool multi_valued, int16_t mod_count,
                     size_t count) {
    property_ = &bundle_->properties.emplace_back();
    property_->name = ToName(name);
    property_->type = type;
    property_->multi_valued = multi_valued;
    property_->mod_count = mod_count;
    property_->values.reserve(count);
  }
  void StringValue(std::string_view text) { Add(std::string(text)); }
  void BinaryData(BinaryValue::Storage storage, std::string_view data) {
    Add(BinaryValue{storage, std::string(data)});
  }
  void VarLongValue(int64_t value) {
    if (property_->type == PropertyType::kDate) {
      Add(DateValue{value});
    } else {
      Add(value);
    }
  }
  void DoubleValue(uint64_t bits) { Add(std::bit_cast<double>(bits)); }
  void BooleanValue(bool value) { Add(value); }
  void NameValue(const NameRef& name) { Add(ToName(name)); }
  void ReferenceValue(const NodeId& id) { Add(id); }
  void DecimalValue(std::optional<std::string_view> text) {
    Add(checker::DecimalValue{text ? std::optional<std::string>(*text) : std::nullopt});
  }
  void ChildCount(size_t count) { bundle_->children.reserve(count); }
  void Child(const NameRef& name, const NodeId& id) {
    bundle_->children.push_back(ChildEntry{ToName(name), id});
  }
  void SharedSetCount(size_t count) { bundle_->shared_set.reserve(count); }
  void SharedSetMember(const NodeId& id) { bundle_->shared_set.push_back(id); }

 private:
  // Constructs the Value in place (a moved Value temporary trips GCC 12's
  // maybe-uninitialized warning inside std::variant).
  template <typename T>
  void Add(T&& value) {
    property_->values.emplace_back(std::forward<T>(value));
  }

  Bundle* bundle_;
  PropertyEntry* property_ = nullptr;
};

// DecodeGraph's sink: ids only.
class GraphSink {
 public:
  GraphSink(const GraphOptions& options, GraphFields* out)
      : references_(options.references), out_(out) {}

  void PrimaryType(const NameRef&) {}
  void Parent(const std::optional<NodeId>& parent) { out_->parent = parent; }
  void ModCount(int16_t) {}
  void Referenceable(bool) {}
  void MixinCount(size_t) {}
  void Mixin(const NameRef&) {}
  void PropertyCount(size_t) {}
  void BeginProperty(const NameRef& name, PropertyType type, bool, int16_t, size_t) {
    if (!references_) return;
    collect_ = type == PropertyType::kReference;
    in_version_history_ = IsVersionHistory(name);
    in_versionable_uuid_ = IsVersionableUuid(name);
    // Jackrabbit's property map keeps the last entry of a name.
    if (in_version_history_) out_->version_history.reset();
    if (in_versionable_uuid_) out_->versionable_uuid.reset();
    in_versionable_uuid_ = in_versionable_uuid_ && type == PropertyType::kString;
  }
  void StringValue(std::string_view text) {
    if (!in_versionable_uuid_) return;
    out_->versionable_uuid = NodeId::Parse(text);
    in_versionable_uuid_ = false;  // only the first value
  }
  void BinaryData(BinaryValue::Storage, std::string_view) {}
  void VarLongValue(int64_t) {}
  void DoubleValue(uint64_t) {}
  void BooleanValue(bool) {}
  void NameValue(const NameRef&) {}
  void ReferenceValue(const NodeId& id) {
    if (collect_) out_->references.push_back(id);
    if (in_version_history_) {
      out_->version_history = id;
      in_version_history_ = false;  // only the first value
    }
  }
  void DecimalValue(std::optional<std::string_view>) {}
  void ChildCount(size_t) {}
  void Child(const NameRef&, const NodeId& id) { out_->children.push_back(id); }
  void SharedSetCount(size_t) {}
  void SharedSetMember(const NodeId& id) { out_->shared_set.push_back(id); }

 private:
  const bool references_;
  bool collect_ = false;
  bool in_version_history_ = false;
  bool in_versionable_uuid_ = false;
  GraphFields* out_;
};

// Writes what BundleWriter writes.
class Writer {
 public:
  Result<Bytes> Write(const Bundle& bundle);

 private:
  void Byte(uint8_t b) { out_.push_back(b); }
  void VarInt(uint32_t value);
  void VarLong(int64_t value);
  void Raw(std::string_view bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }
  void BigEndian(uint64_t value, int bytes);
  void Id(const NodeId& id) {
    BigEndian(id.msb, 8);
    BigEndian(id.lsb, 8);
  }
  // A count of `count`, whose first `base` fit in a field elsewhere.
  void CountBeyond(size_t count, uint32_t base) {
    if (count >= base) VarInt(static_cast<uint32_t>(count - base));
  }
  Status String(std::string_view text);
  Status WriteName(const Name& name);
  Status WriteProperty(const PropertyEntry& property);
  Status WriteValue(const Value& value, PropertyType type);

  Bytes out_;
  std::array<std::string_view, kSlotCount> slots_;
  uint32_t filled_slots_ = 1;  // slot 0 holds ""
};

// Java writes lengths and counts as ints.
bool FitsJavaInt(size_t n) { return n <= static_cast<size_t>(std::numeric_limits<int32_t>::max()); }

void Writer::VarInt(uint32_t value) {
  while (value >= 0x80) {
    Byte(static_cast<uint8_t>(value | 0x80));
    value >>= 7;
  }
  Byte(static_cast<uint8_t>(value));
}

void Writer::VarLong(int64_t value) {
  auto raw = static_cast<uint64_t>(value);
  raw = value < 0 ? (~raw << 1) | 1 : raw << 1;
  while (raw >= 0x80) {
    Byte(static_cast<uint8_t>(raw | 0x80));
    raw >>= 7;
  }
  Byte(static_cast<uint8_t>(raw));
}

void Writer::BigEndian(uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    Byte(static_cast<uint8_t>(value >> shift));
  }
}

Status Writer::String(std::string_view text) {
  if (!FitsJavaInt(text.size())) return Status::InvalidArgument("a string over 2 GiB");
  VarInt(static_cast<uint32_t>(text.size()));
  Raw(text);
  return Status::Ok();
}

Status Writer::WriteName(const Name& name) {
  int common = CommonNameIndex(name.uri, name.local);
  if (common >= 0) {
    Byte(static_cast<uint8_t>(common));
    return Status::Ok();
  }
  if (name.local.empty()) {
    return Status::InvalidArgument("an empty local name: " + name.ToString());
  }
  if (!FitsJavaInt(name.local.size())) return Status::InvalidArgument("a local name over 2 GiB");
  uint32_t slot = 0;
  while (slot < kSlotCount && (filled_slots_ & (1u << slot)) && slots_[slot] != name.uri) ++slot;
  auto size_field = static_cast<uint32_t>(std::min<size_t>(name.local.size() - 1, 0x0f));
  Byte(static_cast<uint8_t>(0x80 | slot << 4 | size_field));
  if (slot == kUncachedSlot || !(filled_slots_ & (1u << slot))) {
    CHECKER_RETURN_IF_ERROR(String(name.uri));
    if (slot != kUncachedSlot) {
      slots_[slot] = name.uri;
      filled_slots_ |= 1u << slot;
    }
  }
  if (size_field == 0x0f) VarInt(static_cast<uint32_t>(name.local.size() - 16));
  Raw(name.local);
  return Status::Ok();
}

Status Writer::WriteProperty(const PropertyEntry& property) {
  CHECKER_RETURN_IF_ERROR(WriteName(property.name));
  auto type_code = static_cast<uint32_t>(property.type);
  if (type_code == 0 || type_code > static_cast<uint32_t>(PropertyType::kDecimal)) {
    return Status::InvalidArgument("property " + property.name.ToString() + " has type " +
                                   std::to_string(type_code));
  }
  size_t count = property.values.size();
  if (property.multi_valued) {
    if (!FitsJavaInt(count + 1)) return Status::InvalidArgument("too many values");
    size_t field = count + 1;
    Byte(static_cast<uint8_t>(std::min<size_t>(field, 0x0f) << 4 | type_code));
    CountBeyond(field, 0x0f);
  } else {
    if (count != 1) {
      return Status::InvalidArgument("single-valued property " + property.name.ToString() +
                                     " has " + std::to_string(count) + " values");
    }
    Byte(static_cast<uint8_t>(type_code));
  }
  VarInt(static_cast<uint32_t>(int32_t{property.mod_count}));
  for (const Value& value : property.values) {
    if (!ValueMatchesType(value, property.type)) {
      return Status::InvalidArgument("property " + property.name.ToString() +
                                     " holds a value that is not a " +
                                     std::string(PropertyTypeName(property.type)));
    }
    CHECKER_RETURN_IF_ERROR(WriteValue(value, property.type));
  }
  return Status::Ok();
}

Status Writer::WriteValue(const Value& value, PropertyType type) {
  switch (type) {
    case PropertyType::kString:
    case PropertyType::kPath:
    case PropertyType::kUri:
      return String(std::get<std::string>(value));
    case PropertyType::kBinary: {
      const auto& binary = std::get<BinaryValue>(value);
      switch (binary.storage) {
        case BinaryValue::Storage::kDataStore:
          BigEndian(static_cast<uint32_t>(-2), 4);
          return String(binary.data);
        case BinaryValue::Storage::kBlobStore:
          BigEndian(static_cast<uint32_t>(-1), 4);
          return String(binary.data);
        case BinaryValue::Storage::kInline:
          if (!FitsJavaInt(binary.data.size())) {
            return Status::InvalidArgument("an inline binary over 2 GiB");
          }
          BigEndian(binary.data.size(), 4);
          Raw(binary.data);
          return Status::Ok();
      }
      return Status::InvalidArgument("a binary with an unknown storage kind");
    }
    case PropertyType::kLong:
      VarLong(std::get<int64_t>(value));
      return Status::Ok();
    case PropertyType::kDouble:
      BigEndian(std::bit_cast<uint64_t>(std::get<double>(value)), 8);
      return Status::Ok();
    case PropertyType::kDate:
      VarLong(std::get<DateValue>(value).encoded);
      return Status::Ok();
    case PropertyType::kBoolean:
      Byte(std::get<bool>(value) ? 1 : 0);
      return Status::Ok();
    case PropertyType::kName:
      return WriteName(std::get<Name>(value));
    case PropertyType::kReference:
    case PropertyType::kWeakReference:
      Id(std::get<NodeId>(value));
      return Status::Ok();
    case PropertyType::kDecimal: {
      const auto& decimal = std::get<checker::DecimalValue>(value);
      Byte(decimal.text ? 1 : 0);
      return decimal.text ? String(*decimal.text) : Status::Ok();
    }
  }
  return Status::InvalidArgument("unknown property type");
}

Result<Bytes> Writer::Write(const Bundle& bundle) {
  size_t mixins = bundle.mixins.size();
  size_t properties = bundle.properties.size();
  size_t children = bundle.children.size();
  size_t shared = bundle.shared_set.size();
  if (!FitsJavaInt(mixins) || !FitsJavaInt(properties) || !FitsJavaInt(children) ||
      !FitsJavaInt(shared)) {
    return Status::InvalidArgument("a bundle with over 2^31 entries");
  }
  Byte(kVersion3);
  CHECKER_RETURN_IF_ERROR(WriteName(bundle.primary_type));
  Id(bundle.parent.value_or(kNullParentSentinel));
  VarInt(static_cast<uint32_t>(int32_t{bundle.mod_count}));
  Byte(static_cast<uint8_t>(std::min<size_t>(mixins, 1) << 7 |
                            std::min<size_t>(properties, 7) << 4 |
                            std::min<size_t>(children, 3) << 2 | std::min<size_t>(shared, 1) << 1 |
                            (bundle.referenceable ? 1 : 0)));
  CountBeyond(mixins, 1);
  for (const Name& mixin : bundle.mixins) CHECKER_RETURN_IF_ERROR(WriteName(mixin));
  CountBeyond(properties, 7);
  for (const PropertyEntry& property : bundle.properties) {
    CHECKER_RETURN_IF_ERROR(WriteProperty(property));
  }
  CountBeyond(children, 3);
  for (const ChildEntry& child : bundle.children) {
    CHECKER_RETURN_IF_ERROR(WriteName(child.name));
    Id(child.id);
  }
  CountBeyond(shared, 1);
  for (const NodeId& id : bundle.shared_set) Id(id);
  return std::move(out_);
}

}  // namespace

std::string BundleError::ToString() const {
  return "at byte " + std::to_string(offset) + ": expected " + expected;
}

void GraphFields::Clear() {
  parent.reset();
  children.clear();
  shared_set.clear();
  references.clear();
  version_history.reset();
  versionable_uuid.reset();
}

Result<Bundle, BundleError> DecodeBundle(ByteView bytes) {
  Bundle bundle;
  BundleSink sink(&bundle);
  Parser<BundleSink> parser(bytes, &sink);
  if (!parser.Run()) return std::move(parser.error());
  return bundle;
}

std::optional<BundleError> DecodeGraph(ByteView bytes, const GraphOptions& options,
                                       GraphFields* out) {
  out->Clear();
  GraphSink sink(options, out);
  Parser<GraphSink> parser(bytes, &sink);
  if (!parser.Run()) return std::move(parser.error());
  return std::nullopt;
}

Result<Bytes> EncodeBundle(const Bundle& bundle) { return Writer().Write(bundle); }

GraphFields GraphFieldsOf(const Bundle& bundle, const GraphOptions& options) {
  GraphFields fields;
  fields.parent = bundle.parent;
  for (const ChildEntry& child : bundle.children) fields.children.push_back(child.id);
  fields.shared_set = bundle.shared_set;
  if (!options.references) return fields;
  const Name version_history{std::string(kJcrUri), std::string(kVersionHistoryLocal)};
  const Name versionable_uuid{std::string(kJcrUri), std::string(kVersionableUuidLocal)};
  for (const PropertyEntry& property : bundle.properties) {
    if (property.name == versionable_uuid) {
      const auto* first = property.values.empty() || property.type != PropertyType::kString
                              ? nullptr
                              : std::get_if<std::string>(&property.values.front());
      fields.versionable_uuid = first ? NodeId::Parse(*first) : std::nullopt;
    }
    bool is_reference = property.type == PropertyType::kReference;
    bool holds_ids = is_reference || property.type == PropertyType::kWeakReference;
    if (property.name == version_history) {
      const NodeId* first = property.values.empty() || !holds_ids
                                ? nullptr
                                : std::get_if<NodeId>(&property.values.front());
      fields.version_history = first ? std::optional<NodeId>(*first) : std::nullopt;
    }
    if (!is_reference) continue;
    for (const Value& value : property.values) {
      if (const auto* id = std::get_if<NodeId>(&value)) fields.references.push_back(*id);
    }
  }
  return fields;
}

}  // namespace checker
