"""The tag vocabulary: list by kind, add, rename."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from portal.extensions import db
from portal.models import AuditEvent, Tag, User
from portal.vocabulary import ensure_default_vocabulary

HTMX = {"HX-Request": "true"}


def _tag(slug: str, kind: str = "interest") -> Tag | None:
    return db.session.scalar(db.select(Tag).where(Tag.kind == kind, Tag.slug == slug))


def test_tags_listed_by_kind(client: FlaskClient, admin: User) -> None:
    ensure_default_vocabulary()
    page = client.get("/admin/tags").get_data(as_text=True)
    assert 'id="kind-interest"' in page and 'id="kind-skill"' in page
    assert "<code>robotics</code>" in page


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_add_tag(client: FlaskClient, admin: User, headers: dict[str, str]) -> None:
    data = {"kind": "interest", "slug": "marine-biology", "label": "Marine biology"}
    response = client.post("/admin/tags", data=data, headers=headers)
    assert response.status_code == (204 if headers else 303)
    tag = _tag("marine-biology")
    assert tag is not None and tag.label == "Marine biology"
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "tag.added" in actions


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": ""}, "This field is required."),
        ({"slug": "Marine Biology"}, "Use lowercase letters"),
        ({"slug": "marine--biology"}, "Use lowercase letters"),
        ({"slug": "-marine"}, "Use lowercase letters"),
        ({"slug": "café"}, "Use lowercase letters"),
        ({"slug": "<script>"}, "Use lowercase letters"),
        ({"slug": "a" * 49}, "Field cannot be longer than 48 characters."),
        ({"slug": "robotics"}, "already has a tag with this slug"),
        ({"label": ""}, "This field is required."),
        ({"label": "L" * 81}, "Field cannot be longer than 80 characters."),
        ({"label": "Bad\x01label"}, "invisible or control characters"),
        ({"kind": "colour"}, "Not a valid choice"),
    ],
)
def test_bad_tags_are_422_and_save_nothing(
    client: FlaskClient, admin: User, changes: dict[str, str], message: str
) -> None:
    ensure_default_vocabulary()
    before = len(db.session.scalars(db.select(Tag)).all())
    data = {"kind": "interest", "slug": "marine-biology", "label": "Marine biology", **changes}
    response = client.post("/admin/tags", data=data, headers=HTMX)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert len(db.session.scalars(db.select(Tag)).all()) == before


def test_same_slug_in_another_kind_is_fine(client: FlaskClient, admin: User) -> None:
    ensure_default_vocabulary()
    data = {"kind": "field", "slug": "robotics", "label": "Robotics"}
    assert client.post("/admin/tags", data=data).status_code == 303
    assert _tag("robotics", "field") is not None


def test_rename_tag_with_htmx_swaps_the_row(client: FlaskClient, admin: User) -> None:
    ensure_default_vocabulary()
    tag = _tag("robotics")
    assert tag is not None
    response = client.post(f"/admin/tags/{tag.id}", data={"label": "Robots!"}, headers=HTMX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="tag-{tag.id}"') and 'value="Robots!"' in body
    db.session.refresh(tag)
    assert (tag.slug, tag.label) == ("robotics", "Robots!")


@pytest.mark.parametrize("label", ["", "L" * 81, "a\x7fb"])
def test_rename_tag_bad_label(client: FlaskClient, admin: User, label: str) -> None:
    ensure_default_vocabulary()
    tag = _tag("robotics")
    assert tag is not None
    response = client.post(f"/admin/tags/{tag.id}", data={"label": label})
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    db.session.refresh(tag)
    assert tag.label == "Robotics"


def test_rename_unknown_tag_is_404(client: FlaskClient, admin: User) -> None:
    assert client.post("/admin/tags/999", data={"label": "x"}).status_code == 404
