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
    for row in reader:
        if not any((value or "").strip() for value in row.values()):
            continue  # blank line
        rows.append((reader.line_num, row))
        if len(rows) > MAX_LINES:
            return [], f"more than {MAX_LINES} vouchers; split the file"
    if not rows:
        return [], "no vouchers in the file"
    return rows, ""


def _header_problem(missing: list[str], unknown: list[str]) -> str:
    parts = []
    if missing:
        parts.append(f"missing column(s): {', '.join(missing)}")
    if unknown:
        parts.append(f"unknown column(s): {', '.join(unknown)}")
    return "; ".join(parts) + f" (columns: {', '.join(REQUIRED + OPTIONAL)})"


def voucher_from_row(row: dict, owner: Account) -> tuple[Voucher | None, list[str]]:
    """An unsaved voucher for one row, and what is wrong with it."""
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
    if not text.isdigit() or int(text) < 1:
        problems.append(f"{column}: a whole number of at least 1")
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
    day = parse_date(text) if len(text) == 10 else None
    if day is not None:
        # Valid through that whole day, UTC.
        return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC)
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        problems.append("expires: a date like 2027-12-31 or a time with zone")
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
