"""`shc:/` numeric QR texts: JWS <-> chunks, and QR symbols written by zxing-cpp."""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field

import zxingcpp
from PIL import Image, UnidentifiedImageError

from .reasons import QrError, Reason

PREFIX = "shc:/"
MAX_SINGLE_JWS = 1195  # longest JWS that fits one V22 numeric QR at error correction L
MAX_CHUNK_JWS = 1191  # longest chunk once a `shc:/C/N/` header takes its room
MAX_VERSION = 22  # 105x105 modules: what still scans at 40 mm x 40 mm
MAX_IMAGE_PIXELS = 24_000_000  # 6000x4000: a phone photo; beyond that memory use balloons
_OFFSET = ord("-")  # lowest character of a compact JWS
_CHUNKED = re.compile(r"shc:/([1-9][0-9]*)/([1-9][0-9]*)/(.*)", re.DOTALL)


def _to_digits(jws: str) -> str:
    out = []
    for char in jws:
        value = ord(char) - _OFFSET
        if not 0 <= value <= 77:
            raise ValueError(f"character {char!r} cannot appear in a compact JWS")
        out.append(f"{value:02d}")
    return "".join(out)


def _balanced(jws: str, count: int) -> list[str]:
    base, extra = divmod(len(jws), count)
    pieces, start = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        pieces.append(jws[start : start + size])
        start += size
    return pieces


def jws_to_qr_chunks(jws: str) -> list[str]:
    """One `shc:/` text, or (deprecated chunking, only past 1195 characters) several
    `shc:/C/N/` texts of balanced size, each at most 1191 JWS characters."""
    if len(jws) <= MAX_SINGLE_JWS:
        return [PREFIX + _to_digits(jws)]
    count = math.ceil(len(jws) / MAX_CHUNK_JWS)
    pieces = _balanced(jws, count)
    return [f"{PREFIX}{i}/{count}/{_to_digits(p)}" for i, p in enumerate(pieces, 1)]


@dataclass
class DecodedQr:
    jws: str
    chunk_count: int
    warnings: list[str] = field(default_factory=list)


def _digits_to_jws(body: str) -> str:
    if not body or not body.isascii() or not body.isdigit():
        raise QrError(Reason.INVALID_NUMERIC_QR, "numeric QR body must be digits only")
    if len(body) % 2:
        raise QrError(
            Reason.INVALID_NUMERIC_QR, "numeric QR body has an odd number of digits"
        )
    pairs = [int(body[i : i + 2]) for i in range(0, len(body), 2)]
    if max(pairs) > 77:
        raise QrError(Reason.INVALID_NUMERIC_QR, "digit pair above 77 ('z')")
    return "".join(chr(p + _OFFSET) for p in pairs)


def _split_single(chunk: str, warnings: list[str]) -> str:
    match = _CHUNKED.fullmatch(chunk)
    if match is None:
        return chunk[len(PREFIX) :]
    index, total, body = match.groups()
    if index == total == "1":
        warnings.append(Reason.INVALID_NUMERIC_QR_HEADER)
        return body
    raise QrError(Reason.MISSING_QR_CHUNK, f"chunk {index} of {total} scanned alone")


def _split_chunks(chunks: list[str]) -> list[str]:
    total = len(chunks)
    by_index: dict[int, str] = {}
    for chunk in chunks:
        match = _CHUNKED.fullmatch(chunk)
        if match is None:
            raise QrError(
                Reason.INVALID_NUMERIC_QR_HEADER, "chunk lacks its shc:/C/N/ header"
            )
        index, count, body = int(match[1]), int(match[2]), match[3]
        if count > total:
            raise QrError(
                Reason.MISSING_QR_CHUNK, f"{count} chunks announced, {total} given"
            )
        if count != total or index > count:
            raise QrError(
                Reason.INVALID_NUMERIC_QR_HEADER,
                f"chunk header {index}/{count} out of range",
            )
        if index in by_index:
            raise QrError(
                Reason.INVALID_NUMERIC_QR_HEADER, f"chunk {index} given twice"
            )
        by_index[index] = body
    return [by_index[i] for i in range(1, total + 1)]


def decode_qr_chunks(chunks: list[str]) -> DecodedQr:
    """Reassemble a JWS from `shc:/` texts in any order, or raise QrError.

    Deprecated chunking is accepted (the spec still tells consumers how) but
    reported as the warning QR_CHUNKING_DEPRECATED."""
    if not chunks:
        raise QrError(Reason.INVALID_NUMERIC_QR_HEADER, "no QR text")
    warnings: list[str] = []
    for chunk in chunks:
        if not chunk.startswith(PREFIX):
            raise QrError(
                Reason.INVALID_NUMERIC_QR_HEADER, "QR text must start with shc:/"
            )
    try:
        if len(chunks) > 1:
            warnings.append(Reason.QR_CHUNKING_DEPRECATED)
            bodies = _split_chunks(chunks)
        else:
            bodies = [_split_single(chunks[0], warnings)]
        pieces = [_digits_to_jws(body) for body in bodies]
    except QrError as exc:
        exc.warnings[:0] = warnings
        raise
    limit = MAX_CHUNK_JWS if len(pieces) > 1 else MAX_SINGLE_JWS
    errors = [Reason.INVALID_NUMERIC_QR for piece in pieces if len(piece) > limit]
    if errors:
        raise QrError(
            errors[0],
            f"a QR holds more than {limit} JWS characters",
            reasons=errors,
            warnings=warnings,
        )
    jws = "".join(pieces)
    if len(pieces) > 1:
        if len(jws) <= MAX_SINGLE_JWS:
            warnings.append(Reason.INVALID_QR)  # chunked although one QR would do
        expected = len(jws) // len(pieces)
        slack = math.ceil(expected * 0.005)
        if any(abs(len(p) - expected) > slack for p in pieces):
            warnings.append(Reason.UNBALANCED_QR_CHUNKS)
    return DecodedQr(jws=jws, chunk_count=len(pieces), warnings=warnings)


def qr_chunks_to_jws(chunks: list[str]) -> str:
    """The JWS carried by `shc:/` texts; raises QrError with a reason code."""
    return decode_qr_chunks(chunks).jws


_NUMERIC_TEXT = re.compile(r"(shc:/(?:[1-9][0-9]*/[1-9][0-9]*/)?)([0-9]+)")
_DARK = bytes.maketrans(bytes(range(256)), bytes(1 if v < 128 else 0 for v in range(256)))


@dataclass(frozen=True)
class QrSymbol:
    """One QR symbol: its version, error correction level and dark (1) / light (0) modules,
    row by row, without the quiet zone."""

    text: str
    version: int
    error: str
    modules: tuple[bytes, ...]

    def matrix(self, border: int = 0) -> list[list[bool]]:
        blank = [False] * (len(self.modules) + 2 * border)
        pad = [False] * border
        rows = [pad + [bool(m) for m in row] + pad for row in self.modules]
        return [list(blank) for _ in range(border)] + rows + [list(blank) for _ in range(border)]


def _tight_symbol(text: str) -> QrSymbol | None:
    """The smallest QR for `text` at level L, or None if it is not numeric shc text.

    zxing-cpp's writer (libzint) picks the segments with the fewest bits and the mask by
    the standard's penalty rules, in a few milliseconds (segno took ~90 ms, mostly on the
    mask). It takes no explicit segments: for a card's text its choice is the spec's byte
    `shc:/` + numeric digits; a chunk header `shc:/1/2/` comes out as byte `shc` +
    alphanumeric `:/1/2/`, the same number of bits, so the same version. Both decode to
    the same text (tests/proof/cards/test_shc_qr.py reads back text, version and level).
    """
    if _NUMERIC_TEXT.fullmatch(text) is None:
        return None
    try:
        barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="L")
    except (RuntimeError, ValueError):  # past what version 40 holds
        return None
    image = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    width = image.shape[1]
    raw = image.tobytes().translate(_DARK)
    modules = tuple(raw[i : i + width] for i in range(0, len(raw), width))
    return QrSymbol(text, (width - 17) // 4, barcode.ec_level, modules)


def _version(symbol: QrSymbol) -> int:
    return symbol.version


def make_qr(chunk: str) -> QrSymbol:
    """The QR symbol of one `shc:/` text: error correction L, the smallest version, at most
    version 22; the digits in numeric mode."""
    if _NUMERIC_TEXT.fullmatch(chunk) is None:
        raise QrError(Reason.INVALID_NUMERIC_QR_HEADER, "not a shc:/ numeric QR text")
    symbol = _tight_symbol(chunk)
    if symbol is None or symbol.version > MAX_VERSION:
        needs = symbol.version if symbol else "> 40"
        raise QrError(Reason.INVALID_QR_VERSION, f"needs QR version {needs} > {MAX_VERSION}")
    return symbol


def qr_svg(chunk: str, *, scale: int = 1, border: int = 4) -> str:
    """The symbol as an SVG: one path of dark modules, light background."""
    symbol = make_qr(chunk)
    size = (len(symbol.modules) + 2 * border) * scale
    path = []
    for y, row in enumerate(symbol.modules):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            path.append(f"M{(start + border) * scale} {(y + border) * scale}h{(x - start) * scale}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}"><rect width="100%" height="100%" fill="#fff"/>'
        f'<path stroke="#000" stroke-width="{scale}" transform="translate(0 {scale / 2})" '
        f'd="{"".join(path)}"/></svg>'
    )


def qr_png(chunk: str, *, scale: int = 4, border: int = 4) -> bytes:
    symbol = make_qr(chunk)
    width = len(symbol.modules)
    table = bytes.maketrans(b"\x00\x01", b"\xff\x00")  # light -> white, dark -> black
    image = Image.frombytes("L", (width, width), b"".join(symbol.modules).translate(table))
    full = Image.new("L", (width + 2 * border, width + 2 * border), 255)
    full.paste(image, (border, border))
    if scale != 1:
        full = full.resize((full.width * scale, full.height * scale), Image.Resampling.NEAREST)
    out = io.BytesIO()
    full.save(out, format="PNG")
    return out.getvalue()


def qr_matrix(chunk: str, *, border: int = 0) -> list[list[bool]]:
    """Rows of dark (True) / light modules, for drawing the code in a PDF."""
    return make_qr(chunk).matrix(border)


@dataclass(frozen=True)
class ScannedQr:
    text: str
    version: int | None
    ec_level: str


def _open_image(data: bytes) -> Image.Image:
    try:
        image: Image.Image = Image.open(io.BytesIO(data), formats=("PNG", "JPEG"))
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise QrError(Reason.QR_DECODE_ERROR, "image is too large")
        image.load()
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise QrError(
            Reason.QR_DECODE_ERROR, f"not a readable PNG or JPEG image: {exc}"
        ) from exc
    if image.mode in ("RGBA", "LA", "P", "PA"):
        # Transparent pixels often carry black RGB; flatten onto white like paper would.
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, "white")
        canvas.alpha_composite(rgba)
        image = canvas
    return image.convert("L")


def scan_qr_image(data: bytes) -> list[ScannedQr]:
    """Every QR code found in a PNG or JPEG, with its version and error correction."""
    image = _open_image(data)
    try:
        found = zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )
    except (RuntimeError, ValueError) as exc:
        raise QrError(Reason.QR_DECODE_ERROR, f"QR decoder failed: {exc}") from exc
    if not found:
        raise QrError(Reason.QR_DECODE_ERROR, "no QR code found in the image")
    scanned = []
    for barcode in found:
        extra = barcode.extra if isinstance(barcode.extra, dict) else {}
        version = str(extra.get("Version", ""))
        scanned.append(
            ScannedQr(
                text=barcode.text,
                version=int(version) if version.isdigit() else None,
                ec_level=barcode.ec_level,
            )
        )
    return scanned


def decode_qr_image(data: bytes) -> list[str]:
    """The text of each QR code in a PNG or JPEG; raises QrError(QR_DECODE_ERROR)."""
    return [s.text for s in scan_qr_image(data)]


def check_scanned_qr(scanned: ScannedQr) -> tuple[list[str], list[str]]:
    """(errors, warnings) about the symbol itself: above version 22 is an error; a
    version larger than this text needs at error correction L is a warning."""
    errors: list[str] = []
    warnings: list[str] = []
    if scanned.version is not None and scanned.version > MAX_VERSION:
        errors.append(Reason.INVALID_QR_VERSION)
    if scanned.version is not None:
        tight = _tight_symbol(scanned.text)
        if tight is not None and _version(tight) < scanned.version:
            warnings.append(Reason.INVALID_QR_VERSION)
    return errors, warnings
