// How the pipeline balances the two threads: a batch pushed while an earlier
// one still waits in the queue means the worker is behind, so the pushing
// thread decodes that batch itself (the worker then only interns it);
// otherwise it copies the bytes and lets the worker decode them. Three
// slots are enough for the pushing thread never to wait while the worker
// keeps up.
#include "checker/decode_pipeline.h"

#include <cstring>

namespace checker {
namespace {

constexpr int kSlots = 3;

}  // namespace

DecodePipeline::DecodePipeline(IndexBuilder* builder, int threads) : builder_(builder) {
  if (threads < 2) return;
  for (int i = 0; i < kSlots; ++i) {
    slots_.push_back(std::make_unique<Slot>());
    slots_.back()->out.collect_links = builder->collects_links();
    free_.push_back(slots_.back().get());
  }
  worker_ = std::thread([this] { RunWorker(); });
}

DecodePipeline::~DecodePipeline() { Finish(); }

void DecodePipeline::Push(std::span<const Row> rows) {
  if (!worker_.joinable()) {
    if (slots_.empty()) {
      slots_.push_back(std::make_unique<Slot>());
      slots_[0]->out.collect_links = builder_->collects_links();
    }
    Slot& slot = *slots_[0];
    DecodeRows(rows, &scratch_, &slot.out);
    builder_->Add(slot.out);
    return;
  }
  Slot* slot;
  bool worker_behind;
  {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return !free_.empty(); });
    slot = free_.front();
    free_.pop_front();
    worker_behind = !queued_.empty();
  }
  slot->decoded = worker_behind;
  if (worker_behind) {
    DecodeRows(rows, &scratch_, &slot->out);
  } else {
    CopyInto(rows, slot);
  }
  {
    std::lock_guard lock(mutex_);
    queued_.push_back(slot);
  }
  changed_.notify_all();
}

void DecodePipeline::CopyInto(std::span<const Row> rows, Slot* slot) {
  size_t bytes = 0;
  for (const Row& row : rows) bytes += row.bytes.size();
  if (slot->arena.size() < bytes) slot->arena.resize(bytes);
  slot->rows.clear();
  uint8_t* out = slot->arena.data();
  for (const Row& row : rows) {
    if (!row.bytes.empty()) std::memcpy(out, row.bytes.data(), row.bytes.size());
    slot->rows.push_back({row.id, ByteView(out, row.bytes.size())});
    out += row.bytes.size();
  }
}

void DecodePipeline::RunWorker() {
  GraphFields scratch;
  for (;;) {
    Slot* slot;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return !queued_.empty() || finishing_; });
      if (queued_.empty()) return;
      slot = queued_.front();
      queued_.pop_front();
    }
    if (!slot->decoded) DecodeRows(slot->rows, &scratch, &slot->out);
    builder_->Add(slot->out);
    {
      std::lock_guard lock(mutex_);
      free_.push_back(slot);
    }
    changed_.notify_all();
  }
}

void DecodePipeline::Finish() {
  if (!worker_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    finishing_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

}  // namespace checker
