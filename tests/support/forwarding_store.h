// ForwardingStore: a BundleStore that hands every call to the store it
// wraps, for test doubles that change one behaviour (fail a read, change the
// store during a scan) and override only that.
#ifndef CHECKER_TESTS_SUPPORT_FORWARDING_STORE_H_
#define CHECKER_TESTS_SUPPORT_FORWARDING_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/bundle_store.h"

namespace checker::testing {

class ForwardingStore : public BundleStore {
 public:
  explicit ForwardingStore(BundleStore& wrapped) : wrapped_(wrapped) {}

  std::string Describe() const override { return wrapped_.Describe(); }
  Result<std::vector<std::string>> ListBundleTables() override {
    return wrapped_.ListBundleTables();
  }
  Status Scan(std::string_view prefix, const ScanCallback& on_batch) override {
    return wrapped_.Scan(prefix, on_batch);
  }
  std::optional<uint64_t> CountRows(std::string_view prefix) override {
    return wrapped_.CountRows(prefix);
  }
  Result<std::optional<Bytes>> Get(std::string_view prefix, const NodeId& id) override {
    return wrapped_.Get(prefix, id);
  }
  Result<std::unique_ptr<ReadSnapshot>> BeginReadSnapshot() override {
    return wrapped_.BeginReadSnapshot();
  }
  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override { return wrapped_.BeginWrite(); }

 protected:
  BundleStore& wrapped() { return wrapped_; }

 private:
  BundleStore& wrapped_;
};

}  // namespace checker::testing

#endif  // CHECKER_TESTS_SUPPORT_FORWARDING_STORE_H_
