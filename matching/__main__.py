"""``python -m matching solve FILE|-``."""

from __future__ import annotations

import os
import sys

from ._cli import main

if __name__ == "__main__":
    status = main()
    # leave without freeing the instance and the result one object at a time (0.2-0.3 s for
    # a district's million dicts): the output is written, nothing else is left to do
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
