// Ctrl-C and SIGTERM: a flag the long-running steps look at. A scan stops
// at its next batch; a fix that has not committed rolls back. Both then exit
// with status 32.
#ifndef CHECKER_CHECKER_INTERRUPT_H_
#define CHECKER_CHECKER_INTERRUPT_H_

namespace checker {

// Installs handlers for SIGINT and SIGTERM that set the flag.
void InstallInterruptHandler();
// What the handler does; tests call it directly.
void RequestInterrupt();
void ClearInterrupt();
bool InterruptRequested();

}  // namespace checker

#endif  // CHECKER_CHECKER_INTERRUPT_H_
