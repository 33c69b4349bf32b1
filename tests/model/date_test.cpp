// DateValue against the reference's worked examples (§3.8) and against every
// DATE that Jackrabbit wrote into vectors.json.
#include <doctest/doctest.h>

#include <string>

#include "model/date.h"
#include "tests/support/bundle_rows.h"
#include "tests/support/files.h"
#include "tests/support/hex.h"
#include "tests/support/json.h"

namespace checker {
namespace {

using testing::FromHex;
using testing::Json;
using testing::ToHex;

// The varlong bytes a DATE value takes in a bundle (zigzag, then LEB128),
// written out independently of the codec.
std::string VarLongHex(int64_t value) {
  auto raw = static_cast<uint64_t>(value);
  raw = value < 0 ? (~raw << 1) | 1 : raw << 1;
  Bytes bytes;
  while (raw >= 0x80) {
    bytes.push_back(static_cast<uint8_t>(raw | 0x80));
    raw >>= 7;
  }
  bytes.push_back(static_cast<uint8_t>(raw));
  return ToHex(bytes);
}

struct Example {
  const char* iso;
  int64_t epoch_ms;
  int zone_minutes;
  const char* hex;
};

// §3.8 of the reference.
constexpr Example kWorkedExamples[] = {
    {"2010-10-10T10:10:10.100Z", 1286705410100, 0, "cc86a897c28d01"},
    {"2010-10-10T00:00:00.000Z", 1286668800000, 0, "b023"},
    {"2010-10-10T10:00:00.000+01:00", 1286701200000, 60, "8ad2b604"},
    {"1970-01-01T12:34:56.789-13:45", 94796789, -825, "c1b3a89bcda9efff13"},
};

TEST_CASE("DateValue: worked examples encode byte for byte") {
  for (const Example& example : kWorkedExamples) {
    CAPTURE(example.iso);
    DateValue date = DateValue::FromEpochMillis(example.epoch_ms, example.zone_minutes);
    CHECK(VarLongHex(date.encoded) == example.hex);
  }
}

TEST_CASE("DateValue: worked examples decode") {
  for (const Example& example : kWorkedExamples) {
    CAPTURE(example.iso);
    DateValue date = DateValue::FromEpochMillis(example.epoch_ms, example.zone_minutes);
    CHECK(date.EpochMillis() == example.epoch_ms);
    CHECK(date.ZoneOffsetMinutes() == example.zone_minutes);
    CHECK(date.ToIso8601() == example.iso);
  }
}

// Every DATE in vectors.json is printed as Jackrabbit read it back, so it is
// already at the writer's precision: writing it again must give a value that
// reads back the same.
TEST_CASE("DateValue: every DATE in vectors.json round-trips") {
  auto parsed =
      testing::ParseJson(testing::ReadFile(testing::JackrabbitVectorsPath("vectors.json")));
  REQUIRE(parsed.ok());
  int dates = 0;
  for (const Json& bundle : parsed->at("bundles").elements()) {
    for (const Json& property : bundle.at("properties").elements()) {
      if (property.at("type").str() != "Date") continue;
      for (const Json& value : property.at("values").elements()) {
        std::string iso = value.at("iso8601").str();
        CAPTURE(iso);
        auto epoch_ms = value.at("epoch_ms").str();
        int64_t millis = std::stoll(epoch_ms);
        auto zone = static_cast<int>(*value.at("tz_offset_min").as_int64());
        DateValue date = DateValue::FromEpochMillis(millis, zone);
        CHECK(date.EpochMillis() == millis);
        CHECK(date.ZoneOffsetMinutes() == zone);
        CHECK(date.ToIso8601() == iso);
        ++dates;
      }
    }
  }
  CHECK(dates >= 12);
}

TEST_CASE("DateValue: the writer's precision rules") {
  // Year 3000 is outside 2010 +- 512, so with a half-hour zone the seconds
  // and milliseconds are dropped; with a whole-hour zone they are kept.
  constexpr int64_t k3000At010203004Utc = 32516758923004 - 8 * 3600000;  // 01:02:03.004Z
  DateValue half_hour = DateValue::FromEpochMillis(k3000At010203004Utc - 330 * 60000, 330);
  CHECK(half_hour.ToIso8601() == "3000-06-01T01:02:00.000+05:30");
  DateValue whole_hour = DateValue::FromEpochMillis(k3000At010203004Utc + 8 * 3600000, -480);
  CHECK(whole_hour.ToIso8601() == "3000-06-01T01:02:03.004-08:00");

  // Minute, hour and midnight precision in UTC.
  CHECK(DateValue::FromEpochMillis(1286705400000, 0).ToIso8601() == "2010-10-10T10:10:00.000Z");
  CHECK((DateValue::FromEpochMillis(1286705400000, 0).encoded >> 1 & 3) == 2);
  CHECK((DateValue::FromEpochMillis(1286704800000, 0).encoded >> 1 & 3) == 1);
  CHECK((DateValue::FromEpochMillis(1286668800000, 0).encoded >> 1 & 3) == 0);
}

TEST_CASE("DateValue: zone offsets as Java divides them") {
  // -30 minutes: zh = 0 (Java truncates), zm = -30, so the 11-bit form.
  DateValue minus_half = DateValue::FromEpochMillis(0, -30);
  CHECK((minus_half.encoded & 3) == 3);
  CHECK(minus_half.ZoneOffsetMinutes() == -30);
  CHECK(minus_half.ToIso8601() == "1969-12-31T23:30:00.000-00:30");
  // -90 minutes: zh = -1, zm = -30.
  CHECK(DateValue::FromEpochMillis(0, -90).ToIso8601() == "1969-12-31T22:30:00.000-01:30");
  // Whole hours take the 5-bit form, -16..+15.
  for (int hours : {-16, -12, -1, 1, 14, 15}) {
    CAPTURE(hours);
    DateValue date = DateValue::FromEpochMillis(1286668800000, hours * 60);
    CHECK((date.encoded & 3) == 1);
    CHECK(date.ZoneOffsetMinutes() == hours * 60);
    CHECK(date.EpochMillis() == 1286668800000);
  }
  CHECK((DateValue::FromEpochMillis(0, 0).encoded & 1) == 0);
}

TEST_CASE("DateValue: Julian before 1582-10-15, Gregorian from then on") {
  constexpr int64_t kDay = 86400000;
  constexpr int64_t kGregorianStart = -12219292800000;  // 1582-10-15T00:00Z
  CHECK(DateValue::FromEpochMillis(kGregorianStart, 0).ToIso8601() == "1582-10-15T00:00:00.000Z");
  CHECK(DateValue::FromEpochMillis(kGregorianStart - 1, 0).ToIso8601() ==
        "1582-10-04T23:59:59.999Z");
  // 1582 counts its days on from Julian January 1st, so days of year stay
  // continuous across the gap and every day of that year round-trips.
  for (int64_t day = -300; day < 100; ++day) {
    DateValue date = DateValue::FromEpochMillis(kGregorianStart + day * kDay, 0);
    CHECK(date.EpochMillis() == kGregorianStart + day * kDay);
  }
  // 1900 is a leap year in the Julian calendar only, 2000 in both.
  CHECK(DateValue::FromEpochMillis(-2203891200000, 0).ToIso8601() == "1900-03-01T00:00:00.000Z");
  CHECK(DateValue::FromEpochMillis(-62135769600000, 0).ToIso8601() == "0001-01-01T00:00:00.000Z");
  CHECK(DateValue::FromEpochMillis(-62135769600000 - 366 * kDay, 0).ToIso8601() ==
        "0000-01-01T00:00:00.000Z");
  CHECK(DateValue::FromEpochMillis(-62135769600000 - 731 * kDay, 0).ToIso8601() ==
        "-0001-01-01T00:00:00.000Z");
}

TEST_CASE("DateValue: overflowing fields add up leniently, like GregorianCalendar") {
  // Day of year 0 is the last day of the year before; the 30-bit
  // millisecond field may run past midnight.
  auto pack = [](int64_t year_offset, int64_t day, int64_t millis) {
    return DateValue{((year_offset << 9 | day) << 30 | millis) << 3 | 3 << 1};
  };
  CHECK(pack(0, 0, 0).ToIso8601() == "2009-12-31T00:00:00.000Z");
  CHECK(pack(0, 1, 0x3fffffff).ToIso8601() == "2010-01-13T10:15:41.823Z");
  CHECK(pack(0, 366, 0).ToIso8601() == "2011-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace checker
