#include "model/node_id.h"

#include <doctest/doctest.h>

namespace checker {

TEST_CASE("NodeId parses either case and prints lowercase") {
  auto id = NodeId::Parse("CAFEBABE-cafe-BABE-cafe-babecafebabe");
  REQUIRE(id.has_value());
  CHECK(*id == kRootNodeId);
  CHECK(id->ToString() == "cafebabe-cafe-babe-cafe-babecafebabe");
}

TEST_CASE("NodeId rejects malformed text") {
  for (const char* bad :
       {"", "cafebabe-cafe-babe-cafe-babecafebab", "cafebabe-cafe-babe-cafe-babecafebabe0",
        "cafebabecafe-babe-cafe-babecafebabe-", "cafebabe-cafe-babe-cafe-babecafebabg",
        "{afebabe-cafe-babe-cafe-babecafebabe", " cafebabe-cafe-babe-cafe-babecafebab"}) {
    CAPTURE(bad);
    CHECK_FALSE(NodeId::Parse(bad).has_value());
  }
}

TEST_CASE("NodeId byte order is the text order") {
  auto a = *NodeId::Parse("00000000-0000-0001-ffff-ffffffffffff");
  auto b = *NodeId::Parse("00000000-0000-0002-0000-000000000000");
  CHECK(a < b);
  auto bytes = a.ToBytes();
  CHECK(bytes[7] == 0x01);
  CHECK(bytes[8] == 0xff);
  CHECK(NodeId::FromBytes(bytes.data()) == a);
}

TEST_CASE("virtual ids end in babecafebabe") {
  CHECK(kRootNodeId.IsVirtual());
  CHECK(kSystemNodeId.IsVirtual());
  CHECK(kVersionStorageNodeId.IsVirtual());
  CHECK_FALSE(NodeId::Parse("20000000-0000-0000-0000-000000000001")->IsVirtual());
}

}  // namespace checker
