// LargeArray<T>: a growable array of trivially copyable T in anonymous
// memory of its own, for the index's per-node arrays (tens of millions of
// elements).
//
// Why not std::vector: growing a vector copies it into a block twice the
// size, so for a moment the old and the new block are both resident, and the
// capacity may end up almost twice the size. Here the block is an anonymous
// mapping that grows with mremap: the kernel moves the pages, nothing is
// copied, and pages never written are never resident. Release hands back
// the pages of elements a pass has consumed, so a pass that streams one array
// into another keeps only about one of them resident. An array asks for huge
// pages unless it is created for sequential access (Access below).
//
// Contracts: T is trivially copyable; new elements read as zero bytes; an
// allocation failure aborts (as operator new would). Move-only.
#ifndef CHECKER_CHECKER_LARGE_ARRAY_H_
#define CHECKER_CHECKER_LARGE_ARRAY_H_

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <type_traits>
#include <utility>

namespace checker {

namespace large_array_internal {

inline size_t PageSize() {
  static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

inline size_t RoundUpToPages(size_t bytes) {
  size_t page = PageSize();
  return (bytes + page - 1) / page * page;
}

// Mappings of at least this size may have transparent huge pages.
inline constexpr size_t kHugePage = size_t{2} << 20;

// Maps, grows or unmaps an anonymous block, asking for huge pages or not;
// aborts when memory runs out.
void* Remap(void* old_block, size_t old_bytes, size_t new_bytes, bool huge_pages);

}  // namespace large_array_internal

// How an array's elements are reached, which decides its page size.
enum class Access : uint8_t {
  // Huge pages (where the mapping is big enough): each random access saves
  // a page walk.
  kRandom,
  // Small pages: a stream gains nothing from huge ones, and small pages are
  // cheaper to map in and to give back (on a virtual machine markedly so).
  kSequential,
};

template <typename T>
class LargeArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  LargeArray() = default;
  explicit LargeArray(Access access) : access_(access) {}
  explicit LargeArray(size_t size) { Resize(size); }
  LargeArray(LargeArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)),
        access_(other.access_) {}
  LargeArray& operator=(LargeArray&& other) noexcept {
    if (this != &other) {
      Clear();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      capacity_ = std::exchange(other.capacity_, 0);
      access_ = other.access_;
    }
    return *this;
  }
  LargeArray(const LargeArray&) = delete;
  LargeArray& operator=(const LargeArray&) = delete;
  ~LargeArray() { Clear(); }

  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  std::span<const T> span() const { return {data_, size_}; }
  // The bytes of elements [begin, end), which may lie beyond size() up to
  // capacity(): for a Prefaulter.
  std::span<std::byte> Bytes(size_t begin, size_t end) {
    return {reinterpret_cast<std::byte*>(data_ + begin), (end - begin) * sizeof(T)};
  }

  void push_back(const T& value) {
    if (size_ == capacity_) Reserve(std::max<size_t>(2 * capacity_, kMinElements));
    data_[size_++] = value;
  }
  void Append(const T* values, size_t count) {
    if (count > capacity_ - size_) Reserve(std::max(size_ + count, 2 * capacity_));
    if (count > 0) std::memcpy(data_ + size_, values, count * sizeof(T));
    size_ += count;
  }
  // Grows to `size` elements; the new ones are zero. REQUIRES: size >= size().
  void Resize(size_t size) {
    Reserve(size);
    size_ = size;
  }
  void Reserve(size_t capacity) {
    if (capacity <= capacity_) return;
    size_t bytes = large_array_internal::RoundUpToPages(capacity * sizeof(T));
    data_ = static_cast<T*>(large_array_internal::Remap(data_, MappedBytes(), bytes, HugePages()));
    capacity_ = bytes / sizeof(T);
  }
  // Drops the elements from `size` on and gives back the pages they leave
  // empty. REQUIRES: size <= size().
  void Truncate(size_t size) {
    size_ = size;
    ShrinkToFit();
    if (capacity_ > size_) {  // read as zero again
      std::memset(static_cast<void*>(data_ + size_), 0, (capacity_ - size_) * sizeof(T));
    }
  }
  // Gives the unused capacity back.
  void ShrinkToFit() {
    size_t bytes = large_array_internal::RoundUpToPages(size_ * sizeof(T));
    if (bytes == MappedBytes()) return;
    data_ = static_cast<T*>(large_array_internal::Remap(data_, MappedBytes(), bytes, HugePages()));
    capacity_ = bytes / sizeof(T);
  }
  // Returns the memory inside elements [begin, end) to the system, in whole
  // blocks of Granule() bytes: it reads as zero afterwards. For arrays
  // consumed front to back.
  void Release(size_t begin, size_t end) {
    const size_t granule = Granule();
    auto first = reinterpret_cast<uintptr_t>(data_ + begin);
    auto last = reinterpret_cast<uintptr_t>(data_ + end);
    first = (first + granule - 1) / granule * granule;
    last = last / granule * granule;
    if (first < last) madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
  }
  // What Release gives back at a time. A mapping with huge pages releases
  // whole huge pages: releasing part of one makes the kernel split it into
  // small pages first, which costs more than the memory is worth.
  size_t Granule() const {
    return HugePages() && MappedBytes() >= large_array_internal::kHugePage
               ? large_array_internal::kHugePage
               : large_array_internal::PageSize();
  }
  void Clear() {
    large_array_internal::Remap(data_, MappedBytes(), 0, false);
    data_ = nullptr;
    size_ = capacity_ = 0;
  }
  // The bytes mapped: what the array may hold without growing.
  size_t MappedBytes() const { return large_array_internal::RoundUpToPages(capacity_ * sizeof(T)); }
  // The pages that hold elements: the most of it that can be resident, since
  // the capacity beyond size() is never written.
  size_t UsedBytes() const { return large_array_internal::RoundUpToPages(size_ * sizeof(T)); }

 private:
  static constexpr size_t kMinElements = (size_t{1} << 16) / sizeof(T) + 1;

  bool HugePages() const { return access_ == Access::kRandom; }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  Access access_ = Access::kRandom;
};

}  // namespace checker

#endif  // CHECKER_CHECKER_LARGE_ARRAY_H_
