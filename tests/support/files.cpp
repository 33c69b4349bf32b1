// File helpers for tests: plain iostreams, failures reported through doctest.
#include "tests/support/files.h"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

namespace checker::testing {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot open " << path.string());
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) FAIL("cannot read " << path.string());
  return contents;
}

}  // namespace checker::testing
