"""The shared vocabulary: tags (admin-managed, in the database), slots, languages, areas."""

from __future__ import annotations

from flask_babel import gettext

from portal.extensions import db
from portal.i18n import LazyText
from portal.i18n import lazy_text as _l
from portal.models import Tag

DAYS = (
    ("mon", _l("Monday")),
    ("tue", _l("Tuesday")),
    ("wed", _l("Wednesday")),
    ("thu", _l("Thursday")),
    ("fri", _l("Friday")),
    ("sat", _l("Saturday")),
    ("sun", _l("Sunday")),
)
PARTS = (("am", _l("Morning")), ("pm", _l("Afternoon")), ("eve", _l("Evening")))
SLOTS = tuple(f"{day}-{part}" for day, _ in DAYS for part, _ in PARTS)
GRADES = tuple(range(6, 13))

LANGUAGES = {
    "en": _l("English"),
    "es": _l("Spanish"),
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
    "fr": _l("French"),
    "vi": _l("Vietnamese"),
    "pt": _l("Portuguese"),
    "so": _l("Somali"),
    "uk": _l("Ukrainian"),
    "hi": _l("Hindi"),
}
AREAS = {
    "north": _l("North"),
    "south": _l("South"),
    "east": _l("East"),
    "west": _l("West"),
    "central": _l("Central"),
}

DEFAULT_TAGS: dict[str, tuple[str, ...]] = {
    "interest": (
        "robotics",
        "coding",
        "music",
        "art",
        "photography",
        "writing",
        "reading",
        "sports",
        "basketball",
        "soccer",
        "chess",
        "gaming",
        "cooking",
        "gardening",
        "animals",
        "nature",
        "space",
        "chemistry",
        "biology",
        "history",
        "politics",
        "film",
        "fashion",
        "design",
        "theatre",
        "dance",
        "debate",
        "entrepreneurship",
        "volunteering",
        "languages",
        "mathematics",
        "electronics",
        "cars",
        "travel",
        "health",
        "fitness",
    ),
    "field": (
        "engineering",
        "software",
        "medicine",
        "nursing",
        "law",
        "business",
        "finance",
        "teaching",
        "science",
        "arts",
        "media",
        "trades",
        "public-service",
        "social-work",
        "architecture",
        "agriculture",
        "hospitality",
        "military",
        "sports-careers",
        "research",
    ),
    "skill": (
        "coding",
        "carpentry",
        "gardening",
        "event-planning",
        "graphic-design",
        "writing",
        "photography",
        "tutoring",
        "cooking",
        "data-analysis",
        "marketing",
        "video",
        "public-speaking",
        "research",
        "first-aid",
        "customer-service",
    ),
}


def slot_label(slot: str) -> str:
    """``tue-pm`` → ``Tuesday afternoon`` (in the language of the page that shows it)."""
    label: str = LazyText(_slot_text, slot)
    return label


def _slot_text(slot: str) -> str:
    day, _sep, part = slot.partition("-")
    return str(
        gettext(
            "%(day)s %(part)s",
            day=dict(DAYS).get(day, day),
            part=str(dict(PARTS).get(part, part)).lower(),
        )
    )


def language_names(codes: list[str] | None) -> str:
    """``["es", "ar"]`` → ``Spanish, Arabic`` (an unknown code shows as itself); ``—`` if none."""
    return ", ".join(str(LANGUAGES.get(code, code)) for code in codes or []) or "—"


def area_name(code: str | None) -> str:
    """``central`` → ``Central``; ``—`` when there is none."""
    return str(AREAS.get(code, code)) if code else "—"


def tag_slugs(kind: str) -> list[str]:
    """The slugs of one kind of tag, sorted."""
    return list(db.session.scalars(db.select(Tag.slug).where(Tag.kind == kind).order_by(Tag.slug)))


def tag_choices(kind: str) -> list[tuple[str, str]]:
    """``(slug, label)`` pairs of one kind of tag, for form choices."""
    rows = db.session.execute(
        db.select(Tag.slug, Tag.label).where(Tag.kind == kind).order_by(Tag.label)
    ).all()
    return [(slug, label) for slug, label in rows]


def ensure_default_vocabulary() -> int:
    """Insert the default tags that are missing; return how many were added."""
    existing = {(kind, slug) for kind, slug in db.session.execute(db.select(Tag.kind, Tag.slug))}
    added = 0
    for kind, slugs in DEFAULT_TAGS.items():
        for slug in slugs:
            if (kind, slug) not in existing:
                db.session.add(Tag(kind=kind, slug=slug, label=slug.replace("-", " ").capitalize()))
                added += 1
    db.session.commit()
    return added
