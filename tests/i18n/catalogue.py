"""The templates students, guardians and partners see, and their Spanish catalogue."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
SPANISH_PO = ROOT / "portal/translations/es/LC_MESSAGES/messages.po"
SPANISH_MO = ROOT / "portal/translations/es/LC_MESSAGES/messages.mo"

# Every template a student, a guardian or a partner (mentor, organisation) sees, by area.
USER_TEMPLATE_GLOBS = (
    # the frame of every page
    "base.html",
    "_flashes.html",
    "_nav_student.html",
    "_nav_mentor.html",
    "_nav_organisation.html",
    "macros/*.html",
    "errors/*.html",
    # the start page, login, password reset and the account page
    "main/*.html",
    "auth/*.html",
    # sign-up, confirmation, profiles and projects
    "signup/*.html",
    # the year of a match: homes, agreement, meetings, feedback
    "relationships/*.html",
    # safeguarding: the guardian's consent pages and reporting a concern
    "safeguarding/consent.html",
    "safeguarding/consent_done.html",
    "safeguarding/consent_invalid.html",
    "safeguarding/report.html",
    "safeguarding/_report_form.html",
    "safeguarding/_nav_student.html",
    "safeguarding/_nav_mentor.html",
    "safeguarding/_nav_organisation.html",
)


def user_templates() -> list[Path]:
    """The files of ``USER_TEMPLATE_GLOBS`` (each glob must match something)."""
    found: list[Path] = []
    for pattern in USER_TEMPLATE_GLOBS:
        matches = sorted(TEMPLATES.glob(pattern))
        assert matches, f"no template matches {pattern}"
        found.extend(matches)
    return found
