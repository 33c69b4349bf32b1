// phases: a full check of one table, step by step, with the wall and CPU
// time of each step and the memory of the index, for bench/RESULTS.md's
// profile. It runs the steps CheckWorkspace runs (full_check.cpp), in the
// same order and on the same threads. Usage: phases URL [PREFIX]
// (PREFIX defaults to DEFAULT_).
#include <time.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "checker/decode_pipeline.h"
#include "checker/double_check.h"
#include "checker/index.h"
#include "checker/parallel.h"
#include "checker/passes.h"
#include "checker/planner.h"
#include "storage/bundle_store.h"

namespace checker {
namespace {

class Stopwatch {
 public:
  Stopwatch() : wall_(Wall()), cpu_(Cpu()) {}
  // Prints the time since the last lap.
  void Lap(const char* step) {
    double wall = Wall(), cpu = Cpu();
    std::printf("%-22s wall %7.3f s  cpu %7.3f s\n", step, wall - wall_, cpu - cpu_);
    wall_ = wall;
    cpu_ = cpu;
  }

 private:
  static double Wall() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  static double Cpu() {  // all threads of the process
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
  }
  double wall_, cpu_;
};

int Fail(const Status& status) {
  std::fprintf(stderr, "phases: %s\n", status.message().c_str());
  return 8;
}

int Run(const std::string& url, const std::string& prefix) {
  Stopwatch watch;
  auto store = OpenStore(url, OpenMode::kReadOnly);
  if (!store.ok()) return Fail(store.status());
  const int threads = DefaultThreads();
  const std::optional<uint64_t> total = (*store)->CountRows(prefix);
  IndexBuilder builder(total.value_or(0));
  watch.Lap("open");
  Status scanned;
  {
    DecodePipeline pipeline(&builder, threads);
    scanned = (*store)->Scan(prefix, [&](std::span<const Row> batch) {
      pipeline.Push(batch);
      return Status::Ok();
    });
  }
  if (!scanned.ok()) return Fail(scanned);
  const uint64_t rows = builder.rows();
  const double scan_bytes = static_cast<double>(builder.MemoryBytes());
  watch.Lap("scan+decode+intern");
  Result<Index> index = builder.Finish(threads);
  if (!index.ok()) return Fail(index.status());
  watch.Lap("index (sort, resolve)");
  {  // each pass alone, then all of them as the check runs them
    Listings listings;
    (void)RunLinkPass(*index, &listings);
    watch.Lap("  pass 1 (entries)");
    (void)RunParentPass(*index, listings);
    watch.Lap("  pass 2 (parents)");
    (void)RunReachabilityPass(*index, listings);
    watch.Lap("  pass 3 (reachability)");
  }
  std::vector<Finding> findings = RunAllPasses(*index);
  watch.Lap("passes");
  Result<DoubleCheckResult> rechecked = DoubleCheck(**store, prefix, findings);
  if (!rechecked.ok()) return Fail(rechecked.status());
  watch.Lap("double check");
  Plan plan = PlanRepairs(*index, rechecked->confirmed, {});
  watch.Lap("repair plan");
  const double n = static_cast<double>(rows);
  std::printf("rows %llu, threads %d, findings %zu, planned edits %zu\n",
              static_cast<unsigned long long>(rows), threads, rechecked->confirmed.size(),
              plan.edits.size());
  std::printf("bytes per node: builder after scan %.1f, build peak %.1f, index %.1f\n",
              scan_bytes / n, static_cast<double>(index->build_peak_bytes()) / n,
              static_cast<double>(index->MemoryBytes()) / n);
  return 0;
}

}  // namespace
}  // namespace checker

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: phases URL [PREFIX]\n");
    return 16;
  }
  return checker::Run(argv[1], argc == 3 ? argv[2] : "DEFAULT_");
}
