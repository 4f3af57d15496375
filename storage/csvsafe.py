"""CSV files that are safe to open in a spreadsheet (the OWASP "CSV injection" rule).

A spreadsheet program reads a cell that starts with `=`, `+`, `-` or `@` as a formula (and
some skip a leading tab or carriage return first), so a resident who types
`=HYPERLINK("http://evil","x")` as a comment would plant a live link or a command in the
working group's copy of an export. Every CSV the project writes goes through `Writer` or
`DictWriter` here (a test holds every module to it), which put a single quote `'` before
such a text cell: the spreadsheet shows `'=HYPERLINK("http://evil","x")` as text. The
tab-separated `roles list` passes its fields through `cell` too.

* Text is quoted whatever it looks like: a resident's "-5" or "-1+1" becomes "'-5" and
  "'-1+1". Numbers our code writes as `int` or `float` (a rating, an average, a latitude of
  -33.9) stay numbers: a number cannot carry a formula.
* A text cell that already starts with quotes followed by one of those characters
  (`'=x`) gets one more quote (`''=x`), so `unquote` undoes `cell` exactly. Files that are
  imported again (the services catalogue, waste content) pass their cells through
  `unquote`, so an export imports back unchanged; a hand-made file without the quotes
  imports as before.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    _DictWriter = csv.DictWriter[str]
else:
    _DictWriter = csv.DictWriter  # generic for the type checker only (typeshed)

FORMULA_START = "=+-@\t\r"
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def cell(value: object) -> object:
    """`value` as a spreadsheet will not run it: text that a spreadsheet would read as a
    formula gets a leading `'`; numbers, empty cells (None) and other text stay as they are."""
    if value is None or isinstance(value, int | float):  # bool is an int: "True"/"False"
        return value
    text = str(value)
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def unquote(text: str) -> str:
    """The cell text before `cell` quoted it (text it did not quote is returned as is)."""
    return text[1:] if _QUOTED.match(text) else text


class Writer:
    """`csv.writer` whose cells pass through `cell`."""

    def __init__(self, stream: SupportsWrite[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class DictWriter(_DictWriter):
    """`csv.DictWriter` whose cells (the header too) pass through `cell`."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for rowdict in rowdicts:
            self.writerow(rowdict)
