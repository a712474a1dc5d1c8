"""Lists a page at a time: one helper, page sizes from the settings (``PER_PAGE`` for every
list, ``AUDIT_PER_PAGE`` for the audit trail).

Views read the page number with :func:`portal.inputs.page_arg`; the queries that list rows
hand their statement to :func:`paginate`.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from portal.extensions import db


def paginate(
    query: Select[Any], page: int, *, size: str = "PER_PAGE", count: bool = True
) -> Pagination:
    """Page ``page`` of ``query``, ``size`` naming the page-size setting (past the last
    page: an empty page, never a 404). ``count=False`` leaves the total to the caller (a
    list with a leaner count query)."""
    per_page = int(current_app.config[size])
    return db.paginate(query, page=page, per_page=per_page, error_out=False, count=count)
