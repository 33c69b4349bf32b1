// mkdtemp gives a unique name, so tests can run in parallel (ctest -j).
// Removal first makes everything writable again, so that a test that made a
// file or folder read-only does not leave it behind.
#include "tests/support/temp_dir.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <system_error>
#include <vector>

namespace checker::testing {

TempDir::TempDir() {
  std::string pattern = "/tmp/checker-test-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  path_ = buffer.data();
}

TempDir::~TempDir() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
  for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    // Never follow a link out of the folder.
    if (!it->is_symlink(ec)) {
      fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
  }
  fs::remove_all(path_, ec);
}

std::string TempDir::File(std::string_view name) const {
  std::string file = path_;
  file += '/';
  file += name;
  return file;
}

}  // namespace checker::testing
