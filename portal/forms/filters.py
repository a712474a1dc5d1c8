"""The base of every list's filter form (a GET form: nothing changes, so no CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm


class FilterForm(FlaskForm):
    """Filters read from the query string; a value that fails its check is left out."""

    class Meta:
        csrf = False

    def valid_data(self) -> dict[str, Any]:
        """Each field's value, leaving out the fields with errors (call after ``validate``)."""
        return {name: value for name, value in self.data.items() if name not in self.errors}
