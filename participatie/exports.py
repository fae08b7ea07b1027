"""CSV exports that Excel opens right (UTF-8 with BOM, semicolons) and that cannot run formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

BOM = "\ufeff"


def safe_cell(value: object) -> str:
    """Return a cell as text; text that a spreadsheet would run as a formula is quoted.

    Decimals get a comma, as the separator (';') is Dutch Excel's: there "1980.5" would be
    read as 19805 (the dot groups thousands) and "1.71" as a date.
    """
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Write a CSV document with a BOM, a header row and one row per item."""
    buffer = io.StringIO()
    # Dutch Excel expects ';' as the separator (the comma is the decimal sign)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return BOM + buffer.getvalue()


def small_cell(count: int) -> str:
    """Show counts from 1 to 4 as '<5' so no one can be singled out."""
    return "<5" if 0 < count < 5 else str(count)


def small_cells(total: int, parts: Sequence[int]) -> list[str]:
    """Show the parts of a shown total (per wijk, per period) so none can be worked out.

    Counts from 1 to 4 read '<5' (`small_cell`). When the total minus the parts shown would still
    give them away (one hidden part, or hidden parts that are all 1 or all 4), the smallest part
    of 5 or more reads '≥5' as well. A total under 5 is hidden itself, so nothing is to subtract.
    """
    cells = [small_cell(n) for n in parts]
    hidden = [n for n in parts if 0 < n < 5]
    if total < 5 or not hidden:
        return cells
    if len(hidden) == 1 or sum(hidden) in (len(hidden), 4 * len(hidden)):
        shown = [k for k, n in enumerate(parts) if n >= 5]
        if shown:
            cells[min(shown, key=lambda k: parts[k])] = "≥5"
    return cells
