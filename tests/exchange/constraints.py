"""A small evaluator of NIST's context-based assertions (`Constraints.xml` of the test plans).

NIST's files hold, under `<Message><ByID>`, `<Constraint>`s whose `<Assertion>` is one of
`Presence`, `PlainText` (Text, IgnoreCase), `StringList` (CSV), `Format` (Regex), or the
combinators `AND`, `OR`, `NOT`, `FORALL` (all true), `EXIST` (one true), `IMPLY`; and under
`<OrderIndifferent>` `<Context List="9[*]">` blocks of `<Pattern>`s: among the instances the
list names, the ones whose `<Trigger>` holds must satisfy the pattern's constraints (and nested
contexts), `Cardinality` of them (1 by default).

Paths are positions in the message profile, not segment names: `9[2].3[1].5[1].1[1]` is the
second ORDER group (the 9th element of VXU_V04), its RXA (3rd), field 5, repetition 1,
component 1. So each message type needs its profile's structure (STRUCTURES below, from the
CDC guide's message definitions). Test code only: it never runs in the portal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

# A structure is a list of children: a segment name, or (group name, its children).
Child = str | tuple[str, list["Child"]]

ORDER: Child = ("ORDER", ["ORC", ("TIMING", ["TQ1", "TQ2"]), "RXA", "RXR",
                          ("OBSERVATION", ["OBX", "NTE"])])  # fmt: skip
STRUCTURES: dict[str, list[Child]] = {
    "VXU": ["MSH", "SFT", "PID", "PD1", "NK1", ("PATIENT", ["PV1", "PV2"]), "GT1",
            ("INSURANCE", ["IN1", "IN2", "IN3"]), ORDER],
    "QBP": ["MSH", "SFT", "QPD", "RCP", "DSC"],
    "ACK": ["MSH", "SFT", "MSA", "ERR"],
    "RSP": ["MSH", "MSA", "ERR", "QAK", "QPD",
            ("PATIENT", ["PID", "PD1", "NK1", ("VISIT", ["PV1", "IN1"]), ORDER])],
}  # fmt: skip
REPEATING = {"SFT", "NK1", "NTE", "ERR", "TQ2", "GT1", "PID", "IN1"}
ASSERTION_KINDS = ("Presence", "PlainText", "StringList", "Format")
COMBINATORS = ("AND", "OR", "NOT", "FORALL", "EXIST", "IMPLY")


@dataclass
class Segment:
    name: str
    fields: list[str]  # fields[n] is field n (MSH-1 is the field separator)


@dataclass
class Group:
    name: str
    children: dict[int, list[Node]] = field(default_factory=dict)  # position -> instances


@dataclass
class Repetition:
    """One repetition of a field: a context like `3[1].3[*]` (each PID-3) names these."""

    text: str


Node = Segment | Group | Repetition


def _repetitions(seg: Segment, number: int) -> list[str]:
    if number >= len(seg.fields):
        return []
    raw = seg.fields[number]
    return [raw] if seg.name == "MSH" and number <= 2 else raw.split("~")


def segments(message: bytes | str) -> list[Segment]:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    out = []
    for line in re.split(r"\r\n|\r|\n", text):
        if len(line) < 3:
            continue
        parts = line.split("|")
        if parts[0] == "MSH":
            parts = ["MSH", "|", *parts[1:]]
        out.append(Segment(parts[0], parts))
    return out


def _first(child: Child) -> str:
    return child if isinstance(child, str) else _first(child[1][0])


def _build(name: str, spec: list[Child], segs: list[Segment], i: int) -> tuple[Group, int]:
    group, pos = Group(name), -1
    while i < len(segs):
        seg = segs[i]
        match = next(
            (j for j, child in enumerate(spec) if j >= pos and _first(child) == seg.name), None
        )
        if match is None:
            break
        child = spec[match]
        if isinstance(child, str):
            if match == pos and child not in REPEATING:
                break  # a second leading segment: a new instance of this group
            group.children.setdefault(match + 1, []).append(seg)
            i += 1
        else:
            sub, i = _build(child[0], child[1], segs, i)
            group.children.setdefault(match + 1, []).append(sub)
        pos = match
    return group, i


def tree(message: bytes | str) -> Group:
    segs = segments(message)
    kind = segs[0].fields[9].split("^")[0] if segs and len(segs[0].fields) > 9 else ""
    if kind not in STRUCTURES:
        raise ValueError(f"no structure for message type {kind!r}")
    root, _ = _build(kind, STRUCTURES[kind], segs, 0)
    return root


_ESCAPES = {"F": "|", "S": "^", "T": "&", "R": "~", "E": "\\"}


def _unescape(value: str) -> str:
    return re.sub(r"\\([FSTRE])\\", lambda m: _ESCAPES[m.group(1)], value)


_STEP = re.compile(r"(\d+)\[(\d+|\*)\]")


def _steps(path: str) -> list[tuple[int, int | None]]:
    out = []
    for part in path.split("."):
        m = _STEP.fullmatch(part)
        if not m:
            raise ValueError(f"bad path {path!r}")
        out.append((int(m.group(1)), None if m.group(2) == "*" else int(m.group(2))))
    return out


def _pick(items: list, occurrence: int | None) -> list:
    if occurrence is None:
        return items
    return items[occurrence - 1 : occurrence]


def nodes(context: Node, path: str) -> list[Node]:
    """The groups or segments a context path (all steps inside groups) names."""
    current: list[Node] = [context]
    for position, occurrence in _steps(path):
        nxt: list[Node] = []
        for node in current:
            if isinstance(node, Group):
                nxt.extend(_pick(node.children.get(position, []), occurrence))
            elif isinstance(node, Segment):
                nxt.extend(Repetition(t) for t in _pick(_repetitions(node, position), occurrence))
        current = nxt
    return current


def values(context: Node, path: str) -> list[str]:
    """The (unescaped) values a path names: group steps, then field[rep].comp.sub."""
    current: list[Node] = [context]
    steps = _steps(path)
    while steps and all(isinstance(n, Group) for n in current) and current:
        position, occurrence = steps.pop(0)
        current = [
            child for node in current if isinstance(node, Group)
            for child in _pick(node.children.get(position, []), occurrence)
        ]  # fmt: skip
    out: list[str] = []
    for node in current:
        if isinstance(node, Segment) and steps:
            (number, rep), rest = steps[0], steps[1:]
            texts = _pick(_repetitions(node, number), rep)
        elif isinstance(node, Repetition):
            texts, rest = [node.text], steps
        else:
            continue
        for text in texts:
            parts = [text]
            for depth, (index, _occurrence) in enumerate(rest):
                separator = "^" if depth == 0 else "&"
                parts = [(p.split(separator) + [""] * index)[index - 1] for p in parts]
            out.extend(_unescape(p) for p in parts)
    return [v for v in out if v.strip("^&~ ")]


def holds(assertion: ElementTree.Element, context: Node) -> bool:
    tag = assertion.tag
    if tag == "Assertion":
        return all(holds(child, context) for child in assertion)
    kids = list(assertion)
    if tag in ("AND", "FORALL"):
        return all(holds(k, context) for k in kids)
    if tag in ("OR", "EXIST"):
        return any(holds(k, context) for k in kids)
    if tag == "NOT":
        return not holds(kids[0], context)
    if tag == "IMPLY":
        return not holds(kids[0], context) or holds(kids[1], context)
    found = values(context, assertion.attrib["Path"])
    if tag == "Presence":
        return bool(found)
    if not found:
        return False
    fold = assertion.attrib.get("IgnoreCase", "false").lower() == "true"

    def same(a: str, b: str) -> bool:
        return a.lower() == b.lower() if fold else a == b

    if tag == "PlainText":
        return all(same(v, assertion.attrib["Text"]) for v in found)
    if tag == "StringList":
        allowed = assertion.attrib["CSV"].split(",")
        return all(any(same(v, a) for a in allowed) for v in found)
    if tag == "Format":
        return all(re.search(assertion.attrib["Regex"], v) for v in found)
    raise ValueError(f"assertion kind {tag!r} not understood")


@dataclass(frozen=True)
class Result:
    where: str  # the location in segment names: NK1[1].3[1].1[1] (the file's ReferencePath)
    description: str
    kinds: tuple[str, ...]  # the leaf assertion kinds it uses
    passed: bool

    @property
    def key(self) -> str:
        return f"{self.where}: {self.description}"


def _text(element: ElementTree.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _result(constraint: ElementTree.Element, passed: bool, prefix: str) -> Result:
    ref = constraint.find("Reference")
    where = ref.attrib.get("ReferencePath", "") if ref is not None else ""
    assertion = constraint.find("Assertion")
    kinds = tuple(sorted({e.tag for e in assertion.iter() if e.tag in ASSERTION_KINDS}))
    return Result(prefix + where, _text(constraint.find("Description")), kinds, passed)


def _pattern(pattern: ElementTree.Element, candidates: list[Node], prefix: str) -> list[Result]:
    trigger = pattern.find("Trigger")
    need = int(pattern.attrib.get("Cardinality", "1"))
    matching = [c for c in candidates if trigger is None or holds(trigger.find("Assertion"), c)]
    results = [Result(prefix + "(pattern)", _text(trigger.find("ErrorMessage")) if trigger
                      is not None else "", (), len(matching) >= need)]  # fmt: skip
    for constraint in pattern.findall("Constraints/Constraint"):
        good = sum(holds(constraint.find("Assertion"), c) for c in matching)
        results.append(_result(constraint, bool(matching) and good >= min(need, len(matching)),
                               prefix))  # fmt: skip
    for context in pattern.findall("Contexts/Context"):
        inner = [n for c in matching for n in nodes(c, context.attrib["List"])]
        for sub in context.findall("Pattern"):
            results.extend(_pattern(sub, inner, prefix))
    return results


def count(constraints: Path) -> dict[str, int]:
    """How many constraints, and of each leaf assertion kind / combinator, a file holds."""
    root = ElementTree.parse(constraints).getroot()  # noqa: S314 - NIST's files, checked in
    out = {"constraints": len(root.findall(".//Constraint"))}
    for element in root.iter():
        if element.tag in ASSERTION_KINDS + COMBINATORS:
            out[element.tag] = out.get(element.tag, 0) + 1
    return out


def evaluate(constraints: Path, message: bytes | str) -> list[Result]:
    """Every constraint of the file (message level and order-indifferent patterns) on message."""
    root = ElementTree.parse(constraints).getroot()  # noqa: S314 - NIST's files, checked in
    message_tree = tree(message)
    results = [
        _result(c, holds(c.find("Assertion"), message_tree), "")
        for c in root.findall("Constraints/Message/ByID/Constraint")
    ]
    for context in root.findall("OrderIndifferent/Context"):
        candidates = nodes(message_tree, context.attrib["List"])
        for pattern in context.findall("Pattern"):
            results.extend(_pattern(pattern, candidates, context.attrib["List"] + " "))
    return results
