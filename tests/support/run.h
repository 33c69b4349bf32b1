// Running the built programs (checker, mkfixture) from tests, the way a user
// runs them: a shell command, its stdout, stderr and exit status.
#ifndef CHECKER_TESTS_SUPPORT_RUN_H_
#define CHECKER_TESTS_SUPPORT_RUN_H_

#include <string>

namespace checker::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `command` with /bin/sh; stdin is /dev/null.
RunResult Run(const std::string& command);

// The checker and mkfixture binaries of this build, quoted for the shell.
std::string CheckerBin();
std::string MkfixtureBin();
// A path inside the source tree.
std::string SourcePath(const std::string& relative);

// Replaces what changes from run to run (elapsed times, temp dir paths) by
// fixed text, so transcripts can be compared with golden files.
std::string Normalize(std::string text, const std::string& temp_dir);

}  // namespace checker::testing

#endif  // CHECKER_TESTS_SUPPORT_RUN_H_
