// DateValue: a JCR DATE exactly as bundle format v3 encodes it.
//
// The value keeps the signed 64-bit number that the bundle stores (after
// zigzag decoding), so decoding and re-encoding give the same bytes. Its bit
// layout, from the least significant bit:
//
//   zone:  "?0" UTC (1 bit) | "01" + 5-bit signed hours | "11" + 11-bit signed minutes
//   time:  2-bit precision t, then
//            t=0 midnight | t=1 5-bit hour | t=2 11-bit minute of day |
//            t=3 30-bit millisecond of day
//   date:  9-bit day of year (1-based), then the year minus 2010 (signed,
//          astronomical years: 0 is 1 BC)
//
// Fields are taken with arithmetic shifts. Calendar arithmetic follows
// java.util.GregorianCalendar, which Jackrabbit uses: Julian dates before
// 1582-10-15, Gregorian after.
#ifndef CHECKER_MODEL_DATE_H_
#define CHECKER_MODEL_DATE_H_

#include <cstdint>
#include <string>

namespace checker {

struct DateValue {
  int64_t encoded = 0;

  // What BundleWriter.writeDate stores for the instant `epoch_millis` seen in
  // a zone `zone_offset_minutes` east of UTC, including its precision rules
  // (millisecond precision only when seconds or milliseconds are non-zero and
  // either year-2010 is in [-512, 512) or the zone is whole hours; otherwise
  // the seconds are dropped).
  static DateValue FromEpochMillis(int64_t epoch_millis, int zone_offset_minutes);

  // The instant, in milliseconds since 1970-01-01T00:00Z.
  int64_t EpochMillis() const;
  // The zone offset in minutes east of UTC.
  int ZoneOffsetMinutes() const;
  // Jackrabbit's ISO8601.format: "YYYY-MM-DDThh:mm:ss.sssZ" or "...+hh:mm",
  // astronomical year, 4 digits at least, "-" before negative years.
  std::string ToIso8601() const;

  friend bool operator==(const DateValue&, const DateValue&) = default;
};

}  // namespace checker

#endif  // CHECKER_MODEL_DATE_H_
