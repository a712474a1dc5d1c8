"""Counts kept per school, so pages read a figure instead of counting the district."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.models.base import Base


class SchoolFigure(Base):
    """How many rows of a school are in one state, e.g. ``students:awaiting:minor``.

    Kept in the transaction that changes the rows (``portal.figures``); ``flask figures
    recount`` rebuilds every one from the rows.
    """

    __tablename__ = "school_figures"

    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(48), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


class OutcomeSummary(Base):
    """An outcome report's figures as computed at ``computed_at`` (``portal.reports.summaries``).

    One row per report, keyed ``programme:<id>`` or ``school:<id>``; the page shows these
    figures "as of" their time while they are younger than ``OUTCOME_REPORT_MAX_AGE`` seconds,
    and a periodic job recomputes the ones in use.
    """

    __tablename__ = "outcome_summaries"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"), index=True)
    figures: Mapped[dict[str, Any]]
    computed_at: Mapped[dt.datetime]
