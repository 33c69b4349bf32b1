// LmdbEnvironment: one LMDB environment directory, opened the way a bundle
// store needs it; the advisory lock that keeps two checker writers apart; and
// the mapping of LMDB result codes to Status messages that name the
// directory.
//
// Contracts:
// - The environment is opened with MDB_NOTLS: read transactions belong to
//   their MDB_txn, not to the thread, so one thread may hold several read
//   transactions and a write transaction at the same time (a scan whose
//   callback does point lookups; a fix that reads before it writes).
// - kReadOnly opens with MDB_RDONLY: data.mdb is opened O_RDONLY and mapped
//   read-only, so it is never written. LMDB's lock file lock.mdb is used as
//   every LMDB reader uses it (and created if it is missing): a read
//   transaction registers its snapshot there, which is what stops a writer
//   in another process from recycling the pages the snapshot still reads.
//   MDB_NOLOCK would leave lock.mdb alone only by giving up that guarantee.
//   On a read-only file system LMDB reads without a lock file.
// - An LMDB environment may be open only once per process (LMDB's own rule:
//   its fcntl locks are per process). A second Open of the same directory
//   in one process is InvalidArgument.
// - Not thread-safe: use from one thread at a time.
#ifndef CHECKER_STORAGE_LMDB_ENVIRONMENT_H_
#define CHECKER_STORAGE_LMDB_ENVIRONMENT_H_

#include <lmdb.h>
#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "model/status.h"
#include "storage/bundle_store.h"

namespace checker {

struct LmdbOptions {
  // The map size for writing; 0 chooses one that fits anything the disk can
  // hold (see the .cpp). Tests set a small one to make a write fail with
  // "map full".
  size_t map_size = 0;
};

// Owns a read-only transaction; aborts it unless it was committed.
class LmdbReadTxn {
 public:
  LmdbReadTxn() = default;
  explicit LmdbReadTxn(MDB_txn* txn) : txn_(txn) {}
  LmdbReadTxn(LmdbReadTxn&& other) noexcept : txn_(other.txn_) { other.txn_ = nullptr; }
  LmdbReadTxn& operator=(LmdbReadTxn&& other) noexcept;
  LmdbReadTxn(const LmdbReadTxn&) = delete;
  LmdbReadTxn& operator=(const LmdbReadTxn&) = delete;
  ~LmdbReadTxn() {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
  }

  MDB_txn* get() const { return txn_; }
  // Ends the transaction keeping the named-database handles it opened (an
  // abort would close them). Returns the LMDB result code.
  int Commit();

 private:
  MDB_txn* txn_ = nullptr;
};

class LmdbEnvironment {
 public:
  // Opens the environment in directory `dir`:
  // - kReadOnly, kReadWrite: the directory and its data.mdb must exist.
  // - kCreate: the directory (with its parents) and the environment are
  //   created if missing.
  // Errors: InvalidArgument for an empty path, a path that is not a
  // directory, or a directory already open in this process; NotFound "no
  // such directory: <dir>" and NotFound "<dir> is not an LMDB environment (it
  // has no data.mdb)"; Corruption "<dir>/data.mdb is not an LMDB data file"
  // (checked before LMDB touches anything, so that LMDB neither creates a
  // lock file beside a stranger's file nor initializes an empty one);
  // IOError otherwise.
  static Result<std::unique_ptr<LmdbEnvironment>> Open(const std::string& dir, OpenMode mode,
                                                       const LmdbOptions& options);
  ~LmdbEnvironment();
  LmdbEnvironment(const LmdbEnvironment&) = delete;
  LmdbEnvironment& operator=(const LmdbEnvironment&) = delete;

  MDB_env* env() const { return env_; }
  const std::string& dir() const { return dir_; }

  // Begins a read-only transaction on the newest committed snapshot. If
  // another process has grown the map beyond this process's mapping, adopts
  // the new size and tries once more.
  Result<LmdbReadTxn> BeginRead();

  // Takes the writer lock, an flock on <dir>/checker.lock, without waiting:
  // Busy if another checker (another process, or another store on this
  // directory) holds it. LMDB's own writer lock would make a second writer
  // wait; this one makes it give up at once. A writer that is not checker
  // does not know this lock: while it writes, a checker write transaction
  // waits for LMDB's lock as any LMDB writer would.
  Status LockWriter();
  void UnlockWriter();

  // The Status for LMDB result code `rc` (not MDB_SUCCESS): Corruption for a
  // damaged or foreign file, IOError "<context>: <LMDB message>" otherwise,
  // with a hint for a full map or disk. `context` names what was being done
  // and where.
  Status Error(int rc, std::string_view context) const;

 private:
  LmdbEnvironment(MDB_env* env, std::string dir, dev_t device, ino_t inode);

  MDB_env* env_;
  std::string dir_;
  dev_t device_;
  ino_t inode_;
  int writer_lock_fd_ = -1;
};

}  // namespace checker

#endif  // CHECKER_STORAGE_LMDB_ENVIRONMENT_H_
