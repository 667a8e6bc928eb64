"""The app gunicorn serves in the --load round: the checkout and settings run.py chose."""

from __future__ import annotations

import json
import os
from pathlib import Path

import codepath

_root = codepath.use_checkout(Path(os.environ["PORTAL_BENCH_CODE"]))
codepath.imported_from(_root)

from portal import create_app  # noqa: E402  (only once the checkout is on sys.path)

app = create_app(json.loads(os.environ["PORTAL_BENCH_SETTINGS"]))
