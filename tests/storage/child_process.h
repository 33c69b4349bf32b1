// ChildProcess: runs a piece of a test in another process, for what one
// process cannot show by itself (LMDB allows an environment to be open only
// once per process, so "another writer" must be another process).
//
// The child is a fork of the test program. It runs `body`, which may call
// Hold() to tell the parent it is ready and wait there until the parent
// calls Finish(). It leaves with _exit(body's result): no destructor of the
// parent's objects runs in it (a TempDir would delete the parent's files)
// and no doctest macro may be used in it.
#ifndef CHECKER_TESTS_STORAGE_CHILD_PROCESS_H_
#define CHECKER_TESTS_STORAGE_CHILD_PROCESS_H_

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

namespace checker::storage_test {

class ChildProcess {
 public:
  explicit ChildProcess(const std::function<int(ChildProcess&)>& body) {
    REQUIRE(pipe(ready_) == 0);
    REQUIRE(pipe(release_) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      close(ready_[0]);
      close(release_[1]);
      _exit(body(*this));
    }
    close(ready_[1]);
    close(release_[0]);
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() {
    if (pid_ > 0) Finish();
  }

  // Child side: tells the parent it is ready, then waits for Finish().
  void Hold() {
    char byte = 1;
    static_cast<void>(write(ready_[1], &byte, 1) == 1);
    static_cast<void>(read(release_[0], &byte, 1));
  }

  // Parent side: true once the child is in Hold(); false if it ended first.
  bool WaitUntilHolding() {
    char byte = 0;
    return read(ready_[0], &byte, 1) == 1;
  }
  // Parent side: lets the child finish and returns its exit status (-1 if
  // it did not exit normally).
  int Finish() {
    close(release_[1]);
    close(ready_[0]);
    int status = 0;
    pid_t pid = pid_;
    pid_ = -1;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
  }

 private:
  int ready_[2];
  int release_[2];
  pid_t pid_ = -1;
};

}  // namespace checker::storage_test

#endif  // CHECKER_TESTS_STORAGE_CHILD_PROCESS_H_
