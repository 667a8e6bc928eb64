"""Forms read off a served page, so the bench posts what a browser would (CSRF token,
hidden fields, a select's chosen option) without knowing the app's field names in advance."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    submits: list[tuple[str, str]] = field(default_factory=list)

    def data(self, **values: str) -> dict[str, str]:
        """The fields as a browser sends them: defaults, the values given, the first button."""
        sent = {**self.fields, **values}
        if self.submits:
            name, value = self.submits[0]
            sent.setdefault(name, value)
        return sent


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name")
        if form is None or not name:
            return
        kind = a.get("type", "text" if tag == "input" else "submit").lower()
        if tag == "input" and kind not in {"submit", "checkbox", "radio", "file"}:
            form.fields[name] = a.get("value", "")
        elif tag == "input" and kind in {"checkbox", "radio"} and "checked" in a:
            form.fields[name] = a.get("value", "on")
        elif (tag == "input" and kind == "submit") or (tag == "button" and kind == "submit"):
            form.submits.append((name, a.get("value", "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in form.fields or "selected" in a:
                form.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] += data


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def find_form(html: str, *, action: str | None = None, field: str | None = None) -> Form:
    """The first POST form whose action contains `action` and that has a field `field`."""
    for form in forms(html):
        if form.method != "post":
            continue
        if action is not None and action not in form.action:
            continue
        if field is not None and field not in form.fields:
            continue
        return form
    raise LookupError(f"no POST form with action~{action!r} and field {field!r} on the page")
