// Reading test data files.
#ifndef CHECKER_TESTS_SUPPORT_FILES_H_
#define CHECKER_TESTS_SUPPORT_FILES_H_

#include <filesystem>
#include <string>

namespace checker::testing {

// The whole file, byte for byte. If it cannot be read, the current doctest
// test case fails (FAIL) and does not return.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace checker::testing

#endif  // CHECKER_TESTS_SUPPORT_FILES_H_
