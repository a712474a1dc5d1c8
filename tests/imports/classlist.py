"""Class lists for the import tests: rows that pass the sign-up rules, and ways to break them."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from portal.signup.fields import birth_dates_for

HEADERS = [
    "Student ID",
    "First Name",
    "Surname",
    "Grade",
    "DOB",
    "Email",
    "Parent Name",
    "Parent Email",
    "Preferred Language",
]


def row(i: int, grade: int = 9) -> list[str]:
    """A good row: a minor with a guardian (grade 9 -> about 14)."""
    earliest, latest = birth_dates_for(grade, dt.date.today())
    born = earliest + (latest - earliest) / 2
    return [
        f"S{i:05d}",
        f"Ana{i}",
        f"Okafor{i}",
        str(grade),
        born.isoformat(),
        f"student{i}@riverside.example.org",
        f"Parent {i}",
        f"parent{i}@example.org",
        "es" if i % 2 else "English",
    ]


def rows(count: int) -> list[list[str]]:
    """``count`` good rows."""
    return [row(i) for i in range(1, count + 1)]


def csv_bytes(
    lines: list[list[str]], headers: list[str] = HEADERS, encoding: str = "utf-8"
) -> bytes:
    """A CSV file of ``lines`` under ``headers``."""
    text = "\r\n".join(",".join(cells) for cells in [headers, *lines]) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(lines: list[list[object]], headers: list[str] = HEADERS) -> bytes:
    """An .xlsx file of ``lines`` under ``headers``, written with openpyxl."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_three_bad(lines: list[list[str]]) -> list[list[str]]:
    """``lines`` with row 11 given an unknown grade, row 101 no name, row 201 a bad date."""
    broken = [list(line) for line in lines]
    broken[9][3] = "Year Z"
    broken[99][1] = ""
    broken[199][4] = "31/02/2010"
    return broken
