// Status and Result: how errors travel across layers.
//
// Core code does not throw. A function that can fail returns a Status (or a
// Result<T> carrying either a value or a Status); the caller must look at it
// ([[nodiscard]]). Only the command line (checker/main.cpp) turns a Status into
// a message and an exit code.
//
// A damaged bundle is not a Status error: the codec reports it as a
// BundleError value (see bundle_codec.h) and the checker turns it into a
// finding. Status is for things that stop an operation: a store that cannot be
// opened, a bad configuration, a lock held by another process, an I/O error.
#ifndef CHECKER_MODEL_STATUS_H_
#define CHECKER_MODEL_STATUS_H_

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace checker {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kNotFound,         // a named thing (file, table, node) does not exist
    kCorruption,       // stored data is malformed
    kInvalidArgument,  // bad input from the user (usage, config, uuid)
    kIOError,          // the operating system or the database engine failed
    kBusy,             // another process holds the store
    kNotSupported,     // valid but not handled by this build
    kInterrupted,      // stopped by a signal; any transaction was rolled back
  };

  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status Busy(std::string msg) { return Status(Code::kBusy, std::move(msg)); }
  static Status NotSupported(std::string msg) {
    return Status(Code::kNotSupported, std::move(msg));
  }
  static Status Interrupted(std::string msg) {
    return Status(Code::kInterrupted, std::move(msg));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsBusy() const { return code_ == Code::kBusy; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsInterrupted() const { return code_ == Code::kInterrupted; }

  // The message alone, without a code prefix: it is written for the user.
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(std::string_view context) const {
    if (ok()) return *this;
    return Status(code_, std::string(context) + ": " + message_);
  }

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

// Either a value or an error (by default a non-OK Status).
template <typename T, typename E = Status>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : data_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return data_.index() == 0; }
  const E& error() const { return std::get<1>(data_); }
  // The Status of a Result<T, Status>: OK when it holds a value.
  const Status& status() const
    requires std::is_same_v<E, Status>
  {
    static const Status kOk;
    return ok() ? kOk : std::get<1>(data_);
  }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, E> data_;
};

}  // namespace checker

// Returns early from the enclosing function if `expr` is not OK.
#define CHECKER_RETURN_IF_ERROR(expr)       \
  do {                                      \
    ::checker::Status _st = (expr);         \
    if (!_st.ok()) return _st;              \
  } while (0)

#endif  // CHECKER_MODEL_STATUS_H_
