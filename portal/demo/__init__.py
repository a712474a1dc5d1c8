"""Demo data (``flask seed-demo``): one school with students, mentors, organisations and
projects (``school``, names and texts in ``data``), a programme year in progress (``year``)
with support and closed matches (``support``); the command in ``commands``.
"""

from portal.demo.commands import seed_demo
from portal.demo.school import DEMO_PASSWORD, JOIN_CODE, build_demo

__all__ = ["DEMO_PASSWORD", "JOIN_CODE", "build_demo", "seed_demo"]
