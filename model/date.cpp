// DateValue: BundleWriter.writeDate and BundleReader.readDate on integers.
//
// Both directions go through a "fixed date", the day count that
// java.util.GregorianCalendar uses internally (1 = 0001-01-01 Gregorian).
// Years are astronomical (0 is 1 BC). A date before 1582-10-15 (Gregorian) is
// a Julian date, later ones are Gregorian. The day of year that the bundle
// stores counts from the calendar year's January 1st: the Julian one up to
// 1582, the Gregorian one from 1583. So the cutover year 1582 counts its 355
// days on from Julian 1582-01-01 without a gap, exactly as GregorianCalendar's
// DAY_OF_YEAR does.
//
// Writing splits the local time (instant plus zone offset) into year, day of
// year and time of day, and packs them with the writer's precision rules.
// Reading unpacks the fields and adds them up the way GregorianCalendar's
// lenient computeTime does: year start + (day of year - 1) days + time of day
// - zone offset. Fields may overflow (a 9-bit day of year reaches 511, a
// 30-bit millisecond of day about 12 days), and arithmetic wraps as Java's
// int and long do, so even a damaged value decodes to what Java would show.
#include "model/date.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace checker {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;
constexpr int64_t kMillisPerMinute = 60'000;
constexpr int64_t kEpochFixed = 719'163;    // 1970-01-01
constexpr int64_t kCutoverFixed = 577'736;  // 1582-10-15, the first Gregorian day
// Years up to this one count their days from the Julian January 1st.
constexpr int64_t kLastJulianCountedYear = 1582;
constexpr int kYearOffset = 2010;  // BundleWriter's year origin

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

// Java's long arithmetic wraps; C++'s signed arithmetic must not overflow.
int64_t WrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t WrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}

int64_t GregorianJan1(int64_t year) {
  int64_t prev = year - 1;
  return 365 * prev + FloorDiv(prev, 4) - FloorDiv(prev, 100) + FloorDiv(prev, 400) + 1;
}

int64_t JulianJan1(int64_t year) {
  int64_t prev = year - 1;
  return 365 * prev + FloorDiv(prev, 4) - 1;
}

bool IsGregorianLeap(int64_t year) {
  return FloorMod(year, 4) == 0 && (FloorMod(year, 100) != 0 || FloorMod(year, 400) == 0);
}

bool IsJulianLeap(int64_t year) { return FloorMod(year, 4) == 0; }

// Where DAY_OF_YEAR 1 of `year` falls.
int64_t YearStart(int64_t year) {
  return year <= kLastJulianCountedYear ? JulianJan1(year) : GregorianJan1(year);
}

// The year holding `fixed` in a calendar whose years start at `jan1`: an
// estimate from the mean year length, then corrected by at most a step or two.
template <typename Jan1>
int64_t YearOf(int64_t fixed, double mean_year, Jan1 jan1) {
  auto year = static_cast<int64_t>(static_cast<double>(fixed) / mean_year) + 1;
  while (jan1(year) > fixed) --year;
  while (jan1(year + 1) <= fixed) ++year;
  return year;
}

struct CalendarDate {
  int64_t year;
  int day_of_year;
  int month;  // 1..12
  int day;    // 1..31
};

CalendarDate DateOfFixed(int64_t fixed) {
  bool gregorian = fixed >= kCutoverFixed;
  int64_t year =
      gregorian ? YearOf(fixed, 365.2425, GregorianJan1) : YearOf(fixed, 365.25, JulianJan1);
  int64_t month_origin = gregorian ? GregorianJan1(year) : JulianJan1(year);
  bool leap = gregorian ? IsGregorianLeap(year) : IsJulianLeap(year);

  static constexpr std::array<int, 12> kMonthDays = {31, 28, 31, 30, 31, 30,
                                                     31, 31, 30, 31, 30, 31};
  auto day_in_year = static_cast<int>(fixed - month_origin);
  int month = 0;
  for (; month < 11; ++month) {
    int length = kMonthDays[month] + (month == 1 && leap ? 1 : 0);
    if (day_in_year < length) break;
    day_in_year -= length;
  }
  return CalendarDate{year, static_cast<int>(fixed - YearStart(year)) + 1, month + 1,
                      day_in_year + 1};
}

// The fields of an encoded value, before any calendar arithmetic.
struct PackedFields {
  int zone_minutes = 0;
  int64_t millis_of_day = 0;
  int day_of_year = 0;
  int32_t year = 0;  // astronomical; Java truncates it to an int
};

// Java's ((int) ts << 19) >> 21: bits 2..12 as a signed 11-bit number.
int SignedMinutes(int64_t ts) {
  auto low = static_cast<uint32_t>(ts);
  return static_cast<int32_t>(low << 19) >> 21;
}

PackedFields Unpack(int64_t ts) {
  PackedFields f;
  if ((ts & 1) == 0) {
    ts >>= 1;
  } else if ((ts & 2) == 0) {
    auto hours = static_cast<int>((ts >> 2) & 0x1f);
    f.zone_minutes = (hours < 16 ? hours : hours - 32) * 60;
    ts >>= 7;
  } else {
    f.zone_minutes = SignedMinutes(ts);
    ts >>= 13;
  }
  int precision = static_cast<int>(ts & 3);
  ts >>= 2;
  switch (precision) {
    case 3:
      f.millis_of_day = ts & 0x3fffffff;
      ts >>= 30;
      break;
    case 2:
      f.millis_of_day = (ts & 0x7ff) * kMillisPerMinute;
      ts >>= 11;
      break;
    case 1:
      f.millis_of_day = (ts & 0x1f) * 60 * kMillisPerMinute;
      ts >>= 5;
      break;
    default:
      break;
  }
  f.day_of_year = static_cast<int>(ts & 0x1ff);
  ts >>= 9;
  f.year = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(ts + kYearOffset)));
  return f;
}

// Java's "appendZeroPaddedInt": '-' then at least `width` digits.
void AppendPadded(std::string* out, int64_t n, int width) {
  char buffer[32];
  int length = std::snprintf(buffer, sizeof buffer, n < 0 ? "-%0*lld" : "%0*lld", width,
                             static_cast<long long>(n < 0 ? -n : n));
  out->append(buffer, static_cast<size_t>(length));
}

}  // namespace

DateValue DateValue::FromEpochMillis(int64_t epoch_millis, int zone_offset_minutes) {
  int64_t local = WrapAdd(epoch_millis, WrapMul(zone_offset_minutes, kMillisPerMinute));
  CalendarDate date = DateOfFixed(FloorDiv(local, kMillisPerDay) + kEpochFixed);
  auto millis_of_day = static_cast<int>(FloorMod(local, kMillisPerDay));

  int h = millis_of_day / 3'600'000;
  int m = millis_of_day / 60'000 % 60;
  int s = millis_of_day / 1000 % 60;
  int u = millis_of_day % 1000;
  auto y = static_cast<int32_t>(date.year - kYearOffset);
  int z = zone_offset_minutes;
  int zh = z / 60;  // truncates toward zero, as in Java
  int zm = z - zh * 60;

  // Java computes `y << 9 | d & 0x1ff` in int, then widens it to long.
  auto ts = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(
      static_cast<uint32_t>(y) << 9 | static_cast<uint32_t>(date.day_of_year & 0x1ff))));
  if ((u != 0 || s != 0) && ((-512 <= y && y < 512) || zm == 0)) {
    ts = ts << 30 | static_cast<uint64_t>((((h * 60 + m) * 60 + s) * 1000 + u) & 0x3fffffff);
    ts = ts << 2 | 3;
  } else if (m != 0) {
    ts = ts << 11 | static_cast<uint64_t>((h * 60 + m) & 0x7ff);
    ts = ts << 2 | 2;
  } else if (h != 0) {
    ts = ts << 5 | static_cast<uint64_t>(h & 0x1f);
    ts = ts << 2 | 1;
  } else {
    ts <<= 2;
  }

  if (zm != 0) {
    ts = (ts << 11 | static_cast<uint64_t>(z & 0x7ff)) << 2 | 3;
  } else if (zh != 0) {
    ts = (ts << 5 | static_cast<uint64_t>(zh & 0x1f)) << 2 | 1;
  } else {
    ts <<= 1;
  }
  return DateValue{static_cast<int64_t>(ts)};
}

int64_t DateValue::EpochMillis() const {
  PackedFields f = Unpack(encoded);
  int64_t fixed = YearStart(f.year) + f.day_of_year - 1;
  int64_t local = WrapAdd(WrapMul(fixed - kEpochFixed, kMillisPerDay), f.millis_of_day);
  return WrapAdd(local, -int64_t{f.zone_minutes} * kMillisPerMinute);
}

int DateValue::ZoneOffsetMinutes() const { return Unpack(encoded).zone_minutes; }

std::string DateValue::ToIso8601() const {
  int zone = ZoneOffsetMinutes();
  int64_t local = WrapAdd(EpochMillis(), int64_t{zone} * kMillisPerMinute);
  CalendarDate date = DateOfFixed(FloorDiv(local, kMillisPerDay) + kEpochFixed);
  int64_t millis_of_day = FloorMod(local, kMillisPerDay);

  std::string out;
  AppendPadded(&out, date.year, 4);
  out += '-';
  AppendPadded(&out, date.month, 2);
  out += '-';
  AppendPadded(&out, date.day, 2);
  out += 'T';
  AppendPadded(&out, millis_of_day / 3'600'000, 2);
  out += ':';
  AppendPadded(&out, millis_of_day / 60'000 % 60, 2);
  out += ':';
  AppendPadded(&out, millis_of_day / 1000 % 60, 2);
  out += '.';
  AppendPadded(&out, millis_of_day % 1000, 3);
  if (zone == 0) {
    out += 'Z';
  } else {
    out += zone < 0 ? '-' : '+';
    AppendPadded(&out, std::abs(zone) / 60, 2);
    out += ':';
    AppendPadded(&out, std::abs(zone) % 60, 2);
  }
  return out;
}

}  // namespace checker
