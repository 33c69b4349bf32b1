// The handler only stores into a lock-free atomic, which is async-signal-safe.
#include "checker/interrupt.h"

#include <atomic>
#include <csignal>

namespace checker {
namespace {

std::atomic<bool> interrupted{false};

extern "C" void OnSignal(int) { interrupted.store(true); }

}  // namespace

void InstallInterruptHandler() {
  struct sigaction action = {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

void RequestInterrupt() { interrupted.store(true); }
void ClearInterrupt() { interrupted.store(false); }
bool InterruptRequested() { return interrupted.load(); }

}  // namespace checker
