"""The tag vocabulary: list by kind, add, rename a label."""

from __future__ import annotations

from flask import Response, flash, render_template, url_for
from flask_babel import gettext as _

from portal import htmx, policy
from portal.admin import bp, queries, services
from portal.admin.forms import TagForm, TagLabelForm
from portal.admin.views import ADMIN
from portal.extensions import db
from portal.models import Tag


@bp.route("/tags")
@policy.allow(ADMIN)
def tags() -> str:
    return render_template(
        "admin/tags.html", groups=queries.tags_by_kind(), form=TagForm(formdata=None)
    )


@bp.route("/tags", methods=["POST"])
@policy.allow(ADMIN)
def add_tag() -> Response:
    form = TagForm()
    if form.validate_on_submit():
        tag = services.add_tag(
            policy.user(), form.kind.data or "", form.slug.data or "", form.label.data or ""
        )
        flash(
            _("The %(kind)s tag “%(label)s” is added.", kind=tag.kind, label=tag.label), "success"
        )
        return htmx.redirect_to(url_for("admin.tags", _anchor=f"kind-{tag.kind}"))
    return htmx.invalid(
        "admin/tags.html", "admin/_tag_form.html", groups=queries.tags_by_kind(), form=form
    )


@bp.route("/tags/<int:tag_id>", methods=["POST"])
@policy.allow(ADMIN)
def rename_tag(tag_id: int) -> Response:
    tag = db.get_or_404(Tag, tag_id)
    form = TagLabelForm()
    if not form.validate_on_submit():
        return htmx.invalid("admin/tag.html", "admin/_tag_row.html", tag=tag, label_form=form)
    services.rename_tag(policy.user(), tag, form.label.data or "")
    return htmx.done(
        _("The tag %(slug)s is now labelled “%(label)s”.", slug=tag.slug, label=tag.label),
        url_for("admin.tags", _anchor=f"kind-{tag.kind}"),
        lambda: htmx.render("admin/tag.html", "admin/_tag_row.html", tag=tag, notice="Saved."),
    )
