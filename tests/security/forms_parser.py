"""Find the fields of the forms on a page: names, and the values offered for choices."""

from __future__ import annotations

from html.parser import HTMLParser


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, set[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        name = attr.get("name")
        if tag in ("input", "textarea", "select", "button") and name and name != "csrf_token":
            values = self.fields.setdefault(name, set())
            if tag in ("input", "button") and attr.get("value"):
                values.add(attr["value"] or "")
            self._select = name if tag == "select" else None
        if tag == "option" and self._select and attr.get("value") is not None:
            self.fields[self._select].add(attr["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def form_fields(html: str) -> dict[str, set[str]]:
    """Field name → values the page offers (empty for free text)."""
    parser = _Fields()
    parser.feed(html)
    return parser.fields
