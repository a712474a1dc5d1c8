"""Counselor dashboard, partners pending verification, background checks, decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, render_template, request, url_for

from portal import audit, figures, htmx, policy
from portal.counselor import access, bp, queries, services
from portal.counselor.forms import ApproveForm, CheckForm, DeclineForm, TrainingForm
from portal.inputs import page_arg
from portal.models import STAFF, CheckKind, Verification
from portal.programmes import panel as programmes_panel
from portal.safeguarding import checks
from portal.safeguarding import panel as safeguarding_panel

STATUSES = {status.value: status for status in Verification}


@bp.route("/")
@policy.allow(*STAFF)
def dashboard() -> str:
    actor, today = policy.user(), dt.date.today()
    scope = policy.school_scope(actor)
    kept = figures.of(scope)  # the kept counts, read once for the panels and the figures
    panels = {
        "programmes_panel": programmes_panel.panel_for(actor, today),
        "safeguarding_panel": safeguarding_panel.panel_for(scope, today, kept),
    }
    counts = queries.dashboard_counts(scope, today, kept)
    page = render_template("counselor/dashboard.html", counts=counts, **panels)
    # Its panels list students (awaiting consent, quiet matches): one event per student shown.
    shown = dict.fromkeys((s.id, s.school_id) for p in panels.values() for s in p["students"])
    audit.record_students_seen(actor, list(shown), "student.list", {"page": "dashboard"})
    return page


@bp.route("/partners")
@policy.allow(*STAFF)
def partners() -> Response:
    status = STATUSES.get(request.args.get("status", ""), Verification.PENDING)
    pagination, rows = queries.partners_page(policy.school_scope(policy.user()), status, page_arg())
    return htmx.render(
        "counselor/partners.html",
        "counselor/_partner_list.html",
        state=status,
        pagination=pagination,
        rows=rows,
        today=dt.date.today(),
        describe_expiry=queries.describe_expiry,
    )


@bp.route("/partners/<kind>/<int:partner_id>")
@policy.allow(*STAFF)
def partner(kind: str, partner_id: int) -> Response:
    found = access.partner_or_404(policy.user(), kind, partner_id)
    return _panel(found)


@bp.route("/partners/<kind>/<int:partner_id>/checks", methods=["POST"])
@policy.allow(*STAFF)
def record_check(kind: str, partner_id: int) -> Response:
    found = access.partner_or_404(policy.user(), kind, partner_id)
    form = CheckForm()
    if not form.validate_on_submit():
        return _panel(found, 422, check_form=form)
    services.record_check(
        policy.user(),
        found,
        kind=CheckKind(form.kind.data),
        reference=form.reference.data or "",
        checked_on=form.checked_on.data,
        expires_on=form.expires_on.data,
        passed=form.outcome.data == "passed",
    )
    return _done(found, "The background check is recorded.")


@bp.route("/partners/<kind>/<int:partner_id>/approve", methods=["POST"])
@policy.allow(*STAFF)
def approve(kind: str, partner_id: int) -> Response:
    found = access.partner_or_404(policy.user(), kind, partner_id)
    try:
        services.approve_partner(policy.user(), found)
    except services.NoValidCheckError as refused:
        return _panel(found, 422, approve_error=str(refused))
    return _done(found, f"{found.display_name} is verified.")


@bp.route("/partners/<kind>/<int:partner_id>/decline", methods=["POST"])
@policy.allow(*STAFF)
def decline(kind: str, partner_id: int) -> Response:
    found = access.partner_or_404(policy.user(), kind, partner_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _panel(found, 422, decline_form=form)
    paused = services.decline_partner(policy.user(), found, form.reason.data or "")
    note = f" {len(paused)} live match(es) paused." if paused else ""
    return _done(found, f"{found.display_name} is declined.{note}")


def _panel(
    found: services.Partner,
    status: int = 200,
    fragment: str = "counselor/_verification_panel.html",
    **context: Any,
) -> Response:
    """The partner page, or only one of its panels (verification by default) for htmx."""
    today = dt.date.today()
    best = checks.valid_check(found.user_id, today)
    context.setdefault("check_form", CheckForm(formdata=None))
    context.setdefault("decline_form", DeclineForm(formdata=None))
    context.setdefault("training_form", TrainingForm(formdata=None))
    return htmx.render(
        "counselor/partner.html",
        fragment,
        status,
        trainings=queries.trainings_of(found),
        partner=found,
        kind=services.partner_kind(found),
        name=found.display_name,
        checks=queries.checks_of(found),
        expiry=queries.describe_expiry(best.expires_on if best else None, today),
        has_valid_check=best is not None,
        approve_form=ApproveForm(formdata=None),
        **context,
    )


def _done(
    found: services.Partner, message: str, fragment: str = "counselor/_verification_panel.html"
) -> Response:
    """After a change: the refreshed panel for htmx, else a flash and a redirect."""
    url = url_for("counselor.partner", kind=services.partner_kind(found), partner_id=found.id)
    return htmx.done(message, url, lambda: _panel(found, fragment=fragment, notice=message))
