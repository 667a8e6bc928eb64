"""The crawler behind test_every_page.py: which pages a role may open, and a visit to each.

The page list comes from `app.url_map`, never from a list kept by hand, so a page added
later is visited without anyone remembering to add it. Problems are collected rather
than raised at the first page, so that one run names every page that needs work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page

from portal.access import rule_for

Fill = Callable[[Any], Any]

# Fields a person types into or picks a file for. A form without one (a confirm button,
# "print", a language picker) is an action, not something to send empty.
TYPED_FIELDS = (
    "input:not([type=hidden]):not([type=submit]):not([type=button])"
    ":not([type=checkbox]):not([type=radio]), textarea"
)


def _short(path: str) -> str:
    """The path for a message, a token in it cut short."""
    return "/".join(part if len(part) <= 20 else part[:8] + "…" for part in path.split("/"))


@dataclass(frozen=True)
class Target:
    endpoint: str
    path: str


def page_targets(
    app: Flask,
    data: Any,
    *,
    not_pages: Mapping[str, str],
    by_parameter: Mapping[str, Fill],
    by_endpoint: Mapping[str, Callable[[Any], dict[str, Any]]],
) -> list[Target]:
    """Every GET rule but the listed non-pages, its path parameters filled from `data`.

    `by_endpoint` fills an endpoint's parameters whose meaning depends on it (a token);
    `by_parameter` fills a parameter by its name wherever it appears (a link id).
    """
    for name in [*not_pages, *by_endpoint]:
        if name not in app.view_functions:
            pytest.fail(f"{name} is listed in test_every_page.py but is no endpoint any more")
    adapter = app.url_map.bind("localhost")
    targets = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in not_pages:
            continue
        given = by_endpoint[rule.endpoint](data) if rule.endpoint in by_endpoint else {}
        values = {}
        for name in sorted(rule.arguments):
            if name in given:
                values[name] = given[name]
            elif name in by_parameter:
                values[name] = by_parameter[name](data)
            else:
                pytest.fail(
                    f"no way to fill parameters for {rule.endpoint} ({rule.rule}: <{name}>); "
                    "add it to BY_ENDPOINT or BY_PARAMETER in test_every_page.py, or to "
                    "NOT_PAGES if it is not an HTML page",
                    pytrace=False,
                )
        targets.add(Target(rule.endpoint, adapter.build(rule.endpoint, values)))
    return sorted(targets, key=lambda t: t.path)


def allowed(app: Flask, targets: Iterable[Target], user: Any) -> list[Target]:
    """The targets whose access rule lets `user` in (an anonymous user for signed out)."""
    with app.app_context():  # a rule may read the app's settings (the demo-only pages)
        chosen = []
        for target in targets:
            rule = rule_for(app, target.endpoint)
            if rule is None:
                pytest.fail(f"{target.endpoint} has no access rule")
            if rule.allows(user):
                chosen.append(target)
        return chosen


@dataclass
class Crawler:
    """Visits pages in one browser tab and collects what is wrong with each."""

    page: Page
    check: Callable[[Page], None]  # assert_accessible
    axe_source: str

    findings: list[str] = field(default_factory=list)
    seen: dict[str, list[str]] = field(default_factory=dict)  # language -> paths checked
    forms_sent: int = 0

    def __post_init__(self) -> None:
        # Loaded with each document rather than sent after it: assert_accessible then finds
        # axe in place, and the crawl takes about half the time.
        self.page.context.add_init_script(script=self.axe_source)

    def visit(self, path: str, lang: str, *, send_forms: bool = True) -> None:
        """Open `path`, follow any redirect, check where it lands (once per language),
        then (if `send_forms`) send each of its forms empty and check the answer."""
        response = self.page.goto(path)
        url = self.page.url
        where = urlsplit(url).path
        checked = self.seen.setdefault(lang, [])
        if where in checked:
            return
        checked.append(where)
        label = _short(path) if where == path else f"{_short(path)} -> {_short(where)}"
        self.inspect(response, lang, label)
        for number, index in enumerate(self.forms_with_typed_fields() if send_forms else []):
            if number:
                self.page.goto(url)
            self.send_empty(index, lang, f"{label}, form {index + 1} sent empty")

    def forms_with_typed_fields(self) -> list[int]:
        return self.page.locator("main form").evaluate_all(
            "(forms, fields) => forms.map((f, i) => f.querySelector(fields) ? i : -1)"
            ".filter(i => i >= 0)",
            TYPED_FIELDS,
        )

    def send_empty(self, index: int, lang: str, label: str, *, expect_status: int = 200) -> None:
        form = self.page.locator("main form").nth(index)
        button = form.locator("[type=submit]")
        if button.count() == 0:
            self.findings.append(f"{label} [{lang}]: the form has no submit button")
            return
        # An edit form opens filled in (a ready answer's texts): empty it, as "sent empty" says.
        form.locator(TYPED_FIELDS).evaluate_all(
            "fields => fields.forEach(f => { if (f.type !== 'file') f.value = ''; })"
        )
        with self.page.expect_navigation() as navigation:
            button.first.click()
        self.forms_sent += 1
        self.inspect(navigation.value, lang, label, expect_status=expect_status, sent_empty=True)

    def inspect(
        self,
        response: Any,
        lang: str,
        label: str,
        *,
        expect_status: int = 200,
        sent_empty: bool = False,
    ) -> None:
        problems = []
        status = response.status if response is not None else None
        if status != expect_status:
            problems.append(f"answered {status}, not {expect_status}")
        elif not response.headers.get("content-type", "").startswith("text/html"):
            problems.append(f"is not an HTML page ({response.headers.get('content-type')})")
        found = self.page.evaluate(
            """() => ({
                lang: document.documentElement.lang,
                headings: document.querySelectorAll('h1').length,
                invalid: document.querySelectorAll('main [aria-invalid=true]').length,
                summaries: document.querySelectorAll('main .error-summary').length,
                width: document.scrollingElement.scrollWidth,
                viewport: window.innerWidth,
            })"""
        )
        if found["width"] > found["viewport"]:
            problems.append(f"scrolls sideways: {found['width']} px wide at {found['viewport']} px")
        if found["lang"] != lang:
            problems.append(f"is in {found['lang']!r}")
        if found["headings"] != 1:
            problems.append(f"has {found['headings']} h1 headings, not one")
        if sent_empty and expect_status == 200:
            if not found["invalid"]:
                problems.append("shows no field marked aria-invalid")
            if not found["summaries"]:
                problems.append("shows no error summary")
        try:
            self.check(self.page)
        except pytest.fail.Exception as exc:
            problems.append(str(exc))
        self.findings += [f"{label} [{lang}]: {problem}" for problem in problems]

    def assert_clean(self) -> None:
        if self.findings:
            pytest.fail(
                f"{len(self.findings)} problem(s):\n" + "\n".join(self.findings), pytrace=False
            )
