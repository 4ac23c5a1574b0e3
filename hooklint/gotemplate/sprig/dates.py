"""Sprig's date functions (sprig v3.3.0 date.go) on a port of the parts of Go's time package
they reach: time.Time values, Locations (UTC, Local, IANA zones), the layout formatter
(`2006-01-02 15:04:05.000 MST`), ParseInLocation, ParseDuration and Duration.String.

Go's layouts, zone lookups and parse errors differ from Python's strftime/strptime in many
details, so nothing here uses them: the code follows src/time/format.go step by step.
"""

from __future__ import annotations

import datetime as _dt
import os
import time as _time
import zoneinfo
from collections.abc import Callable

from hooklint.gotemplate.gotypes import (
    ANY,
    BOOL,
    INT,
    INT64,
    STRING,
    GoFuncError,
    GoObject,
    Int32,
    Int64,
    Rune,
    gofunc,
)

TYPE_CHECKING = False  # not `typing`'s: importing typing costs ~3 ms of every run
if TYPE_CHECKING:
    from typing import Any

TIME = "time.Time"
DURATION = "time.Duration"

NANOSECOND = 1
MICROSECOND = 1000
MILLISECOND = 1000 * MICROSECOND
SECOND = 1000 * MILLISECOND
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE

_INT64_MIN = -(1 << 63)
_PROCESS_START_NS = _time.monotonic_ns()


def _wrap_int64(n: int) -> int:
    return (n + (1 << 63)) % (1 << 64) - (1 << 63)


# --- locations -----------------------------------------------------------------------------


class Location:
    """A *time.Location: `name` as Go reports it, and a zone lookup by Unix second."""

    def __init__(self, name: str, tz: _dt.tzinfo | None = None, fixed: tuple[str, int] | None = None) -> None:
        self.name = name
        self._tz = tz
        self._fixed = fixed

    def lookup(self, unix_sec: int) -> tuple[str, int]:
        """(zone abbreviation, offset in seconds east of UTC) in effect at `unix_sec`."""
        if self._fixed is not None:
            return self._fixed
        if self._tz is None:
            return "UTC", 0
        # Python datetimes cover years 1..9999; zone rules outside that range are the edges'.
        sec = min(max(unix_sec, -62135596800 + 86400), 253402300799 - 86400)
        local = _dt.datetime.fromtimestamp(sec, self._tz)
        offset = local.utcoffset()
        return local.tzname() or "", int(offset.total_seconds()) if offset is not None else 0


UTC = Location("UTC")


def _load_local() -> Location:
    # Go: $TZ unset -> /etc/localtime; TZ="" -> UTC; TZ=name (":" prefix allowed) -> that zone.
    tz = os.environ.get("TZ")
    try:
        if tz is None:
            with open("/etc/localtime", "rb") as f:
                return Location("Local", zoneinfo.ZoneInfo.from_file(f))
        if tz in ("", "UTC"):
            return Location("Local")
        name = tz[1:] if tz.startswith(":") else tz
        if name.startswith("/"):
            with open(name, "rb") as f:
                return Location("Local", zoneinfo.ZoneInfo.from_file(f))
        return Location("Local", zoneinfo.ZoneInfo(name))
    except (OSError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        return Location("Local")


LOCAL = _load_local()


def load_location(name: str) -> Location | None:
    """time.LoadLocation; None when Go would return an error."""
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return LOCAL
    if ".." in name or name.startswith(("/", "\\")):
        return None
    try:
        return Location(name, zoneinfo.ZoneInfo(name))
    except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
        return None


# --- calendar arithmetic (proleptic Gregorian, like Go) ------------------------------------


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _civil_from_days(z: int) -> tuple[int, int, int]:
    z += 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return y + (m <= 2), m, d


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


_DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]


def _days_in(month: int, year: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_BEFORE[month] - _DAYS_BEFORE[month - 1]


LONG_DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
SHORT_DAY_NAMES = [d[:3] for d in LONG_DAY_NAMES]
LONG_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
SHORT_MONTH_NAMES = [m[:3] for m in LONG_MONTH_NAMES]


# --- Duration ------------------------------------------------------------------------------


def _fmt_frac(v: int, prec: int) -> tuple[str, int]:
    """Go's fmtFrac: the fraction of v/10**prec without trailing zeros (and without the dot
    when it is zero), and v/10**prec."""
    digits = []
    printed = False
    for _ in range(prec):
        digit = v % 10
        printed = printed or digit != 0
        if printed:
            digits.append(str(digit))
        v //= 10
    frac = "." + "".join(reversed(digits)) if printed else ""
    return frac, v


def duration_string(d: int) -> str:
    """time.Duration.String: 1h2m3.5s, 1.5ms, 0s."""
    neg = d < 0
    u = -d if neg else d
    if u < SECOND:
        if u == 0:
            return "0s"
        if u < MICROSECOND:
            prec, unit = 0, "ns"
        elif u < MILLISECOND:
            prec, unit = 3, "µs"
        else:
            prec, unit = 6, "ms"
        frac, u = _fmt_frac(u, prec)
        out = f"{u}{frac}{unit}"
    else:
        frac, u = _fmt_frac(u, 9)
        out = f"{u % 60}{frac}s"
        u //= 60
        if u > 0:
            out = f"{u % 60}m" + out
            u //= 60
            if u > 0:
                out = f"{u}h" + out
    return "-" + out if neg else out


class Duration(GoObject):
    """A time.Duration (int64 nanoseconds); prints like Go's Duration.String."""

    go_type = DURATION
    go_kind = "int64"

    def __init__(self, nanos: int) -> None:
        self.nanos = _wrap_int64(nanos)

    def __int__(self) -> int:
        return self.nanos

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Duration) and other.nanos == self.nanos

    def __hash__(self) -> int:
        return hash(self.nanos)

    def go_format(self) -> str:
        return duration_string(self.nanos)

    def go_json(self) -> Any:
        return self.nanos

    @gofunc(result=STRING)
    def go_String(self) -> str:  # noqa: N802 - Go method names
        return duration_string(self.nanos)

    @gofunc(result="float64")
    def go_Hours(self) -> float:  # noqa: N802
        h, ns = divmod(abs(self.nanos), HOUR)
        v = h + ns / (60 * 60 * 1e9)
        return -v if self.nanos < 0 else float(v)

    @gofunc(result="float64")
    def go_Minutes(self) -> float:  # noqa: N802
        m, ns = divmod(abs(self.nanos), MINUTE)
        v = m + ns / (60 * 1e9)
        return -v if self.nanos < 0 else float(v)

    @gofunc(result="float64")
    def go_Seconds(self) -> float:  # noqa: N802
        s, ns = divmod(abs(self.nanos), SECOND)
        v = s + ns / 1e9
        return -v if self.nanos < 0 else float(v)

    @gofunc(result=INT64)
    def go_Milliseconds(self) -> Int64:  # noqa: N802
        return Int64(int(self.nanos / MILLISECOND))

    @gofunc(result=INT64)
    def go_Nanoseconds(self) -> Int64:  # noqa: N802
        return Int64(self.nanos)


_UNIT_MAP = {
    "ns": NANOSECOND,
    "us": MICROSECOND,
    "µs": MICROSECOND,  # U+00B5 micro sign
    "μs": MICROSECOND,  # U+03BC Greek mu
    "ms": MILLISECOND,
    "s": SECOND,
    "m": MINUTE,
    "h": HOUR,
}


def time_quote(s: str) -> str:
    """time's internal quote(): non-ASCII and control bytes as \\x escapes."""
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ord(ch) < 0x20:
            raw = ch.encode("utf-8", "surrogateescape")
            out.extend(f"\\x{b:02x}" for b in raw)
        else:
            if ch in ('"', "\\"):
                out.append("\\")
            out.append(ch)
    out.append('"')
    return "".join(out)


def _leading_int(s: str) -> tuple[int, str] | None:
    """leadingInt: the leading [0-9]* and the rest; None on overflow past 1<<63."""
    x = 0
    i = 0
    while i < len(s) and "0" <= s[i] <= "9":
        if x > (1 << 63) // 10:
            return None
        x = x * 10 + ord(s[i]) - 48
        if x > 1 << 63:
            return None
        i += 1
    return x, s[i:]


def _leading_fraction(s: str) -> tuple[int, float, str]:
    x, scale, i, overflow = 0, 1.0, 0, False
    while i < len(s) and "0" <= s[i] <= "9":
        if not overflow:
            if x > ((1 << 63) - 1) // 10:
                overflow = True
            else:
                y = x * 10 + ord(s[i]) - 48
                if y > 1 << 63:
                    overflow = True
                else:
                    x = y
                    scale *= 10
        i += 1
    return x, scale, s[i:]


class DurationError(ValueError):
    pass


def parse_duration(orig: str) -> int:
    """time.ParseDuration; raises DurationError with Go's message."""
    invalid = DurationError("time: invalid duration " + time_quote(orig))
    s = orig
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if s == "":
        raise invalid
    d = 0
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            raise invalid
        pl = len(s)
        lead = _leading_int(s)
        if lead is None:
            raise invalid
        v, s = lead
        pre = pl != len(s)
        post = False
        f, scale = 0, 1.0
        if s and s[0] == ".":
            s = s[1:]
            pl = len(s)
            f, scale, s = _leading_fraction(s)
            post = pl != len(s)
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == "." or "0" <= s[i] <= "9"):
            i += 1
        if i == 0:
            raise DurationError("time: missing unit in duration " + time_quote(orig))
        u, s = s[:i], s[i:]
        unit = _UNIT_MAP.get(u)
        if unit is None:
            raise DurationError(f"time: unknown unit {time_quote(u)} in duration {time_quote(orig)}")
        if v > (1 << 63) // unit:
            raise invalid
        v *= unit
        if f > 0:
            v += int(float(f) * (float(unit) / scale))
            if v > 1 << 63:
                raise invalid
        d += v
        if d > 1 << 63:
            raise invalid
    if neg:
        return _wrap_int64(-d)
    if d > (1 << 63) - 1:
        raise invalid
    return d


# --- Time ----------------------------------------------------------------------------------


class Month(GoObject):
    go_type = "time.Month"
    go_kind = "int"

    def __init__(self, m: int) -> None:
        self.m = m

    def __int__(self) -> int:
        return self.m

    def go_format(self) -> str:
        return LONG_MONTH_NAMES[self.m - 1] if 1 <= self.m <= 12 else f"%!Month({self.m})"

    def go_json(self) -> Any:
        return self.m


class Weekday(GoObject):
    go_type = "time.Weekday"
    go_kind = "int"

    def __init__(self, d: int) -> None:
        self.d = d

    def __int__(self) -> int:
        return self.d

    def go_format(self) -> str:
        return LONG_DAY_NAMES[self.d]

    def go_json(self) -> Any:
        return self.d


class GoTime(GoObject):
    """A time.Time: Unix seconds + nanoseconds, a Location, and optionally a monotonic
    reading (only `now` has one; Time.String prints it as `m=+0.001234567`)."""

    go_type = TIME
    go_kind = "struct"

    def __init__(self, sec: int, nsec: int = 0, loc: Location = UTC, mono: int | None = None) -> None:
        extra, nsec = divmod(nsec, SECOND)
        self.sec = sec + extra
        self.nsec = nsec
        self.loc = loc
        self.mono = mono

    @classmethod
    def now(cls) -> GoTime:
        ns = _time.time_ns()
        return cls(ns // SECOND, ns % SECOND, LOCAL, _time.monotonic_ns() - _PROCESS_START_NS)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GoTime) and (self.sec, self.nsec, self.loc, self.mono) == (
            other.sec,
            other.nsec,
            other.loc,
            other.mono,
        )

    def __hash__(self) -> int:
        return hash((self.sec, self.nsec))

    def zone(self) -> tuple[str, int]:
        return self.loc.lookup(self.sec)

    def in_loc(self, loc: Location) -> GoTime:
        return GoTime(self.sec, self.nsec, loc)  # In/UTC/Local strip the monotonic reading

    def add(self, d: int) -> GoTime:
        mono = None if self.mono is None else self.mono + d
        return GoTime(self.sec, self.nsec + d, self.loc, mono)

    def unix(self) -> int:
        return self.sec

    def sub_ns(self, other: GoTime) -> int:
        if self.mono is not None and other.mono is not None:
            d = self.mono - other.mono
        else:
            d = (self.sec - other.sec) * SECOND + self.nsec - other.nsec
        return max(min(d, (1 << 63) - 1), _INT64_MIN)  # Go saturates Sub

    def is_zero(self) -> bool:
        return self.sec == _ZERO_UNIX and self.nsec == 0

    def _fields(self) -> tuple[int, int, int, int, int, int, int, int]:
        """year, month, day, hour, minute, second, weekday, yday in the time's zone."""
        _, offset = self.zone()
        local = self.sec + offset
        days, secs = divmod(local, 86400)
        y, m, d = _civil_from_days(days)
        yday = _DAYS_BEFORE[m - 1] + d + (1 if m > 2 and _is_leap(y) else 0)
        weekday = (days + 4) % 7  # 1970-01-01 was a Thursday
        return y, m, d, secs // 3600, secs // 60 % 60, secs % 60, weekday, yday

    def format(self, layout: str) -> str:
        return format_time(self, layout)

    def string(self) -> str:
        s = self.format("2006-01-02 15:04:05.999999999 -0700 MST")
        if self.mono is not None:
            m = self.mono
            sign = "+" if m >= 0 else "-"
            m = abs(m)
            s += f" m={sign}{m // SECOND}.{m % SECOND:09d}"
        return s

    def go_format(self) -> str:
        return self.string()

    def go_json(self) -> Any:
        y = self._fields()[0]
        if not 0 <= y <= 9999:
            raise GoFuncError("Time.MarshalJSON: year outside of range [0,9999]")
        return self.format("2006-01-02T15:04:05.999999999Z07:00")

    # Methods templates call on a time.Time.
    @gofunc(STRING, result=STRING)
    def go_Format(self, layout: str) -> str:  # noqa: N802 - Go method names
        return self.format(layout)

    @gofunc(result=STRING)
    def go_String(self) -> str:  # noqa: N802
        return self.string()

    @gofunc(result=INT)
    def go_Year(self) -> int:  # noqa: N802
        return self._fields()[0]

    @gofunc(result="time.Month")
    def go_Month(self) -> Month:  # noqa: N802
        return Month(self._fields()[1])

    @gofunc(result=INT)
    def go_Day(self) -> int:  # noqa: N802
        return self._fields()[2]

    @gofunc(result=INT)
    def go_Hour(self) -> int:  # noqa: N802
        return self._fields()[3]

    @gofunc(result=INT)
    def go_Minute(self) -> int:  # noqa: N802
        return self._fields()[4]

    @gofunc(result=INT)
    def go_Second(self) -> int:  # noqa: N802
        return self._fields()[5]

    @gofunc(result=INT)
    def go_Nanosecond(self) -> int:  # noqa: N802
        return self.nsec

    @gofunc(result="time.Weekday")
    def go_Weekday(self) -> Weekday:  # noqa: N802
        return Weekday(self._fields()[6])

    @gofunc(result=INT)
    def go_YearDay(self) -> int:  # noqa: N802
        return self._fields()[7]

    @gofunc(result=INT64)
    def go_Unix(self) -> Int64:  # noqa: N802
        return Int64(self.sec)

    @gofunc(result=INT64)
    def go_UnixMilli(self) -> Int64:  # noqa: N802
        return Int64(self.sec * 1000 + self.nsec // MILLISECOND)

    @gofunc(result=INT64)
    def go_UnixMicro(self) -> Int64:  # noqa: N802
        return Int64(self.sec * 1_000_000 + self.nsec // MICROSECOND)

    @gofunc(result=INT64)
    def go_UnixNano(self) -> Int64:  # noqa: N802
        return Int64(_wrap_int64(self.sec * SECOND + self.nsec))

    @gofunc(result=TIME)
    def go_UTC(self) -> GoTime:  # noqa: N802
        return self.in_loc(UTC)

    @gofunc(result=TIME)
    def go_Local(self) -> GoTime:  # noqa: N802
        return self.in_loc(LOCAL)

    @gofunc(DURATION, result=TIME)
    def go_Add(self, d: Duration | int) -> GoTime:  # noqa: N802
        return self.add(int(d))

    @gofunc(TIME, result=DURATION)
    def go_Sub(self, u: GoTime) -> Duration:  # noqa: N802
        return Duration(self.sub_ns(u))

    @gofunc(INT, INT, INT, result=TIME)
    def go_AddDate(self, years: int, months: int, days: int) -> GoTime:  # noqa: N802
        y, m, d, hh, mm, ss, _, _ = self._fields()
        return go_date(y + years, m + months, d + days, hh, mm, ss, self.nsec, self.loc)

    @gofunc(TIME, result=BOOL)
    def go_Before(self, u: GoTime) -> bool:  # noqa: N802
        return (self.sec, self.nsec) < (u.sec, u.nsec)

    @gofunc(TIME, result=BOOL)
    def go_After(self, u: GoTime) -> bool:  # noqa: N802
        return (self.sec, self.nsec) > (u.sec, u.nsec)

    @gofunc(TIME, result=BOOL)
    def go_Equal(self, u: GoTime) -> bool:  # noqa: N802
        return (self.sec, self.nsec) == (u.sec, u.nsec)

    @gofunc(result=BOOL)
    def go_IsZero(self) -> bool:  # noqa: N802
        return self.is_zero()


_ZERO_UNIX = -62135596800  # 0001-01-01T00:00:00Z, Go's zero Time


def zero_time() -> GoTime:
    return GoTime(_ZERO_UNIX, 0, UTC)


def go_date(
    year: int, month: int, day: int, hour: int, minute: int, sec: int, nsec: int, loc: Location
) -> GoTime:
    """time.Date: normalizes out-of-range fields, then resolves the zone offset."""
    m0 = month - 1
    year += m0 // 12
    month = m0 % 12 + 1
    extra, nsec = divmod(nsec, SECOND)
    sec += extra
    unix = _days_from_civil(year, month, 1) * 86400 + (day - 1) * 86400 + hour * 3600 + minute * 60 + sec
    _, offset = loc.lookup(unix)
    if offset:
        _, offset2 = loc.lookup(unix - offset)
        unix -= offset2 if offset2 != offset else offset
    return GoTime(unix, nsec, loc)


# --- layouts -------------------------------------------------------------------------------

# std chunk kinds
(
    _LONG_MONTH, _MONTH, _NUM_MONTH, _ZERO_MONTH, _LONG_WEEKDAY, _WEEKDAY, _DAY, _UNDER_DAY,
    _ZERO_DAY, _UNDER_YEARDAY, _ZERO_YEARDAY, _HOUR, _HOUR12, _ZERO_HOUR12, _MINUTE,
    _ZERO_MINUTE, _SECOND, _ZERO_SECOND, _LONG_YEAR, _YEAR, _PM, _pm, _TZ, _ISO8601_TZ,
    _ISO8601_SECONDS_TZ, _ISO8601_SHORT_TZ, _ISO8601_COLON_TZ, _ISO8601_COLON_SECONDS_TZ,
    _NUM_TZ, _NUM_SECONDS_TZ, _NUM_SHORT_TZ, _NUM_COLON_TZ, _NUM_COLON_SECONDS_TZ,
    _FRAC0, _FRAC9,
) = range(1, 36)  # fmt: skip

_STD0X = [_ZERO_MONTH, _ZERO_DAY, _ZERO_HOUR12, _ZERO_MINUTE, _ZERO_SECOND, _YEAR]
_ISO_TZ = {_ISO8601_TZ, _ISO8601_SECONDS_TZ, _ISO8601_SHORT_TZ, _ISO8601_COLON_TZ, _ISO8601_COLON_SECONDS_TZ}
_NUM_TZS = {_NUM_TZ, _NUM_SECONDS_TZ, _NUM_SHORT_TZ, _NUM_COLON_TZ, _NUM_COLON_SECONDS_TZ}

# A chunk: (kind, fraction digits, fraction separator) - kind 0 means "no more chunks".
Std = tuple[int, int, str]
_NONE: Std = (0, 0, "")


def _starts_lower(s: str) -> bool:
    return bool(s) and "a" <= s[0] <= "z"


_PREFIXED = (
    ("-070000", _NUM_SECONDS_TZ),
    ("-07:00:00", _NUM_COLON_SECONDS_TZ),
    ("-0700", _NUM_TZ),
    ("-07:00", _NUM_COLON_TZ),
    ("-07", _NUM_SHORT_TZ),
    ("Z070000", _ISO8601_SECONDS_TZ),
    ("Z07:00:00", _ISO8601_COLON_SECONDS_TZ),
    ("Z0700", _ISO8601_TZ),
    ("Z07:00", _ISO8601_COLON_TZ),
    ("Z07", _ISO8601_SHORT_TZ),
)


def next_std_chunk(layout: str) -> tuple[str, Std, str]:
    """Port of nextStdChunk: (text before, the std chunk, text after)."""
    n = len(layout)
    for i, c in enumerate(layout):
        rest = layout[i:]
        if c == "J" and rest.startswith("Jan"):
            if rest.startswith("January"):
                return layout[:i], (_LONG_MONTH, 0, ""), layout[i + 7 :]
            if not _starts_lower(layout[i + 3 :]):
                return layout[:i], (_MONTH, 0, ""), layout[i + 3 :]
        elif c == "M" and n >= i + 3:
            if rest.startswith("Mon"):
                if rest.startswith("Monday"):
                    return layout[:i], (_LONG_WEEKDAY, 0, ""), layout[i + 6 :]
                if not _starts_lower(layout[i + 3 :]):
                    return layout[:i], (_WEEKDAY, 0, ""), layout[i + 3 :]
            if rest.startswith("MST"):
                return layout[:i], (_TZ, 0, ""), layout[i + 3 :]
        elif c == "0":
            if n >= i + 2 and "1" <= layout[i + 1] <= "6":
                return layout[:i], (_STD0X[ord(layout[i + 1]) - ord("1")], 0, ""), layout[i + 2 :]
            if rest.startswith("002"):
                return layout[:i], (_ZERO_YEARDAY, 0, ""), layout[i + 3 :]
        elif c == "1":
            if rest.startswith("15"):
                return layout[:i], (_HOUR, 0, ""), layout[i + 2 :]
            return layout[:i], (_NUM_MONTH, 0, ""), layout[i + 1 :]
        elif c == "2":
            if rest.startswith("2006"):
                return layout[:i], (_LONG_YEAR, 0, ""), layout[i + 4 :]
            return layout[:i], (_DAY, 0, ""), layout[i + 1 :]
        elif c == "_":
            if rest.startswith("_2"):
                if rest.startswith("_2006"):  # a literal "_" then the year
                    return layout[: i + 1], (_LONG_YEAR, 0, ""), layout[i + 5 :]
                return layout[:i], (_UNDER_DAY, 0, ""), layout[i + 2 :]
            if rest.startswith("__2"):
                return layout[:i], (_UNDER_YEARDAY, 0, ""), layout[i + 3 :]
        elif c == "3":
            return layout[:i], (_HOUR12, 0, ""), layout[i + 1 :]
        elif c == "4":
            return layout[:i], (_MINUTE, 0, ""), layout[i + 1 :]
        elif c == "5":
            return layout[:i], (_SECOND, 0, ""), layout[i + 1 :]
        elif c == "P" and rest.startswith("PM"):
            return layout[:i], (_PM, 0, ""), layout[i + 2 :]
        elif c == "p" and rest.startswith("pm"):
            return layout[:i], (_pm, 0, ""), layout[i + 2 :]
        elif c in "-Z":
            for text, kind in _PREFIXED:
                if rest.startswith(text):
                    return layout[:i], (kind, 0, ""), layout[i + len(text) :]
        elif c in ".," and i + 1 < n and layout[i + 1] in "09":
            ch = layout[i + 1]
            j = i + 1
            while j < n and layout[j] == ch:
                j += 1
            if not (j < n and "0" <= layout[j] <= "9"):
                kind = _FRAC0 if ch == "0" else _FRAC9
                return layout[:i], (kind, (j - (i + 1)) & 0xFFF, c), layout[j:]
    return layout, _NONE, ""


def _append_int(x: int, width: int) -> str:
    s = str(abs(x)).rjust(width, "0")
    return "-" + s if x < 0 else s


def _append_nano(nanosec: int, std: Std) -> str:
    kind, n, sep = std
    trim = kind == _FRAC9
    if trim and (n == 0 or nanosec == 0):
        return ""
    digits = f"{nanosec:09d}"
    if n < 9:
        digits = digits[:n]
    out = sep + digits
    if trim:
        out = out.rstrip("0")
        if out == sep:
            out = ""
    return out


def format_time(t: GoTime, layout: str) -> str:
    """Time.Format: port of appendFormat."""
    name, offset = t.zone()
    y, mon, day, hour, minute, sec, wday, yday = t._fields()
    out: list[str] = []
    while layout:
        prefix, std, suffix = next_std_chunk(layout)
        out.append(prefix)
        kind = std[0]
        if kind == 0:
            break
        layout = suffix
        if kind == _YEAR:
            out.append(_append_int(abs(y) % 100, 2))
        elif kind == _LONG_YEAR:
            out.append(_append_int(y, 4))
        elif kind == _MONTH:
            out.append(SHORT_MONTH_NAMES[mon - 1])
        elif kind == _LONG_MONTH:
            out.append(LONG_MONTH_NAMES[mon - 1])
        elif kind == _NUM_MONTH:
            out.append(str(mon))
        elif kind == _ZERO_MONTH:
            out.append(_append_int(mon, 2))
        elif kind == _WEEKDAY:
            out.append(SHORT_DAY_NAMES[wday])
        elif kind == _LONG_WEEKDAY:
            out.append(LONG_DAY_NAMES[wday])
        elif kind == _DAY:
            out.append(str(day))
        elif kind == _UNDER_DAY:
            out.append(f"{day:2d}")
        elif kind == _ZERO_DAY:
            out.append(_append_int(day, 2))
        elif kind == _UNDER_YEARDAY:
            out.append(f"{yday:3d}")
        elif kind == _ZERO_YEARDAY:
            out.append(_append_int(yday, 3))
        elif kind == _HOUR:
            out.append(_append_int(hour, 2))
        elif kind in (_HOUR12, _ZERO_HOUR12):
            hr = hour % 12 or 12
            out.append(_append_int(hr, 2 if kind == _ZERO_HOUR12 else 0))
        elif kind == _MINUTE:
            out.append(str(minute))
        elif kind == _ZERO_MINUTE:
            out.append(_append_int(minute, 2))
        elif kind == _SECOND:
            out.append(str(sec))
        elif kind == _ZERO_SECOND:
            out.append(_append_int(sec, 2))
        elif kind == _PM:
            out.append("PM" if hour >= 12 else "AM")
        elif kind == _pm:
            out.append("pm" if hour >= 12 else "am")
        elif kind in _ISO_TZ or kind in _NUM_TZS:
            out.append(_format_offset(kind, offset))
        elif kind == _TZ:
            if name:
                out.append(name)
            else:
                zone = abs(offset) // 60
                out.append(
                    ("-" if offset < 0 else "+") + _append_int(zone // 60, 2) + _append_int(zone % 60, 2)
                )
        elif kind in (_FRAC0, _FRAC9):
            out.append(_append_nano(t.nsec, std))
    return "".join(out)


def _format_offset(kind: int, offset: int) -> str:
    if offset == 0 and kind in _ISO_TZ:
        return "Z"
    zone = abs(offset) // 60  # Go: offset/60 truncates toward zero
    out = ("-" if offset < 0 else "+") + _append_int(zone // 60, 2)
    if kind in (_ISO8601_COLON_TZ, _NUM_COLON_TZ, _ISO8601_COLON_SECONDS_TZ, _NUM_COLON_SECONDS_TZ):
        out += ":"
    if kind not in (_NUM_SHORT_TZ, _ISO8601_SHORT_TZ):
        out += _append_int(zone % 60, 2)
    if kind in (_ISO8601_SECONDS_TZ, _NUM_SECONDS_TZ, _NUM_COLON_SECONDS_TZ, _ISO8601_COLON_SECONDS_TZ):
        if kind in (_NUM_COLON_SECONDS_TZ, _ISO8601_COLON_SECONDS_TZ):
            out += ":"
        out += _append_int(abs(offset) % 60, 2)
    return out


# --- parsing -------------------------------------------------------------------------------


class TimeParseError(ValueError):
    """time.ParseError; str() is Go's Error()."""

    def __init__(self, layout: str, value: str, layout_elem: str, value_elem: str, message: str) -> None:
        if message == "":
            text = (
                f"parsing time {time_quote(value)} as {time_quote(layout)}: cannot parse "
                f"{time_quote(value_elem)} as {time_quote(layout_elem)}"
            )
        else:
            text = f"parsing time {time_quote(value)}{message}"
        super().__init__(text)


class _Bad(Exception):
    """errBad: a field did not parse."""


def _is_digit(s: str, i: int) -> bool:
    return i < len(s) and "0" <= s[i] <= "9"


def _getnum(s: str, fixed: bool) -> tuple[int, str]:
    if not _is_digit(s, 0):
        raise _Bad
    if not _is_digit(s, 1):
        if fixed:
            raise _Bad
        return ord(s[0]) - 48, s[1:]
    return (ord(s[0]) - 48) * 10 + ord(s[1]) - 48, s[2:]


def _getnum3(s: str, fixed: bool) -> tuple[int, str]:
    n = i = 0
    while i < 3 and _is_digit(s, i):
        n = n * 10 + ord(s[i]) - 48
        i += 1
    if i == 0 or (fixed and i != 3):
        raise _Bad
    return n, s[i:]


def _atoi(s: str) -> int:
    neg = False
    if s and s[0] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    lead = _leading_int(s)
    if lead is None or lead[1]:
        raise _Bad
    return -lead[0] if neg else lead[0]


def _skip(value: str, prefix: str) -> str:
    while prefix:
        if prefix[0] == " ":
            if value and value[0] != " ":
                raise _Bad
            prefix = prefix.lstrip(" ")
            value = value.lstrip(" ")
            continue
        if not value or value[0] != prefix[0]:
            raise _Bad
        prefix, value = prefix[1:], value[1:]
    return value


def _lookup(tab: list[str], val: str) -> tuple[int, str]:
    for i, v in enumerate(tab):
        if len(val) >= len(v) and _match_fold(val[: len(v)], v):
            return i, val[len(v) :]
    raise _Bad


def _match_fold(s1: str, s2: str) -> bool:
    for c1, c2 in zip(s1, s2, strict=True):
        if c1 != c2:
            l1, l2 = chr(ord(c1) | 0x20), chr(ord(c2) | 0x20)
            if l1 != l2 or not ("a" <= l1 <= "z"):
                return False
    return True


def _parse_nanoseconds(value: str, nbytes: int) -> tuple[int, str]:
    if value[0] not in ".,":
        raise _Bad
    if nbytes > 10:
        value, nbytes = value[:10], 10
    ns = _atoi(value[1:nbytes])
    if ns < 0:
        return 0, "fractional second"
    return ns * 10 ** (10 - nbytes), ""


def _parse_signed_offset(value: str) -> int:
    if value[0] not in "+-":
        return 0
    lead = _leading_int(value[1:])
    if lead is None or lead[1] == value[1:] or lead[0] > 23:
        return 0
    return len(value) - len(lead[1])


def _parse_time_zone(value: str) -> int:
    """parseTimeZone: the length of a zone abbreviation at the start of value, or 0."""
    if len(value) < 3:
        return 0
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value[:3] == "GMT":
        return 3 if len(value) == 3 else 3 + _parse_signed_offset(value[3:])
    if value[0] in "+-":
        return _parse_signed_offset(value)
    n_upper = 0
    while n_upper < 6 and n_upper < len(value) and "A" <= value[n_upper] <= "Z":
        n_upper += 1
    if n_upper == 5 and value[4] == "T":
        return 5
    if n_upper == 4 and (value[3] == "T" or value[:4] == "WITA"):
        return 4
    if n_upper == 3:
        return 3
    return 0


def parse_in_location(layout: str, value: str, loc: Location) -> GoTime:
    """time.ParseInLocation; raises TimeParseError with Go's message."""
    alayout, avalue = layout, value
    range_err = ""
    am_set = pm_set = False
    year, month, day, yday = 0, -1, -1, -1
    hour = minute = sec = nsec = 0
    z: Location | None = None
    zone_offset = -1
    zone_name = ""
    while True:
        prefix, std, suffix = next_std_chunk(layout)
        stdstr = layout[len(prefix) : len(layout) - len(suffix)]
        try:
            value = _skip(value, prefix)
        except _Bad:
            raise TimeParseError(alayout, avalue, prefix, value, "") from None
        kind = std[0]
        if kind == 0:
            if value:
                raise TimeParseError(alayout, avalue, "", value, ": extra text: " + time_quote(value))
            break
        layout = suffix
        hold = value
        try:
            if kind == _YEAR:
                if len(value) < 2:
                    raise _Bad
                year = _atoi(value[:2])
                value = value[2:]
                year += 1900 if year >= 69 else 2000
            elif kind == _LONG_YEAR:
                if len(value) < 4 or not _is_digit(value, 0):
                    raise _Bad
                year = _atoi(value[:4])
                value = value[4:]
            elif kind in (_MONTH, _LONG_MONTH):
                month, value = _lookup(SHORT_MONTH_NAMES if kind == _MONTH else LONG_MONTH_NAMES, value)
                month += 1
            elif kind in (_NUM_MONTH, _ZERO_MONTH):
                month, value = _getnum(value, kind == _ZERO_MONTH)
                if month <= 0 or month > 12:
                    range_err = "month"
            elif kind in (_WEEKDAY, _LONG_WEEKDAY):
                _, value = _lookup(SHORT_DAY_NAMES if kind == _WEEKDAY else LONG_DAY_NAMES, value)
            elif kind in (_DAY, _UNDER_DAY, _ZERO_DAY):
                if kind == _UNDER_DAY and value[:1] == " ":
                    value = value[1:]
                day, value = _getnum(value, kind == _ZERO_DAY)
            elif kind in (_UNDER_YEARDAY, _ZERO_YEARDAY):
                for _ in range(2):
                    if kind == _UNDER_YEARDAY and value[:1] == " ":
                        value = value[1:]
                yday, value = _getnum3(value, kind == _ZERO_YEARDAY)
            elif kind == _HOUR:
                hour, value = _getnum(value, False)
                if hour >= 24:
                    range_err = "hour"
            elif kind in (_HOUR12, _ZERO_HOUR12):
                hour, value = _getnum(value, kind == _ZERO_HOUR12)
                if hour > 12:
                    range_err = "hour"
            elif kind in (_MINUTE, _ZERO_MINUTE):
                minute, value = _getnum(value, kind == _ZERO_MINUTE)
                if minute >= 60:
                    range_err = "minute"
            elif kind in (_SECOND, _ZERO_SECOND):
                sec, value = _getnum(value, kind == _ZERO_SECOND)
                if sec >= 60:
                    range_err = "second"
                elif len(value) >= 2 and value[0] in ".," and _is_digit(value, 1):
                    # A fractional second in the value that the layout does not mention.
                    if next_std_chunk(layout)[1][0] not in (_FRAC0, _FRAC9):
                        n = 2
                        while n < len(value) and _is_digit(value, n):
                            n += 1
                        nsec, range_err = _parse_nanoseconds(value, n)
                        value = value[n:]
            elif kind in (_PM, _pm):
                if len(value) < 2:
                    raise _Bad
                p, value = value[:2], value[2:]
                upper = kind == _PM
                if p == ("PM" if upper else "pm"):
                    pm_set = True
                elif p == ("AM" if upper else "am"):
                    am_set = True
                else:
                    raise _Bad
            elif kind in _ISO_TZ and value[:1] == "Z":
                value = value[1:]
                z = UTC
            elif kind in _ISO_TZ or kind in _NUM_TZS:
                zone_offset, value, range_err = _parse_offset(kind, value, range_err)
            elif kind == _TZ:
                if value[:3] == "UTC":
                    z = UTC
                    value = value[3:]
                else:
                    n = _parse_time_zone(value)
                    if n == 0:
                        raise _Bad
                    zone_name, value = value[:n], value[n:]
            elif kind == _FRAC0:
                ndigit = 1 + std[1]
                if len(value) < ndigit:
                    raise _Bad
                nsec, range_err = _parse_nanoseconds(value, ndigit)
                value = value[ndigit:]
            elif kind == _FRAC9:
                if len(value) >= 2 and value[0] in ".," and "0" <= value[1] <= "9":
                    i = 0
                    while i + 1 < len(value) and "0" <= value[i + 1] <= "9":
                        i += 1
                    nsec, range_err = _parse_nanoseconds(value, 1 + i)
                    value = value[1 + i :]
        except _Bad:
            if range_err:
                raise TimeParseError(alayout, avalue, stdstr, value, f": {range_err} out of range") from None
            raise TimeParseError(alayout, avalue, stdstr, hold, "") from None
        if range_err:
            raise TimeParseError(alayout, avalue, stdstr, value, f": {range_err} out of range")
    if pm_set and hour < 12:
        hour += 12
    elif am_set and hour == 12:
        hour = 0
    if yday >= 0:
        m = d = 0
        if _is_leap(year):
            if yday == 31 + 29:
                m, d = 2, 29
            elif yday > 31 + 29:
                yday -= 1
        if yday < 1 or yday > 365:
            raise TimeParseError(alayout, avalue, "", value, ": day-of-year out of range")
        if m == 0:
            m = (yday - 1) // 31 + 1
            if _DAYS_BEFORE[m] < yday:
                m += 1
            d = yday - _DAYS_BEFORE[m - 1]
        if month >= 0 and month != m:
            raise TimeParseError(alayout, avalue, "", value, ": day-of-year does not match month")
        month = m
        if day >= 0 and day != d:
            raise TimeParseError(alayout, avalue, "", value, ": day-of-year does not match day")
        day = d
    else:
        month = 1 if month < 0 else month
        day = 1 if day < 0 else day
    if day < 1 or day > _days_in(month, year):
        raise TimeParseError(alayout, avalue, "", value, ": day out of range")
    if z is not None:
        return go_date(year, month, day, hour, minute, sec, nsec, z)
    if zone_offset != -1:
        t = go_date(year, month, day, hour, minute, sec, nsec, UTC)
        t = GoTime(t.sec - zone_offset, t.nsec, UTC)
        name, offset = loc.lookup(t.sec)
        if offset == zone_offset and (zone_name == "" or name == zone_name):
            return GoTime(t.sec, t.nsec, loc)
        return GoTime(t.sec, t.nsec, Location(zone_name, fixed=(zone_name, zone_offset)))
    if zone_name:
        t = go_date(year, month, day, hour, minute, sec, nsec, UTC)
        named_offset = _lookup_name(loc, zone_name, t.sec)
        if named_offset is not None:
            return GoTime(t.sec - named_offset, t.nsec, loc)
        fake = 0
        if len(zone_name) > 3 and zone_name[:3] == "GMT":
            fake = _atoi(zone_name[3:]) * 3600
        return GoTime(t.sec, t.nsec, Location(zone_name, fixed=(zone_name, fake)))
    return go_date(year, month, day, hour, minute, sec, nsec, loc)


def _lookup_name(loc: Location, name: str, unix: int) -> int | None:
    """Location.lookupName, approximated: the offset of `name` if the zone uses that
    abbreviation around `unix` (within half a year either side)."""
    for probe in (unix, unix - 182 * 86400, unix + 182 * 86400):
        zname, offset = loc.lookup(probe - loc.lookup(probe)[1])
        if zname == name:
            return offset
    return None


def _parse_offset(kind: int, value: str, range_err: str) -> tuple[int, str, str]:
    if kind in (_ISO8601_COLON_TZ, _NUM_COLON_TZ):
        if len(value) < 6 or value[3] != ":":
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[4:6], "00", value[6:]
    elif kind in (_NUM_SHORT_TZ, _ISO8601_SHORT_TZ):
        if len(value) < 3:
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], "00", "00", value[3:]
    elif kind in (_ISO8601_COLON_SECONDS_TZ, _NUM_COLON_SECONDS_TZ):
        if len(value) < 9 or value[3] != ":" or value[6] != ":":
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[4:6], value[7:9], value[9:]
    elif kind in (_ISO8601_SECONDS_TZ, _NUM_SECONDS_TZ):
        if len(value) < 7:
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[3:5], value[5:7], value[7:]
    else:
        if len(value) < 5:
            raise _Bad
        sign, hh, mm, ss, value = value[0], value[1:3], value[3:5], "00", value[5:]
    hr, _ = _getnum(hh, True)
    mi, _ = _getnum(mm, True)
    se, _ = _getnum(ss, True)
    if hr > 24:
        range_err = "time zone offset hour"
    if mi > 60:
        range_err = "time zone offset minute"
    if se > 60:
        range_err = "time zone offset second"
    offset = (hr * 60 + mi) * 60 + se
    if sign == "-":
        offset = -offset
    elif sign != "+":
        raise _Bad
    return offset, value, range_err


# --- template functions --------------------------------------------------------------------


def _as_time(value: Any, *, int32: bool = True) -> GoTime:
    """The `switch date := date.(type)` of dateInZone/dateAgo: time.Time, int64, int (and
    int32 for dateInZone) are used; anything else (float64 included) means time.Now()."""
    if isinstance(value, GoTime):
        return value
    if isinstance(value, bool):
        return GoTime.now()
    if type(value) is int or type(value) is Int64 or (int32 and type(value) in (Int32, Rune)):
        return GoTime(int(value), 0, LOCAL)
    return GoTime.now()


def date_in_zone(fmt: str, date: Any, zone: str) -> str:
    t = _as_time(date)
    loc = load_location(zone) or UTC
    return t.in_loc(loc).format(fmt)


@gofunc(result=TIME)
def now() -> GoTime:
    return GoTime.now()


@gofunc(STRING, ANY, result=STRING)
def date(fmt: str, value: Any) -> str:
    return date_in_zone(fmt, value, "Local")


@gofunc(STRING, ANY, STRING, result=STRING)
def dateInZone(fmt: str, value: Any, zone: str) -> str:
    return date_in_zone(fmt, value, zone)


@gofunc(ANY, result=STRING)
def htmlDate(value: Any) -> str:
    return date_in_zone("2006-01-02", value, "Local")


@gofunc(ANY, STRING, result=STRING)
def htmlDateInZone(value: Any, zone: str) -> str:
    return date_in_zone("2006-01-02", value, zone)


@gofunc(STRING, TIME, result=TIME)
def dateModify(fmt: str, value: GoTime) -> GoTime:
    try:
        return value.add(parse_duration(fmt))
    except DurationError:
        return value


@gofunc(STRING, TIME, error=True, result=TIME)
def mustDateModify(fmt: str, value: GoTime) -> GoTime:
    try:
        return value.add(parse_duration(fmt))
    except DurationError as e:
        raise GoFuncError(str(e)) from None


@gofunc(ANY, result=STRING)
def ago(value: Any) -> str:
    t = _as_time(value, int32=False)
    since = GoTime.now().sub_ns(t)
    return duration_string(_round_duration(since, SECOND))


def _round_duration(d: int, m: int) -> int:
    """Duration.Round: halfway values round away from zero; saturates at int64 bounds."""
    if m <= 0:
        return d
    r = abs(d) % m
    if d < 0:
        if r + r < m:
            return d + r
        d1 = d - m + r
        return d1 if d1 < d else _INT64_MIN
    if r + r < m:
        return d - r
    d1 = d + m - r
    return d1 if d1 > d else (1 << 63) - 1


def _parse_int64(s: str) -> int:
    """strconv.ParseInt(s, 10, 64) as Sprig uses it: errors give 0, out of range clamps."""
    body = s[1:] if s[:1] in ("+", "-") else s
    if not body or not body.isascii() or not body.isdigit():
        return 0
    n = -int(body) if s[0] == "-" else int(body)
    return max(min(n, (1 << 63) - 1), _INT64_MIN)


@gofunc(ANY, result=STRING)
def duration(sec: Any) -> str:
    if isinstance(sec, str):
        n = _parse_int64(sec)
    elif type(sec) is Int64:
        n = int(sec)
    else:
        n = 0  # int, float64, ... all fall into Sprig's default case
    return duration_string(_wrap_int64(n * SECOND))


@gofunc(ANY, result=STRING)
def durationRound(value: Any) -> str:
    if isinstance(value, str):
        try:
            d = parse_duration(value)
        except DurationError:
            d = 0
    elif type(value) is Int64:
        d = int(value)
    elif isinstance(value, GoTime):
        d = GoTime.now().sub_ns(value)
    else:
        d = 0
    u = abs(d) if d != _INT64_MIN else 1 << 63
    day = 24 * HOUR
    for size, suffix in (
        (365 * day, "y"),
        (30 * day, "mo"),
        (day, "d"),
        (HOUR, "h"),
        (MINUTE, "m"),
        (SECOND, "s"),
    ):
        if u > size:
            return f"{u // size}{suffix}"
    return "0s"


@gofunc(STRING, STRING, result=TIME)
def toDate(fmt: str, s: str) -> GoTime:
    try:
        return parse_in_location(fmt, s, LOCAL)
    except TimeParseError:
        return zero_time()


@gofunc(STRING, STRING, error=True, result=TIME)
def mustToDate(fmt: str, s: str) -> GoTime:
    try:
        return parse_in_location(fmt, s, LOCAL)
    except TimeParseError as e:
        raise GoFuncError(str(e)) from None


@gofunc(TIME, result=STRING)
def unixEpoch(value: GoTime) -> str:
    return str(value.unix())


FUNCS: dict[str, Callable[..., Any]] = {
    "ago": ago,
    "date": date,
    "date_in_zone": dateInZone,
    "date_modify": dateModify,
    "dateInZone": dateInZone,
    "dateModify": dateModify,
    "duration": duration,
    "durationRound": durationRound,
    "htmlDate": htmlDate,
    "htmlDateInZone": htmlDateInZone,
    "must_date_modify": mustDateModify,
    "mustDateModify": mustDateModify,
    "mustToDate": mustToDate,
    "now": now,
    "toDate": toDate,
    "unixEpoch": unixEpoch,
}
