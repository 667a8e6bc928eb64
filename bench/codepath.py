"""Which checkout's `portal` the bench imports. Standard library only: it runs first.

`python bench/run.py --code PATH` benchmarks the portal package of another checkout
(a git worktree of another commit) with this checkout's venv. PATH goes first on
`sys.path`; the venv's editable install of this checkout adds an import finder to
`sys.meta_path` (asked after `sys.path` today), which is taken out all the same, and
`imported_from` checks where `portal` really came from before anything is measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

THIS_CHECKOUT = Path(__file__).resolve().parents[1]


def use_checkout(root: Path) -> Path:
    """Make `import portal` find the package under `root`; call before anything imports it."""
    root = root.resolve()
    if not (root / "portal" / "__init__.py").is_file():
        raise SystemExit(f"bench: no portal package under {root}")
    if "portal" in sys.modules:
        raise SystemExit("bench: portal was imported before the checkout was chosen")
    sys.meta_path[:] = [
        finder
        for finder in sys.meta_path
        if not str(getattr(finder, "__module__", "")).startswith("__editable__")
    ]
    sys.path.insert(0, str(root))
    return root


def imported_from(root: Path) -> str:
    """The file `portal` was imported from; refuses to go on when it is not under `root`."""
    import portal

    where = Path(portal.__file__).resolve()
    if root not in where.parents:
        raise SystemExit(f"bench: portal came from {where}, not from {root}")
    return str(where)
