"""Download a list (CSV or .xlsx, with the page's filters) and read the outcome report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, render_template, request, send_file, stream_with_context

from portal import policy
from portal.counselor.forms import StudentFilterForm
from portal.inputs import MAX_ID
from portal.models import STAFF, Verification
from portal.programmes import access as programme_access
from portal.programmes.forms import ReviewFilterForm
from portal.programmes.review_views import filters_of
from portal.relationships.staff_views import relationship_filters
from portal.reports import bp, charts, exports, outcomes, spreadsheet, summaries


@bp.route("/export/<kind>")
@policy.allow(*STAFF)
def export(kind: str) -> Response:
    """A list of the counselor's schools as a file, filtered as on its page."""
    make = exports.KINDS.get(kind)
    if make is None:
        abort(404)
    scope = _scope()
    filters = _list_filters(kind, scope)
    return _send(make(scope, filters), filters)


@bp.route("/runs/<int:run_id>/proposals")
@policy.allow(*STAFF)
def export_proposals(run_id: int) -> Response:
    """A run's proposals as a file, filtered as on its review page."""
    run = programme_access.run_or_404(policy.user(), run_id)
    filters = filters_of(ReviewFilterForm(request.args))
    return _send(exports.proposals(run, filters), {**filters.args(), "run": run.id})


def _scope() -> set[int] | None:
    """The caller's schools, or the one ``school_id`` asked for (another school: 404)."""
    actor = policy.user()
    school_id = _id_arg("school_id")
    if school_id is None:
        return policy.school_scope(actor)
    policy.check_school(actor, school_id)
    return {school_id}


def _id_arg(name: str) -> int | None:
    """A database id from the query string; None when missing or not one (never an overflow)."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def _list_filters(kind: str, scope: set[int] | None) -> dict[str, Any]:
    """The list page's filters from the query string (invalid ones are left out)."""
    if kind == "relationships":
        return relationship_filters(scope)[1]
    if kind == "students":
        form = StudentFilterForm(request.args)
        form.validate()
        return {k: v for k, v in form.valid_data().items() if v}
    if kind == "partners":
        status = request.args.get("status", "")
        return {"status": status if status in set(Verification) else Verification.PENDING}
    confirmed = request.args.get("confirmed", "")
    return {
        "programme_id": _id_arg("programme_id"),
        "confirmed": confirmed if confirmed in ("yes", "no") else "",
    }


def _send(table: exports.Table, filters: dict[str, Any]) -> Response:
    """Audit the export, then stream the CSV or send the .xlsx."""
    fmt = request.args.get("format", "csv")
    if fmt not in spreadsheet.FORMATS:
        abort(404)
    exports.record_export(policy.user(), table, fmt, filters, table.count())
    name = f"{table.kind}-{dt.date.today().isoformat()}.{fmt}"
    if fmt == "xlsx":
        out = spreadsheet.xlsx_file(table.kind, table.header, table.rows())
        return send_file(out, spreadsheet.XLSX_MIMETYPE, as_attachment=True, download_name=name)
    # Sent while the rows are read, a batch at a time, in the request's context.
    lines = stream_with_context(spreadsheet.csv_lines(table.header, table.rows()))
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(lines, mimetype=spreadsheet.CSV_MIMETYPE, headers=headers)


@bp.route("/programmes/<int:programme_id>/outcomes")
@policy.allow(*STAFF)
def programme_outcomes(programme_id: int) -> str:
    """The outcome report of one programme."""
    programme = programme_access.programme_or_404(policy.user(), programme_id)
    return _report(*summaries.report(programme.name, programme.school_id, programme.id, _now()))


@bp.route("/schools/<int:school_id>/outcomes")
@policy.allow(*STAFF)
def school_outcomes(school_id: int) -> str:
    """The outcome report of every programme of a school."""
    school = policy.school_or_404(policy.user(), school_id)
    return _report(*summaries.report(school.name, school.id, None, _now()))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _report(figures: outcomes.Outcomes, as_of: dt.datetime) -> str:
    return render_template(
        "reports/outcomes.html", o=figures, as_of=as_of, charts=outcome_charts(figures)
    )


def outcome_charts(o: outcomes.Outcomes) -> dict[str, Any]:
    """The report's SVG charts."""
    coverage = [("Eligible", o.eligible), ("Matched", o.matched), ("Unmatched", o.unmatched)]
    reaching = [(f"Reached {k}", round(v * 100, 1)) for k, v in o.reaching.items()]
    return {
        "coverage": charts.bar_chart("Coverage", coverage),
        "reasons": charts.bar_chart("Unmatched by reason", list(o.unmatched_by_reason.items())),
        "length": charts.bar_chart("Matches reaching a target length", reaching, "%"),
        "satisfaction": charts.bar_chart(
            "Exit-survey satisfaction (answers per score, 5 is best)",
            [(f"{score} of 5", n) for score, n in o.satisfaction.items()],
        ),
        "closures": charts.bar_chart("Closures by reason", list(o.closures_by_reason.items())),
        "meetings": charts.bar_chart(
            "Confirmed meetings per month", list(o.meetings_by_month.items())
        ),
    }
