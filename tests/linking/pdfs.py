"""Hand-made PDFs for the upload tests: plain ones, and ones crafted as an attacker would."""

from __future__ import annotations

import struct
import zlib

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"


def pages(count: int, first: int = 3) -> bytes:
    kids = b" ".join(b"%d 0 R" % n for n in range(first, first + count))
    return b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count)


def plain(catalog: bytes = CATALOG, page_count: int = 1, extra: tuple[bytes, ...] = ()) -> bytes:
    """Catalog (1), page tree (2), pages (3...), then `extra` objects, with an xref table."""
    objects = [catalog, pages(page_count), *([PAGE] * page_count), *extra]
    return with_table(objects)


def with_table(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        start,
    )
    return bytes(out)


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def object_stream(members: list[tuple[int, bytes]], deflated: bytes | None = None) -> bytes:
    """An /ObjStm holding `members` (number, body); or holding `deflated` as its data."""
    if deflated is None:
        offsets, body = [], b""
        for _, member in members:
            offsets.append(len(body))
            body += member + b" "
        pairs = zip(members, offsets, strict=True)
        header = b" ".join(b"%d %d" % (n, off) for (n, _), off in pairs) + b" "
        deflated = zlib.compress(header + body)
        first = len(header)
    else:
        first = 0
    info = b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (max(len(members), 1), first)
    return stream(info, deflated)


def with_xref_stream(objects: list[bytes], compressed: dict[int, tuple[int, int]]) -> bytes:
    """PDF 1.5: `objects` numbered from 1, then the xref stream; `compressed` maps an
    object number to (its object stream's number, its index there)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in enumerate(objects, 1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_number = max([len(objects), *compressed]) + 1
    size = xref_number + 1
    offsets[xref_number] = len(out)
    rows = []
    for number in range(size):
        if number in offsets:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
        elif number in compressed:
            rows.append(struct.pack(">BIH", 2, *compressed[number]))
        else:
            rows.append(struct.pack(">BIH", 0, 0, 65535))
    info = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % size
    out += b"%d 0 obj\n%s\nendobj\n" % (xref_number, stream(info, b"".join(rows)))
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)
