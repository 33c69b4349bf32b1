// Exit status, fsck convention: bits that may be ORed.
#ifndef CHECKER_CHECKER_EXIT_CODE_H_
#define CHECKER_CHECKER_EXIT_CODE_H_

namespace checker {

inline constexpr int kExitClean = 0;         // no inconsistencies
inline constexpr int kExitRepaired = 1;      // found, and all repaired
inline constexpr int kExitRemaining = 4;     // inconsistencies remain
inline constexpr int kExitOperational = 8;   // store, config, lock or I/O error
inline constexpr int kExitUsage = 16;        // bad arguments
inline constexpr int kExitInterrupted = 32;  // interrupted; rolled back

}  // namespace checker

#endif  // CHECKER_CHECKER_EXIT_CODE_H_
