"""The outbox page: every email, for administrators only."""

from __future__ import annotations

from flask.testing import FlaskClient

from portal.extensions import db
from portal.mail import queue_email
from portal.models import User, utcnow
from tests import factories
from tests.conftest import AuthActions


def test_outbox_lists_queued_and_sent_mail(client: FlaskClient, admin: User) -> None:
    queue_email("a@example.org", "Queued one", "Body <b>one</b>")
    sent = queue_email("b@example.org", "Sent one", "Body two")
    sent.sent_at = utcnow()
    db.session.commit()
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Queued one" in page and "Sent one" in page
    assert "Body &lt;b&gt;one&lt;/b&gt;" in page
    assert page.index("Sent one") < page.index("Queued one")  # newest first
    assert 'badge-warn">queued' in page and 'badge-ok">sent' in page


def test_outbox_is_for_admins_only(client: FlaskClient, auth: AuthActions, app: object) -> None:
    auth.login_as(factories.make_counselor())
    assert client.get("/admin/outbox").status_code == 403
