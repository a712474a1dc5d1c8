"""Lists a page at a time: one page size (the ``PER_PAGE`` setting) and one way to page.

Views read the page number with :func:`portal.inputs.page_arg`; the queries that list rows
hand their statement to :func:`paginate`.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from portal.extensions import db


def per_page() -> int:
    """Rows per page of every list (the ``PER_PAGE`` setting)."""
    return int(current_app.config["PER_PAGE"])


def paginate(query: Select[Any], page: int, *, count: bool = True) -> Pagination:
    """Page ``page`` of ``query`` (past the last page: an empty page, never a 404).

    ``count=False`` leaves the total to the caller (a list with a leaner count query).
    """
    return db.paginate(query, page=page, per_page=per_page(), error_out=False, count=count)
