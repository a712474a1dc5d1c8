"""Request input the database could not hold, refused at the door (never a 500 or a 503).

* ``<int:...>`` in every route is :class:`BoundedIntConverter`: an id above the 64-bit
  range of the database's integer columns matches no route, so it is a 404 before any
  query runs (SQLite raises ``OverflowError`` and PostgreSQL ``NumericValueOutOfRange``).
* :func:`page_arg` is the one reader of ``?page=``: a whole number from 1 to ``MAX_PAGE``;
  :func:`filter_args` the other arguments, which a list's pager links keep.
* Flask-WTF puts multipart file parts into the form data, so a text field sent as a file
  reached the validators as a ``FileStorage``. :func:`_refuse_files` answers with a 400 any
  request that carries a file part, except in the fields a view declares with
  :func:`accepts_files` (a class list upload).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, Response, current_app, make_response, render_template, request
from werkzeug.routing import IntegerConverter, Map

View = TypeVar("View", bound=Callable[..., Any])

# The largest value of a signed 64-bit integer (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1
# Far beyond any list of the portal, and its offset stays within 64 bits at any page size.
MAX_PAGE = 1_000_000


class BoundedIntConverter(IntegerConverter):
    """``int`` in URLs: a non-negative integer no larger than :data:`MAX_ID`."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Register the bounded ``int`` converter (before any route) and the file-part refusal."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(_refuse_files)


def page_arg() -> int:
    """The ``page`` query argument: 1 when missing, not a number or below 1; at most MAX_PAGE."""
    number = request.args.get("page", 1, type=int) or 1
    return min(max(number, 1), MAX_PAGE)


def filter_args() -> dict[str, str]:
    """The non-empty query arguments but ``page``: the filters a list's pager links keep."""
    return {name: value for name, value in request.args.items() if name != "page" and value}


def accepts_files(*fields: str) -> Callable[[View], View]:
    """Let the view take a file part in ``fields`` (every other field still refuses files)."""

    def declare(view: View) -> View:
        view.accepted_files = frozenset(fields)  # type: ignore[attr-defined]
        return view

    return declare


def _refuse_files() -> Response | None:
    if not request.files:
        return None
    view = current_app.view_functions.get(request.endpoint or "")
    allowed: frozenset[str] = getattr(view, "accepted_files", frozenset())
    if set(request.files) <= allowed:
        return None
    page = render_template("errors/error.html", code=400, name="Files are not accepted")
    return make_response(page, 400)
