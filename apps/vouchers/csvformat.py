"""The CSV format of voucher imports: one voucher per line, a header first.

| column | required | accepts |
|---|---|---|
| code | yes | the code as printed; case, spaces and dashes do not matter |
| kind | yes | trial, site, super, monthly |
| expires | yes | 2027-12-31 (valid through that day, UTC) or an ISO time with zone |
| days | no | certificate lifetime (default: trial 30, site/super 365, monthly 31) |
| uses | no | how many certificates (default 1) |
| networks | no | CIDR blocks, first-last ranges, addresses; separated by ; or space |
| platform | no | plesk (default), any, cpanel, iis, linux |
| name | site vouchers | the name it was bought for (www.name covers name too) |
| san, wildcard | no | yes/no: extra names, wildcard names (site vouchers) |
| reissues_per_day | no | daily reissue limit (default 5) |
| note | no | free text |
"""

import csv
import datetime as dt
import io
import re
from typing import IO

from django.utils.dateparse import parse_date, parse_datetime

from apps.accounts.models import Account
from apps.core import clock, names
from apps.vouchers import codes, networks, rules
from apps.vouchers.models import Voucher

REQUIRED = ("code", "kind", "expires")
OPTIONAL = (
    "days",
    "uses",
    "networks",
    "platform",
    "name",
    "san",
    "wildcard",
    "reissues_per_day",
    "note",
)
DEFAULT_DAYS = {"trial": 30, "site": 365, "super": 365, "monthly": 31}
MAX_LINES = 50_000
_YES = {"yes", "y", "true", "1", "x"}
_NO = {"no", "n", "false", "0", ""}
_CODE = re.compile(r"^[A-Z0-9]{4,64}$")
_DIGITS = re.compile(r"^[0-9]+$")
# The largest value each number column takes; larger is refused on its line.
MOST = {"days": 3650, "uses": 1_000_000, "reissues_per_day": 1000}
# How far ahead a voucher may expire (a date past year 9999 cannot be stored).
LATEST_EXPIRY = dt.timedelta(days=100 * 366)
# The key under which read() reports a line the CSV reader could not read.
UNREADABLE = "__unreadable__"


def read(fileobj: IO | str | bytes) -> tuple[list[tuple[int, dict]], str]:
    """(line number, row) pairs of a CSV file, text or bytes; or a header error."""
    text = fileobj if isinstance(fileobj, str) else fileobj.read()
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], "the file is not UTF-8 text"
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [(column or "").strip().lower() for column in reader.fieldnames or []]
    missing = [column for column in REQUIRED if column not in header]
    unknown = [column for column in header if column not in REQUIRED + OPTIONAL]
    if missing or unknown:
        return [], _header_problem(missing, unknown)
    reader.fieldnames = header
    rows = []
    for number, row in _rows(reader):
        if row is not None and not any((v or "").strip() for v in row.values()):
            continue  # blank line
        rows.append((number, row))
        if len(rows) > MAX_LINES:
            return [], f"more than {MAX_LINES} vouchers; split the file"
    if not rows:
        return [], "no vouchers in the file"
    return rows, ""


def _rows(reader: csv.DictReader):
    """(line number, row); a line the reader refuses (e.g. a field over the CSV
    module's size limit) becomes a row holding only its problem."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader counts a line only once it has read it whole.
            yield reader.line_num + 1, {UNREADABLE: f"not readable as CSV: {exc}"}
            continue
        yield reader.line_num, row


def _header_problem(missing: list[str], unknown: list[str]) -> str:
    parts = []
    if missing:
        parts.append(f"missing column(s): {', '.join(missing)}")
    if unknown:
        parts.append(f"unknown column(s): {', '.join(unknown)}")
    return "; ".join(parts) + f" (columns: {', '.join(REQUIRED + OPTIONAL)})"


def voucher_from_row(row: dict, owner: Account) -> tuple[Voucher | None, list[str]]:
    """An unsaved voucher for one row, and what is wrong with it."""
    if UNREADABLE in row:
        return None, [row[UNREADABLE]]
    if None in row:
        return None, ["more fields than the header has columns"]
    value = {key: (text or "").strip() for key, text in row.items()}
    problems: list[str] = []
    code = codes.normalize(value["code"])
    if not _CODE.match(code):
        problems.append("code: 4 to 64 letters and digits")
    kind = value["kind"].lower()
    if kind not in Voucher.Kind.values:
        problems.append(f"kind: one of {', '.join(Voucher.Kind.values)}")
        kind = ""
    voucher = Voucher(
        code=code,
        issued_code=value["code"] if value["code"] != code else "",
        kind=kind,
        owner=owner,
        certificate_days=_number(value, "days", DEFAULT_DAYS.get(kind, 0), problems),
        uses_allowed=_number(value, "uses", 1, problems),
        reissues_per_day=_number(value, "reissues_per_day", 5, problems),
        expires_at=_expiry(value["expires"], problems),
        networks=_networks(value.get("networks", ""), problems),
        platform=(value.get("platform") or "plesk").lower(),
        bound_name=_bound_name(value.get("name", ""), problems),
        allow_san=_flag(value, "san", problems),
        allow_wildcard=_flag(value, "wildcard", problems),
        note=value.get("note", "")[:255],
    )
    if voucher.platform not in Voucher.Platform.values:
        problems.append(f"platform: one of {', '.join(Voucher.Platform.values)}")
    if voucher.expires_at and voucher.expires_at <= clock.now():
        problems.append("expires: that moment has passed")
    if kind:
        problems.extend(str(problem) for problem in rules.problems(voucher))
    return voucher, problems


def _networks(text: str, problems: list[str]) -> list[str]:
    try:
        return [network.text for network in networks.parse(text)]
    except networks.NetworkError as exc:
        problems.append(f"networks: {exc}")
        return []


def _number(value: dict, column: str, default: int, problems: list[str]) -> int:
    text = value.get(column, "")
    if not text:
        return default
    most = MOST[column]
    # Only ASCII digits: str.isdigit() passes "²", which int() refuses.
    if not _DIGITS.match(text) or len(text) > 12 or not 1 <= int(text) <= most:
        problems.append(f"{column}: a whole number of at least 1 and at most {most}")
        return default
    return int(text)


def _flag(value: dict, column: str, problems: list[str]) -> bool:
    text = value.get(column, "").lower()
    if text in _YES:
        return True
    if text not in _NO:
        problems.append(f"{column}: yes or no")
    return False


def _expiry(text: str, problems: list[str]) -> dt.datetime | None:
    try:
        moment = _moment(text)
    except ValueError:  # well formed but no such day, e.g. 2027-02-30
        problems.append(f"expires: there is no such date or time as {text[:40]}")
        return None
    if moment is None:
        problems.append("expires: a date like 2027-12-31 or a time with zone")
        return None
    if moment > clock.now() + LATEST_EXPIRY:
        problems.append("expires: at most 100 years ahead")
        return None
    return moment


def _moment(text: str) -> dt.datetime | None:
    """The moment a voucher stops being valid; None when the text is no date or
    time with zone; ValueError when it names no real day or time."""
    day = parse_date(text) if len(text) == 10 else None
    if day is not None:
        if day.year >= dt.MAXYEAR:
            return dt.datetime.max.replace(tzinfo=dt.UTC)  # too late anyway
        # Valid through that whole day, UTC.
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
    moment = parse_datetime(text)
    if moment is None or moment.tzinfo is None:
        return None
    return moment


def _bound_name(text: str, problems: list[str]) -> str:
    if not text:
        return ""
    try:
        return names.to_ascii(text)
    except names.InvalidName as exc:
        problems.append(f"name: {exc}")
        return ""
