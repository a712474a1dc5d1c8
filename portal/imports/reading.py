"""An uploaded class list (.csv or .xlsx) as a header and rows of text; never a formula run."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook

MAX_ROWS = 25_000
XLSX_MAGIC = b"PK\x03\x04"


class UploadError(ValueError):
    """The file cannot be read as a class list (the message says why, for the counselor)."""


@dataclass(frozen=True)
class Table:
    """The header and data rows of a file; ``rows`` pairs each row with its row number."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]


def read_table(filename: str, data: bytes, max_bytes: int) -> Table:
    """Read ``data`` (named ``filename``) as CSV or .xlsx, checking size, type and content."""
    if not data.strip():
        raise UploadError("The file is empty.")
    if len(data) > max_bytes:
        raise UploadError(f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise UploadError("Upload a .csv or .xlsx file.")
    if not table.headers or not any(table.headers):
        raise UploadError("The file has no header row.")
    if not table.rows:
        raise UploadError("The file has a header row but no students.")
    if len(table.rows) > MAX_ROWS:
        raise UploadError(f"The file has more than {MAX_ROWS} rows; split it.")
    return table


def _read_csv(data: bytes) -> Table:
    if data.startswith(XLSX_MAGIC) or b"\x00" in data[:4096]:
        raise UploadError("This is not a CSV text file: save the list as CSV or .xlsx.")
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        reader = csv.reader(io.StringIO(text), dialect)
        lines = list(reader)
    except csv.Error:
        lines = list(csv.reader(io.StringIO(text)))
    return _table([[cell.strip() for cell in line] for line in lines])


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Excel's Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UploadError(
            "The file's characters could not be read: save it as 'CSV UTF-8' and try again."
        ) from exc


def _read_xlsx(data: bytes) -> Table:
    if not data.startswith(XLSX_MAGIC):
        raise UploadError("This is not an Excel .xlsx file: save the list as CSV or .xlsx.")
    try:
        # data_only=False: a formula cell reads as its formula text, never as a result.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
        lines = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise UploadError("The Excel file could not be read: save it again and retry.") from exc
    return _table(lines)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(lines: list[list[str]]) -> Table:
    numbered = [(number, line) for number, line in enumerate(lines, start=1) if any(line)]
    if not numbered:
        return Table([], [])
    _first, headers = numbered[0]
    width = len(headers)
    rows = [(number, (line + [""] * width)[:width]) for number, line in numbered[1:]]
    return Table(headers, rows)
