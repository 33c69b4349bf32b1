// TempDir: a fresh directory under /tmp for one test, removed with everything
// in it when the TempDir is destroyed.
#ifndef CHECKER_TESTS_SUPPORT_TEMP_DIR_H_
#define CHECKER_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>
#include <string_view>

namespace checker::testing {

class TempDir {
 public:
  // Creates /tmp/checker-test-XXXXXX; aborts the test program if it cannot.
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string File(std::string_view name) const;

 private:
  std::string path_;
};

}  // namespace checker::testing

#endif  // CHECKER_TESTS_SUPPORT_TEMP_DIR_H_
