"""Spreadsheet output: CSV streamed line by line, .xlsx written in openpyxl's write-only mode.

Both formats pass every cell through :func:`neutralise`, so a value a person typed (a name,
a job title) never runs as a formula when the file is opened in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@")
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def neutralise(value: Any) -> Any:
    """A text cell that starts like a formula gets a leading apostrophe; others unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV file one line at a time (a byte-order mark first, for Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in _cells(header, rows):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def xlsx_file(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> IO[bytes]:
    """The workbook in a temporary file (deleted when closed), rewound for sending."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in _cells(header, rows):
        sheet.append(row)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response that sends it
    workbook.save(out)
    out.seek(0)
    return out


def _cells(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    yield list(header)
    for row in rows:
        yield [neutralise(value) for value in row]
