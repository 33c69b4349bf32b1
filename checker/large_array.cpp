// Anonymous mappings for LargeArray: mmap to create, mremap to grow or shrink
// (the kernel moves pages instead of copying them), munmap to free; big
// mappings ask for transparent huge pages unless their access is sequential.
#include "checker/large_array.h"

#include <cerrno>
#include <cstdio>

namespace checker::large_array_internal {

void* Remap(void* old_block, size_t old_bytes, size_t new_bytes, bool huge_pages) {
  if (new_bytes == 0) {
    if (old_block != nullptr) munmap(old_block, old_bytes);
    return nullptr;
  }
  void* block = old_block == nullptr ? mmap(nullptr, new_bytes, PROT_READ | PROT_WRITE,
                                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                                     : mremap(old_block, old_bytes, new_bytes, MREMAP_MAYMOVE);
  if (block == MAP_FAILED) {
    std::fprintf(stderr, "checker: out of memory mapping %zu bytes (errno %d)\n", new_bytes, errno);
    std::abort();
  }
  // Hints only: where transparent huge pages are off they do nothing.
  if (new_bytes >= kHugePage)
    madvise(block, new_bytes, huge_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
  return block;
}

}  // namespace checker::large_array_internal
