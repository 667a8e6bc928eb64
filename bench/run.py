"""One benchmark command: `python bench/run.py` (with the project's venv python).

Sets up its own data in a temporary directory (SQLite; PORTAL_BENCH_DATABASE_URL
names a PostgreSQL database instead, which it wipes), measures each figure in
alternation with GET /healthz, and prints one `name: value` line per figure;
`name: n/a` when the checkout cannot be measured for it (the reason goes to stderr).

    python bench/run.py                    # this checkout, the full run (a few minutes)
    python bench/run.py --quick            # small numbers, same lines (the test suite runs it)
    python bench/run.py --code ../base     # the portal package of another checkout
    python bench/run.py --load             # adds a gunicorn round with a concurrent client

Ratios `X_vs_healthz` are median /healthz time over median X time: 1.0 is as cheap
as /healthz. Later issues add their figures here. The forecast's: per patient over
CDC's healthy cases (all 1,013; --quick the first 60) and over the bench's records,
the CDC suite's run (cdsi_suite_s), and the record page seen for the first time with
the page cache off (record_page_first_view_ms: the forecast and the render each time).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import codepath

Figure = tuple[str, Any]
LOAD_FAMILIES = 4  # one signed-in parent per client thread of the load round

GROUPS: dict[str, list[str]] = {
    "public_small": ["jwks_ms_at_100_cards", "crl_ms_at_100_cards", "crl_bytes_at_100_cards"],
    "pages": [
        "record_page_ms",
        "record_page_vs_healthz",
        "records_list_ms",
        "records_list_vs_healthz",
    ],
    "forecast": [
        "forecast_cases",
        "forecast_ms_median",
        "forecast_ms_p95",
        "forecast_doses_max",
        "forecast_records",
        "forecast_records_doses_max",
        "forecast_records_ms_median",
        "forecast_records_ms_p95",
        "cdsi_suite_cases",
        "cdsi_suite_passed",
        "cdsi_suite_s",
        "record_page_first_view_ms",
        "record_page_first_view_vs_healthz",
    ],
    "access_log": [
        "access_log_events",
        "access_log_page_ms",
        "access_log_page_vs_healthz",
        "access_log_page_41_ms",
    ],
    "help_desk": [
        "queue_requests",
        "queue_insert_s",
        "queue_page_ms",
        "queue_page_vs_healthz",
        "overview_page_ms",
        "overview_page_vs_healthz",
    ],
    "pdf": ["pdf_ms", "pdf_vs_healthz", "pdf_bytes"],
    "verify": ["verify_ms", "verify_vs_healthz"],
    "signin": ["signin_ms", "signin_unknown_email_ms", "signin_known_minus_unknown_ms"],
    "reset": ["reset_known_minus_unknown_ms", "reset_sign_test_p"],
    "public_large": [
        "cards_insert_s",
        "cards_total",
        "cards_revoked_share",
        "jwks_ms_at_400k_cards",
        "crl_ms_at_400k_cards",
        "crl_bytes_at_400k_cards",
    ],
    "verify_large": ["verify_ms_at_400k_cards", "verify_vs_healthz_at_400k_cards"],
    "query": [
        "qbp_ms",
        "qbp_vs_healthz",
        "qbp_refused_minus_no_match_ms",
        "qbp_refused_sign_test_p",
        "qbp_floored_refused_minus_no_match_ms",
        "qbp_floored_sign_test_p",
    ],
    "exchange": ["vxu_count", "vxu_per_s", "vxu_ms", "vxu_vs_healthz"],
}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small numbers, same lines")
    parser.add_argument("--code", metavar="PATH", help="benchmark the portal package under PATH")
    parser.add_argument("--load", action="store_true", help="add the gunicorn round")
    parser.add_argument(
        "--revoked-share",
        type=float,
        default=None,
        help="share of the bulk cards that are revoked (default 0.03)",
    )
    return parser.parse_args(argv)


PRINTED: dict[str, Any] = {}


def line(name: str, value: Any) -> None:
    PRINTED[name] = value
    print(f"{name}: {value}", flush=True)


def growth(name: str) -> None:
    """`<name>_400k_over_100_cards`: 1.0 when the cost does not grow with the cards."""
    small, large = PRINTED.get(f"{name}_ms_at_100_cards"), PRINTED.get(f"{name}_ms_at_400k_cards")
    numbers = all(isinstance(v, int | float) and v > 0 for v in (small, large))
    line(f"{name}_400k_over_100_cards", round(large / small, 2) if numbers else "n/a")


def emit(group: str, figures: Iterable[tuple[str, Any]]) -> None:
    """Print each figure as it comes; the rest of the group as n/a if it fails."""
    names = list(GROUPS[group])
    try:
        for name, value in figures:
            line(name, value)
            if name in names:
                names.remove(name)
    except Exception as exc:  # noqa: BLE001 - an older checkout may lack what a figure needs
        print(f"bench: {group}: {type(exc).__name__}: {exc}", file=sys.stderr)
    for name in names:
        line(name, "n/a")


def _commit(root: Path) -> str:
    try:
        out = subprocess.run(  # noqa: S603 - git, fixed arguments
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    root = codepath.use_checkout(Path(args.code) if args.code else codepath.THIS_CHECKOUT)
    print(f"bench: portal imported from {codepath.imported_from(root)}", file=sys.stderr)

    import cards
    import inprocess

    from portal.db import engine_for

    sizes = inprocess.QUICK if args.quick else inprocess.Sizes()
    share = cards.REVOKED_SHARE if args.revoked_share is None else args.revoked_share
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        url = os.environ.get("PORTAL_BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.db'}"
        config = inprocess.settings(url, Path(tmp))
        app, families = inprocess.make_app(config, LOAD_FAMILIES if args.load else 1)
        engine = engine_for(url)
        kid = inprocess.signing_kid(config)
        line("code_commit", _commit(root))
        line("database", engine.dialect.name)
        bench = inprocess.Bench(app, sizes, families[0])

        def small() -> Iterator[Figure]:
            cards.add_cards(engine, cards=sizes.small_cards, kid=kid, revoked_share=share)
            yield from inprocess.public_documents(bench, "100_cards")

        signed_in: list[Any] = []

        def parent() -> Any:
            if not signed_in:
                signed_in.append(inprocess.sign_in(app, families[0].email))
            return signed_in[0]

        def large() -> Iterator[Figure]:
            added = cards.add_cards(
                engine,
                cards=sizes.large_cards - sizes.small_cards,
                kid=kid,
                first=sizes.small_cards,
                revoked_share=share,
            )
            yield "cards_insert_s", round(added.seconds, 2)
            yield "cards_total", cards.count_cards(engine)
            yield "cards_revoked_share", share
            yield from inprocess.public_documents(bench, "400k_cards")

        # Each group starts inside emit(), so a step an older checkout cannot do (its
        # sign-in form, its card table) costs that group's figures, not the run.
        emit("public_small", small())
        emit("pages", _later(lambda: inprocess.record_pages(bench, parent())))
        # CDC's cases sit beside this checkout (as for the tests), whatever --code names
        here = codepath.THIS_CHECKOUT
        emit("forecast", _later(lambda: inprocess.forecasts(bench, here, parent())))
        emit("access_log", _later(lambda: inprocess.access_log_page(bench, parent())))
        emit("help_desk", _later(lambda: inprocess.help_desk_pages(bench)))
        emit("pdf", _later(lambda: inprocess.printout(bench, parent())))
        emit("verify", _later(lambda: inprocess.verify(bench)))
        emit("signin", _later(lambda: inprocess.signins(bench)))
        emit("reset", _later(lambda: inprocess.password_resets(bench)))
        emit("query", _later(lambda: inprocess.queries(bench)))
        emit("exchange", _later(lambda: inprocess.exchange(bench)))
        emit("public_large", large())
        growth("jwks")
        growth("crl")
        emit("verify_large", _later(lambda: inprocess.verify(bench, "_at_400k_cards")))
        line("healthz_ms", round(_median(bench.healthz_samples), 2))
        line("inprocess_run_s", round(time.perf_counter() - started, 1))

        if args.load:
            import load

            try:
                for name, value in load.run(root, config, families, quick=args.quick):
                    line(name, value)
            except Exception as exc:  # noqa: BLE001 - the in-process figures stand anyway
                print(f"bench: load: {type(exc).__name__}: {exc}", file=sys.stderr)
                line("load", "n/a")
        engine.dispose()


def _later(make: Callable[[], Iterable[Figure]]) -> Iterator[Figure]:
    yield from make()


def _median(values: list[float]) -> float:
    import statistics

    return statistics.median(values) if values else float("nan")


if __name__ == "__main__":
    main()
