"""The one place that reads and writes htmx headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, flash, make_response, redirect, render_template, request
from flask_wtf import FlaskForm


def init_app(app: Flask) -> None:
    """Add ``Vary: HX-Request`` to every response (pages and fragments share URLs)."""
    app.after_request(_vary)


def _vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response


def is_htmx() -> bool:
    """True when the request comes from htmx (and is not a history restore)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render(page: str, fragment: str, status: int = 200, **context: Any) -> Response:
    """Render the whole ``page``, or only ``fragment`` for an htmx request."""
    template = fragment if is_htmx() else page
    return make_response(render_template(template, **context), status)


def invalid(page: str, fragment: str, **context: Any) -> Response:
    """A form with errors: 422, which htmx is configured to swap."""
    return render(page, fragment, status=422, **context)


def redirect_to(url: str) -> Response:
    """Redirect after a state change: ``HX-Redirect`` for htmx, 303 otherwise."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)  # type: ignore[return-value]


def retarget(response: Response, target: str, swap: str) -> Response:
    """Tell htmx to swap ``response`` into ``target`` (a CSS selector) with ``swap``."""
    response.headers["HX-Retarget"] = target
    response.headers["HX-Reswap"] = swap
    return response


def form_page(form: FlaskForm, page: str, fragment: str, **context: Any) -> Response:
    """The form's ``page`` (its ``fragment`` for htmx), with 422 when the form has errors."""
    return render(page, fragment, 422 if form.errors else 200, form=form, **context)


def either(fragment: Callable[[], Response], page: Callable[[], Response]) -> Response:
    """``fragment()`` for htmx, else ``page()`` (for a fragment built from other data)."""
    return fragment() if is_htmx() else page()


def done(
    message: str,
    url: str,
    fragment: Callable[[], Response] | None = None,
    category: str = "success",
) -> Response:
    """After a state change: ``fragment()`` for htmx when given, else flash and redirect."""

    def _flash_and_redirect() -> Response:
        flash(message, category)
        return redirect_to(url)

    if fragment is None:
        return _flash_and_redirect()
    return either(fragment, _flash_and_redirect)
