// Opening is done in steps, each with its own clear error, before LMDB sees
// the directory: stat() it (creating it in kCreate mode), look at data.mdb's
// first page for LMDB's magic number, make sure this process has not opened
// the directory already, choose the map size; only then mdb_env_open.
//
// The map size: LMDB reserves the whole map as address space when it opens
// the environment, and a write transaction that runs out of map fails with
// MDB_MAP_FULL and can only be aborted (the map cannot be grown while a
// transaction is open). Growing on MAP_FULL would mean redoing a whole fix or
// copy, so the size is chosen once, up front: the data file plus all free
// space of its file system (the file cannot outgrow that), rounded up to a
// whole TiB. Without MDB_WRITEMAP the file grows only as pages are written,
// so a large map costs address space only, of which a 64-bit process has 128
// TiB. The rounding makes every checker process on the disk pick the same
// size, so a reader practically never meets a map grown by another process
// (MDB_MAP_RESIZED), which is reported rather than handled.
#include "storage/lmdb_environment.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <utility>

namespace checker {
namespace {

static_assert(sizeof(size_t) >= 8, "the LMDB backend needs a 64-bit address space");

constexpr size_t kTiB = size_t{1} << 40;
constexpr unsigned kMaxNamedDatabases = 128;
constexpr char kWriterLockFile[] = "checker.lock";

// LMDB's data file starts with a meta page: a 16-byte page header, then
// MDB_MAGIC and the data format version (1 for LMDB 0.9).
constexpr size_t kMagicOffset = 16;
constexpr uint32_t kLmdbMagic = 0xBEEFC0DE;
constexpr uint32_t kLmdbDataVersion = 1;

// The directories this process has open, by device and inode, with the pid
// that opened them (a forked child inherits the map, not the environments).
std::mutex open_dirs_mutex;
std::map<std::pair<dev_t, ino_t>, pid_t>& OpenDirs() {
  static auto* dirs = new std::map<std::pair<dev_t, ino_t>, pid_t>();
  return *dirs;
}

std::string DataFile(const std::string& dir) { return dir + "/data.mdb"; }

// Stats the directory, creating it in kCreate mode.
Status CheckDirectory(const std::string& dir, OpenMode mode, struct stat* st) {
  if (dir.empty()) return Status::InvalidArgument("empty LMDB directory path");
  if (stat(dir.c_str(), st) != 0) {
    int err = errno;
    if (err != ENOENT) return Status::IOError("cannot open " + dir + ": " + std::strerror(err));
    if (mode != OpenMode::kCreate) return Status::NotFound("no such directory: " + dir);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create directory " + dir + ": " + ec.message());
    if (stat(dir.c_str(), st) != 0) {
      return Status::IOError("cannot open " + dir + ": " + std::strerror(errno));
    }
  }
  if (!S_ISDIR(st->st_mode)) {
    return Status::InvalidArgument(dir +
                                   " is not a directory (lmdb:<dir> names the directory of an "
                                   "LMDB environment)");
  }
  return Status::Ok();
}

// Looks at data.mdb's magic number and version, so that LMDB never sees a
// file that is not its own.
Status CheckDataFile(const std::string& dir, OpenMode mode) {
  const std::string path = DataFile(dir);
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT && mode == OpenMode::kCreate) return Status::Ok();
    if (err == ENOENT) {
      return Status::NotFound(dir + " is not an LMDB environment (it has no data.mdb)");
    }
    return Status::IOError("cannot open " + path + ": " + std::strerror(err));
  }
  uint32_t header[2] = {0, 0};
  ssize_t got = pread(fd, header, sizeof header, kMagicOffset);
  int err = errno;
  close(fd);
  if (got < 0) return Status::IOError("cannot read " + path + ": " + std::strerror(err));
  if (got != static_cast<ssize_t>(sizeof header) || header[0] != kLmdbMagic) {
    return Status::Corruption(path + " is not an LMDB data file");
  }
  if (header[1] != kLmdbDataVersion) {
    return Status::Corruption(path + " has LMDB data format " + std::to_string(header[1]) +
                              ", this build reads format " + std::to_string(kLmdbDataVersion));
  }
  return Status::Ok();
}

// See the comment at the top of the file.
size_t ChooseMapSize(const std::string& dir) {
  uint64_t wanted = 0;
  struct stat st;
  if (stat(DataFile(dir).c_str(), &st) == 0) wanted += static_cast<uint64_t>(st.st_size);
  struct statvfs fs;
  if (statvfs(dir.c_str(), &fs) == 0) wanted += static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  uint64_t tebibytes = wanted / kTiB + (wanted % kTiB != 0 ? 1 : 0);
  return static_cast<size_t>(std::max<uint64_t>(1, tebibytes) * kTiB);
}

Status Register(const std::string& dir, const struct stat& st) {
  std::lock_guard lock(open_dirs_mutex);
  auto [it, inserted] = OpenDirs().try_emplace({st.st_dev, st.st_ino}, getpid());
  if (!inserted && it->second == getpid()) {
    return Status::InvalidArgument(dir +
                                   " is already open in this process (LMDB allows an environment "
                                   "to be open only once per process)");
  }
  it->second = getpid();
  return Status::Ok();
}

void Unregister(dev_t device, ino_t inode) {
  std::lock_guard lock(open_dirs_mutex);
  OpenDirs().erase({device, inode});
}

}  // namespace

LmdbReadTxn& LmdbReadTxn::operator=(LmdbReadTxn&& other) noexcept {
  if (this != &other) {
    if (txn_ != nullptr) mdb_txn_abort(txn_);
    txn_ = std::exchange(other.txn_, nullptr);
  }
  return *this;
}

int LmdbReadTxn::Commit() { return mdb_txn_commit(std::exchange(txn_, nullptr)); }

LmdbEnvironment::LmdbEnvironment(MDB_env* env, std::string dir, dev_t device, ino_t inode)
    : env_(env), dir_(std::move(dir)), device_(device), inode_(inode) {}

LmdbEnvironment::~LmdbEnvironment() {
  UnlockWriter();
  mdb_env_close(env_);
  Unregister(device_, inode_);
}

Result<std::unique_ptr<LmdbEnvironment>> LmdbEnvironment::Open(const std::string& dir,
                                                               OpenMode mode,
                                                               const LmdbOptions& options) {
  struct stat st;
  CHECKER_RETURN_IF_ERROR(CheckDirectory(dir, mode, &st));
  CHECKER_RETURN_IF_ERROR(CheckDataFile(dir, mode));
  CHECKER_RETURN_IF_ERROR(Register(dir, st));
  MDB_env* raw = nullptr;
  int rc = mdb_env_create(&raw);
  if (rc != MDB_SUCCESS) {
    Unregister(st.st_dev, st.st_ino);
    return Status::IOError("cannot open LMDB environment " + dir + ": " + mdb_strerror(rc));
  }
  // From here on the object owns the handle and the registration.
  std::unique_ptr<LmdbEnvironment> env(new LmdbEnvironment(raw, dir, st.st_dev, st.st_ino));
  size_t map_size = options.map_size != 0 ? options.map_size : ChooseMapSize(dir);
  const std::string context = "cannot open LMDB environment " + dir;
  rc = mdb_env_set_maxdbs(raw, kMaxNamedDatabases);
  if (rc == MDB_SUCCESS) rc = mdb_env_set_mapsize(raw, map_size);
  if (rc != MDB_SUCCESS) return env->Error(rc, context);
  unsigned flags = MDB_NOTLS | (mode == OpenMode::kReadOnly ? MDB_RDONLY : 0);
  rc = mdb_env_open(raw, dir.c_str(), flags, 0664);
  if (rc == EACCES && mode == OpenMode::kReadOnly) {
    return Status::IOError(context + ": " + mdb_strerror(rc) +
                           " (a reader must be able to write LMDB's lock file " + dir +
                           "/lock.mdb, where it registers its snapshot)");
  }
  if (rc == ENOMEM) {
    return Status::IOError(context + ": cannot map " + std::to_string(map_size >> 30) +
                           " GiB of address space (is it limited by ulimit -v?)");
  }
  if (rc != MDB_SUCCESS) return env->Error(rc, context);
  if (mode != OpenMode::kReadOnly) {
    // Frees the reader slots of crashed processes, whose old snapshots would
    // otherwise keep their pages from being reused.
    int stale = 0;
    mdb_reader_check(raw, &stale);
  }
  return env;
}

Result<LmdbReadTxn> LmdbEnvironment::BeginRead() {
  MDB_txn* txn = nullptr;
  int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn);
  if (rc == MDB_MAP_RESIZED) {
    return Status::IOError(dir_ +
                           " has grown beyond the map of this process (another process wrote "
                           "more data than it had room for when this one started): run again");
  }
  if (rc != MDB_SUCCESS) return Error(rc, "cannot begin a read transaction on " + dir_);
  return LmdbReadTxn(txn);
}

Status LmdbEnvironment::LockWriter() {
  const std::string path = dir_ + "/" + kWriterLockFile;
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0664);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Busy(dir_ + " is locked by another process (another checker holds " + path +
                          ")");
    }
    return Status::IOError("cannot lock " + path + ": " + std::strerror(err));
  }
  writer_lock_fd_ = fd;
  return Status::Ok();
}

void LmdbEnvironment::UnlockWriter() {
  // Closing the only descriptor of the open file releases the flock.
  if (writer_lock_fd_ >= 0) close(std::exchange(writer_lock_fd_, -1));
}

Status LmdbEnvironment::Error(int rc, std::string_view context) const {
  std::string where(context);
  switch (rc) {
    case MDB_INVALID:
      return Status::Corruption(DataFile(dir_) + " is not an LMDB data file");
    case MDB_VERSION_MISMATCH:
      return Status::Corruption(dir_ + " was made by an incompatible version of LMDB");
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INCOMPATIBLE:
      return Status::Corruption(where + ": " + mdb_strerror(rc));
    case MDB_MAP_FULL: {
      MDB_envinfo info;
      mdb_env_info(env_, &info);
      return Status::IOError(where + ": the LMDB map of " + dir_ + " is full (" +
                             std::to_string(info.me_mapsize) + " bytes)");
    }
    case ENOSPC:
      return Status::IOError(where + ": no space left on the device of " + dir_);
    default:
      return Status::IOError(where + ": " + mdb_strerror(rc));
  }
}

}  // namespace checker
