// The index's memory, computed from its own sizes (never timed): bytes per
// node of the finished index, and the most its builder held at once, on a
// generated 200,000-node tree with damage of every kind. Built as a full
// check builds it: with the row count unknown (SQLite) and known (LMDB).
#include <doctest/doctest.h>

#include "checker/index.h"
#include "fixtures/generator.h"

namespace checker {
namespace {

// The design's targets: the index well under 64 bytes a node, the build
// within the 48 bytes a node that lets 100 million nodes fit in 24 GiB
// (with the rest of the process in its fixed 96 MiB).
constexpr double kIndexBytesPerNode = 32;
constexpr double kBuildBytesPerNode = 48;

TEST_CASE("index memory: bytes per node of a generated 200,000-node tree") {
  fixtures::GeneratorOptions options{.nodes = 200000, .seed = 6};
  options.damage.fill(20);
  for (bool count_known : {false, true}) {
    CAPTURE(count_known);
    IndexBuilder builder(count_known ? options.nodes + 3 : 0);
    auto truth = fixtures::Generate(
        options, [&](fixtures::GeneratedTable table, std::span<const Row> batch) {
          if (table != fixtures::GeneratedTable::kWorkspace) return Status::Ok();
          for (const Row& row : batch) builder.Add(row.id, row.bytes);
          return Status::Ok();
        });
    REQUIRE(truth.ok());
    Result<Index> index = builder.Finish(2);
    REQUIRE(index.ok());
    REQUIRE(index->size() == truth->rows);

    const double index_per_node = static_cast<double>(index->MemoryBytes()) / index->size();
    const double build_per_node = static_cast<double>(index->build_peak_bytes()) / index->size();
    MESSAGE("index " << index_per_node << " B/node, build peak " << build_per_node << " B/node");
    CHECK(index_per_node <= kIndexBytesPerNode);
    CHECK(build_per_node <= kBuildBytesPerNode);
    CHECK(index->build_peak_bytes() >= index->MemoryBytes());
  }
}

}  // namespace
}  // namespace checker
