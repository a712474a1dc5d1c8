"""Review a run: summary, proposals, explanations, and the decisions on each row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, flash, request, url_for
from flask_babel import gettext as _

from portal import audit, htmx, policy
from portal.inputs import page_arg
from portal.models import STAFF, MatchRun, Proposal, RunStatus
from portal.programmes import access, bp, review, summary, swap
from portal.programmes.explain import explanation
from portal.programmes.forms import (
    ActionForm,
    BulkApproveForm,
    RejectForm,
    ReviewFilterForm,
    SwapForm,
)


def filters_of(form: ReviewFilterForm) -> summary.Filters:
    """The review list's filters from its form (none when the form is invalid)."""
    if not form.validate():
        return summary.Filters()
    minimum = form.min_score.data
    return summary.Filters(
        status=form.status.data or "",
        kind=form.kind.data or "",
        min_score=float(minimum) if minimum is not None else None,
        q=form.q.data or "",
    )


@bp.route("/runs/<int:run_id>/review", endpoint="review")
@policy.allow(*STAFF)
def review_run(run_id: int) -> Response:
    run = access.run_or_404(policy.user(), run_id)
    context = _review_context(run, full=not htmx.is_htmx())
    response = htmx.render("programmes/review.html", "programmes/_proposals.html", **context)
    # Rendered first: the audit's commit would expire the rows the page shows.
    students = [p.student for p in context["pagination"].items]
    students += [entry["student"] for entry in context.get("unmatched", [])]
    shown = dict.fromkeys((s.id, s.school_id) for s in students)
    audit.record_students_seen(policy.user(), shown, "student.list", {"run": run.id})
    return response


def _review_context(run: MatchRun, full: bool, **extra: Any) -> dict[str, Any]:
    """The review page's data; ``full`` adds the summary around the list."""
    form = ReviewFilterForm(request.args)
    filters = filters_of(form)
    number = page_arg()
    page = summary.proposals_page(run, filters, number)
    context: dict[str, Any] = {
        "run": run,
        "programme": run.programme,
        "filter_form": form,
        "filters": filters,
        "pagination": page,
        "pinned": review.pinned_pairs(list(page.items)),
        "superseded_by": review.superseded_by(run),
        "reject_form": RejectForm(formdata=None),
        "action_form": ActionForm(),
        "bulk_form": extra.pop("bulk_form", None) or BulkApproveForm(formdata=None),
    }
    if full:
        context.update(
            sides=summary.side_summaries(run),
            counts=summary.status_counts(run.id),
            unmatched=summary.unmatched_students(run),
            unmatched_total=summary.unmatched_total(run),
            succeeded=run.status == RunStatus.SUCCEEDED,
        )
    return {**context, **extra}


@bp.route("/proposals/<int:proposal_id>")
@policy.allow(*STAFF)
def proposal(proposal_id: int) -> Response:
    item = access.proposal_or_404(policy.user(), proposal_id)
    audit.record_view(policy.user(), "student", item.student_id, item.student.school_id, "proposal")
    return _proposal_page(item)


def _proposal_page(item: Proposal, status: int = 200, **extra: Any) -> Response:
    swap_form = extra.pop("swap_form", None)
    if swap_form is None and not htmx.is_htmx():  # the fragment has no swap form
        swap_form = _swap_form(item, SwapForm(formdata=None))
    context = {
        "proposal": item,
        "run": item.run,
        "explanation": explanation(item),
        "pinned": review.pinned_pairs([item]),
        "superseded_by": review.superseded_by(item.run),
        "reject_form": extra.pop("reject_form", None) or RejectForm(),
        "action_form": ActionForm(),
        "swap_form": swap_form,
        **extra,
    }
    return htmx.render(
        "programmes/proposal.html", "programmes/_explanation.html", status=status, **context
    )


def _row(item: Proposal, outcome: review.Outcome, status: int = 200, **extra: Any) -> Response:
    """The updated table row for htmx; otherwise a message and back to the review page."""
    fragment = "programmes/_proposal_row.html"
    return htmx.done(
        outcome.message,
        url_for("programmes.review", run_id=item.run_id),
        lambda: htmx.render(
            fragment,
            fragment,
            status=status,
            proposal=item,
            pinned=review.pinned_pairs([item]),
            superseded_by=review.superseded_by(item.run),
            message=outcome.message,
            reject_form=extra.pop("reject_form", None) or RejectForm(formdata=None),
            action_form=ActionForm(),
        ),
        "success" if outcome.ok else "error",
    )


@bp.route("/proposals/<int:proposal_id>/approve", methods=["POST"])
@policy.allow(*STAFF)
def approve(proposal_id: int) -> Response:
    item = access.proposal_or_404(policy.user(), proposal_id)
    outcome = review.approve_proposal(policy.user(), item.id)
    return _row(access.proposal_or_404(policy.user(), proposal_id), outcome)


@bp.route("/proposals/<int:proposal_id>/reject", methods=["POST"])
@policy.allow(*STAFF)
def reject(proposal_id: int) -> Response:
    item = access.proposal_or_404(policy.user(), proposal_id)
    form = RejectForm()
    if not form.validate_on_submit():
        failed = review.Outcome(False, "Give a reason to reject.")
        return htmx.either(
            lambda: _row(item, failed, 422, reject_form=form),
            lambda: _proposal_page(item, 422, reject_form=form),
        )
    outcome = review.reject_proposal(
        policy.user(), item.id, form.reason.data or "", bool(form.forbid.data)
    )
    return _row(access.proposal_or_404(policy.user(), proposal_id), outcome)


@bp.route("/proposals/<int:proposal_id>/pin", methods=["POST"])
@policy.allow(*STAFF)
def pin(proposal_id: int) -> Response:
    item = access.proposal_or_404(policy.user(), proposal_id)
    outcome = review.pin_proposal(policy.user(), item.id)
    return _row(access.proposal_or_404(policy.user(), proposal_id), outcome)


@bp.route("/proposals/<int:proposal_id>/swap", methods=["POST"], endpoint="swap")
@policy.allow(*STAFF)
def swap_partners(proposal_id: int) -> Response:
    item = access.proposal_or_404(policy.user(), proposal_id)
    form = _swap_form(item, SwapForm())
    if not form.validate_on_submit():
        return _proposal_page(item, 422, swap_form=form)
    other = access.proposal_or_404(policy.user(), form.other.data)
    if request.form.get("confirm") != "y":  # first the new scores, then the swap
        preview = swap.preview_swap(item.id, other.id, dt.date.today())
        if isinstance(preview, review.Outcome):
            flash(preview.message, "error")
            return htmx.redirect_to(url_for("programmes.proposal", proposal_id=item.id))
        item = access.proposal_or_404(policy.user(), proposal_id)
        return _proposal_page(item, swap_form=form, swap_preview=preview, swap_other=other.id)
    outcome = swap.swap_proposals(policy.user(), item.id, other.id, dt.date.today())
    flash(outcome.message, "success" if outcome.ok else "error")
    return htmx.redirect_to(url_for("programmes.proposal", proposal_id=item.id))


def _swap_form(item: Proposal, form: SwapForm) -> SwapForm:
    """The swap form with its choices: the run's open proposals worth swapping with."""
    form.other.choices = [
        (p.id, f"{p.student.first_name} {p.student.last_name}, now with {p.partner_name} "
               f"({p.score:.2f})")
        for p in swap.candidates(item)
    ]  # fmt: skip
    return form


@bp.route("/runs/<int:run_id>/approve-above", methods=["POST"])
@policy.allow(*STAFF)
def approve_above(run_id: int) -> Response:
    run = access.run_or_404(policy.user(), run_id)
    form = BulkApproveForm()
    back = url_for("programmes.review", run_id=run.id)
    if not form.validate_on_submit():
        context = _review_context(run, full=True, bulk_form=form)
        return htmx.invalid("programmes/review.html", "programmes/_bulk_form.html", **context)
    approved, skipped = review.approve_above(policy.user(), run.id, float(form.min_score.data))
    note = f" {skipped} could not be approved (see their rows)." if skipped else ""
    flash(_("%(approved)s proposals approved.%(note)s", approved=approved, note=note), "success")
    return htmx.redirect_to(back)
