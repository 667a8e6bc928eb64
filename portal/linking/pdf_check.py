"""Is an uploaded PDF a plain document? Parsed with pypdf, never rendered. No Flask here.

A PDF may carry more than pages: scripts, files inside it, actions that start a
program. The help desk opens these documents, so a PDF is refused unless pypdf
parses it into a page tree, and none of its objects names one of those features.
Every object in the cross-reference table is read (not only those reachable from
the catalog: another reader's repair of a damaged file may reach the rest), and
the raw bytes are searched as well for objects that no table lists.

The parse runs in a child process (this file run as a script: it imports only
pypdf) with a CPU-time and a memory limit, since pypdf is pure Python and a crafted
file (a chain of compressed cross-reference streams, a loop in a page tree) can make
any parser work for long. Inside that, a document may have at most MAX_PAGES pages
and MAX_OBJECTS objects. The child costs about 0.2 s of CPU: uploads are few.
"""

from __future__ import annotations

import io
import logging
import re
import resource
import subprocess
import sys
import warnings
from collections.abc import Iterator
from enum import StrEnum

from pypdf import PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

MAX_PAGES = 50  # a custody order or a birth certificate with its apostille fits with room
MAX_OBJECTS = 20_000  # an office-made 50-page PDF has a few thousand
MAX_OBJECT_STREAMS = 64
MAX_DEPTH = 64  # nesting of arrays and dictionaries inside one object
# What pypdf may inflate from one stream: we read only object and cross-reference
# streams (never page contents or images), and those hold a few hundred kB at most.
_PYPDF_LIMITS = {
    f"{codec}_maximum_output_length": 8_000_000
    for codec in ("zlib", "lzw", "run_length", "brotli", "jbig2")
} | {"stream_decoding_work_maximum_length": 32_000_000, "page_tree_maximum_entries": MAX_OBJECTS}
CPU_SECONDS = 3  # the child's CPU time; a 10 MB, 50-page scan needs about 0.1 s
MEMORY_BYTES = 768 * 1024 * 1024  # the child's address space, pypdf's 75 MB filters included
_WALL_SECONDS = 15  # a child waiting on a busy machine still ends
_OK = "ok"

log = logging.getLogger(__name__)

# Names that mark active content: scripts (JavaScript, XFA forms), files carried inside
# the PDF (embedded files, rich media), and actions that open programs or other files.
ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/XFA",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/RichMedia",
        "/Launch",
        "/GoToE",
        "/ImportData",
        "/SubmitForm",
    }
)
_RAW_ACTIVE = re.compile(
    rb"/(?:JavaScript|JS|XFA|EmbeddedFiles?|EF|RichMedia|Launch|GoToE|ImportData|SubmitForm)"
    rb"(?![A-Za-z0-9#])"
)


class PdfProblem(StrEnum):
    UNREADABLE = "unreadable"  # not a PDF pypdf can parse into pages
    ACTIVE_CONTENT = "active_content"  # JavaScript, embedded files, launch actions
    TOO_LARGE = "too_large"  # more pages or objects than a document needs
    ENCRYPTED = "encrypted"  # needs a password to open


_ANSWERS = frozenset(problem.value for problem in PdfProblem)


class _Refused(Exception):
    def __init__(self, problem: PdfProblem) -> None:
        self.problem = problem


def check_pdf(data: bytes) -> PdfProblem | None:
    """None for a plain PDF document, else what is wrong with it; parsed in a child
    process under CPU and memory limits."""
    if not data.startswith(b"%PDF-"):
        return PdfProblem.UNREADABLE
    try:
        # Our own interpreter on our own file, isolated (-I): no shell, no user input
        # on the command line; the document goes in on stdin.
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-I", __file__],
            input=data,
            capture_output=True,
            timeout=_WALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return PdfProblem.TOO_LARGE
    answer = done.stdout.decode("ascii", "replace").strip()
    if done.returncode == 0 and answer == _OK:
        return None
    if done.returncode == 0 and answer in _ANSWERS:
        return PdfProblem(answer)
    if done.returncode < 0:  # killed at its CPU limit (SIGXCPU) or its memory
        return PdfProblem.TOO_LARGE
    log.error("the PDF check ended with exit status %s", done.returncode)
    return PdfProblem.UNREADABLE


def inspect_pdf(data: bytes) -> PdfProblem | None:
    """The check itself, in this process: what the child runs."""
    if not data.startswith(b"%PDF-"):
        return PdfProblem.UNREADABLE
    if any(_RAW_ACTIVE.search(part) for part in _outside_streams(data)):
        return PdfProblem.ACTIVE_CONTENT
    try:
        with warnings.catch_warnings(), apply_configuration(**_PYPDF_LIMITS):
            warnings.simplefilter("ignore")  # pypdf warns about repairs it makes
            reader = PdfReader(
                io.BytesIO(data), strict=False, xref_stream_maximum_entries=MAX_OBJECTS
            )
            _inspect(reader)
    except _Refused as refused:
        return refused.problem
    except (MemoryError, LimitReachedError):
        return PdfProblem.TOO_LARGE
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, IndexError,
            RecursionError, OSError, AssertionError, NotImplementedError):  # fmt: skip
        # What a malformed file makes pypdf raise: all of it means "does not parse".
        return PdfProblem.UNREADABLE
    return None


def _outside_streams(data: bytes) -> Iterator[bytes]:
    """The file's text between its streams: stream bytes (images, compressed data) can
    hold any three bytes, such as `/JS`, by chance. Linear, whatever the file holds."""
    start = 0
    while True:
        opened = data.find(b"stream", start)
        if opened < 0:
            yield data[start:]
            return
        yield data[start:opened]
        closed = data.find(b"endstream", opened + 6)
        if closed < 0:
            return
        start = closed + 9


def _inspect(reader: PdfReader) -> None:
    if reader.is_encrypted and not reader.decrypt(""):
        raise _Refused(PdfProblem.ENCRYPTED)
    entries = [
        IndirectObject(num, gen, reader) for gen, table in reader.xref.items() for num in table
    ]
    entries += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    object_streams = {stream for stream, _ in reader.xref_objStm.values()}
    if len(entries) > MAX_OBJECTS or len(object_streams) > MAX_OBJECT_STREAMS:
        raise _Refused(PdfProblem.TOO_LARGE)
    root = reader.trailer["/Root"].get_object()
    declared = root["/Pages"].get_object().get("/Count", 0)
    if not isinstance(declared, int) or declared < 1:
        raise _Refused(PdfProblem.UNREADABLE)
    if declared > MAX_PAGES:
        raise _Refused(PdfProblem.TOO_LARGE)
    _refuse_active(reader.trailer)
    for entry in entries:
        _refuse_active(entry.get_object())
    if not 0 < len(reader.pages) <= MAX_PAGES:
        raise _Refused(PdfProblem.UNREADABLE if not reader.pages else PdfProblem.TOO_LARGE)


def _refuse_active(value: PdfObject | None) -> None:
    for name in _names(value):
        if name in ACTIVE_NAMES:
            raise _Refused(PdfProblem.ACTIVE_CONTENT)


def _names(value: PdfObject | None, depth: int = 0) -> Iterator[str]:
    """Every name (dictionary keys and name values) inside one object, without
    following references: each referenced object is read on its own."""
    if depth > MAX_DEPTH:
        raise _Refused(PdfProblem.TOO_LARGE)
    if isinstance(value, IndirectObject) or value is None:
        return
    if isinstance(value, NameObject):
        yield str(value)
    elif isinstance(value, DictionaryObject):  # streams too: their dictionary
        for key, item in value.items():
            yield str(key)
            yield from _names(item, depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            yield from _names(item, depth + 1)


def _child() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    problem = inspect_pdf(sys.stdin.buffer.read())
    sys.stdout.write(problem.value if problem else _OK)


if __name__ == "__main__":
    _child()
