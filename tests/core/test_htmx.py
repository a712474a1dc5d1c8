"""The htmx helper: fragments for htmx, pages otherwise, and an expired session said aloud."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, get_flashed_messages
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from portal import htmx
from tests.conftest import make_app

HTMX = {"HX-Request": "true"}
EXPIRED = "Your session expired: reload the page, then try again."


def test_an_htmx_post_with_a_bad_token_gets_a_message_htmx_swaps(tmp_path: Path) -> None:
    client = make_app(tmp_path, WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/login", data={"csrf_token": "x" * 40}, headers=HTMX)
    # 422 is the one error status the htmx-config meta swaps; the message goes atop <main>.
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#main"
    assert response.headers["HX-Reswap"] == "afterbegin"
    body = response.get_data(as_text=True)
    assert EXPIRED in body and 'role="alert"' in body
    assert "<html" not in body


def test_a_plain_post_with_a_bad_token_gets_the_page_with_the_message(tmp_path: Path) -> None:
    client = make_app(tmp_path, WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/login", data={"csrf_token": "x" * 40})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert EXPIRED in body and "<html" in body
    assert "HX-Retarget" not in response.headers


def test_the_htmx_config_swaps_422_and_not_400() -> None:
    base = (Path(__file__).resolve().parents[2] / "templates" / "base.html").read_text()
    assert '{"code": "422", "swap": true}' in base
    assert '{"code": "[45]..", "swap": false, "error": true}' in base


class _NameForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired()])


def test_form_page_is_the_page_or_its_fragment_and_422_only_with_errors(app: Flask) -> None:
    page, fragment = "errors/error.html", "errors/_expired.html"
    with app.test_request_context("/", method="POST", data={"name": ""}):
        form = _NameForm(meta={"csrf": False})
        form.validate()
        plain = htmx.form_page(form, page, fragment, code=400)
    with app.test_request_context("/", method="POST", data={"name": ""}, headers=HTMX):
        form = _NameForm(meta={"csrf": False})
        form.validate()
        swapped = htmx.form_page(form, page, fragment)
    with app.test_request_context("/"):
        fresh = htmx.form_page(_NameForm(meta={"csrf": False}), page, fragment, code=400)
    assert (plain.status_code, swapped.status_code, fresh.status_code) == (422, 422, 200)
    assert "<html" in plain.get_data(as_text=True)
    assert "<html" not in swapped.get_data(as_text=True)


def test_done_gives_htmx_the_fragment_and_others_a_flash_and_a_303(app: Flask) -> None:
    def fragment() -> object:
        return htmx.render("errors/_expired.html", "errors/_expired.html")

    with app.test_request_context("/", method="POST", headers=HTMX):
        swapped = htmx.done("Saved.", "/next", fragment)  # type: ignore[arg-type]
        assert get_flashed_messages() == []
    with app.test_request_context("/", method="POST"):
        moved = htmx.done("Saved.", "/next", fragment)  # type: ignore[arg-type]
        assert get_flashed_messages() == ["Saved."]
    assert swapped.status_code == 200 and EXPIRED in swapped.get_data(as_text=True)
    assert (moved.status_code, moved.headers["Location"]) == (303, "/next")


def test_done_without_a_fragment_redirects_htmx_with_hx_redirect(app: Flask) -> None:
    with app.test_request_context("/", method="POST", headers=HTMX):
        response = htmx.done("Saved.", "/next")
        assert get_flashed_messages() == ["Saved."]
    assert (response.status_code, response.headers["HX-Redirect"]) == (204, "/next")
