"""Uploaded proof documents: what a file really is, and where it is kept. No Flask here.

The type comes from the bytes (magic numbers, Pillow decoding images, pypdf
parsing PDFs), never from the file's name or the browser's content type. Files live outside the web
root under a random name. A file is written before the transaction that records
it commits, so the session remembers it and removes it if that transaction rolls
back: no file is left that no row names.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import warnings
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import sqlalchemy as sa
from PIL import Image
from sqlalchemy.orm import Session, SessionTransaction

# One cap for every image a person sends us: /verify's photos and these documents.
from portal.proof.cards.qr import MAX_IMAGE_PIXELS

from .pdf_check import PdfProblem, check_pdf

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}
_PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG"}
_UNCOMMITTED = "linking.documents.uncommitted"  # Session.info key: files written, not yet kept


class Refusal(StrEnum):
    """Why an upload is not accepted; the form says each in its own words."""

    NOT_A_DOCUMENT = "not_a_document"  # not a PDF, PNG or JPEG that opens
    TOO_MANY_PIXELS = "too_many_pixels"  # an image past MAX_IMAGE_PIXELS
    PDF_ACTIVE_CONTENT = "pdf_active_content"  # JavaScript, embedded files, launch actions
    PDF_TOO_LARGE = "pdf_too_large"  # more pages or objects than a document has
    PDF_ENCRYPTED = "pdf_encrypted"  # opens only with a password


_PDF_REFUSALS = {
    PdfProblem.UNREADABLE: Refusal.NOT_A_DOCUMENT,
    PdfProblem.ACTIVE_CONTENT: Refusal.PDF_ACTIVE_CONTENT,
    PdfProblem.TOO_LARGE: Refusal.PDF_TOO_LARGE,
    PdfProblem.ENCRYPTED: Refusal.PDF_ENCRYPTED,
}


@dataclass(frozen=True)
class Checked:
    """The content type of an accepted document, or why it was refused."""

    content_type: str | None
    refusal: Refusal | None = None


def check_document(data: bytes) -> Checked:
    """What the bytes are: a plain PDF, a PNG or a JPEG that decodes, or a refusal."""
    if data.startswith(b"%PDF-"):
        problem = check_pdf(data)
        return Checked(PDF) if problem is None else Checked(None, _PDF_REFUSALS[problem])
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _check_image(data, PNG)
    if data.startswith(b"\xff\xd8\xff"):
        return _check_image(data, JPEG)
    return Checked(None, Refusal.NOT_A_DOCUMENT)


def sniff_document(data: bytes) -> str | None:
    """The content type of an accepted document (PDF, PNG, JPEG), or None for anything else."""
    return check_document(data).content_type


def _check_image(data: bytes, content_type: str) -> Checked:
    """Decode the whole image, so that a file that merely starts like one is refused;
    but first read its size from the header, so that a small file claiming a huge
    picture is refused before its pixels take memory (as /verify refuses photos)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[content_type]]) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    return Checked(None, Refusal.TOO_MANY_PIXELS)
                image.verify()
            with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[content_type]]) as image:
                image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
            return Checked(None, Refusal.NOT_A_DOCUMENT)
    return Checked(content_type)


def store_document(
    db: Session, upload_dir: Path, data: bytes, content_type: str
) -> tuple[str, str]:
    """Write the document under a random name; return (stored name, sha256).

    The file goes away again if `db`'s transaction rolls back instead of committing.
    """
    upload_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stored_name = secrets.token_hex(20) + EXTENSIONS[content_type]
    path = upload_dir / stored_name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    db.info.setdefault(_UNCOMMITTED, []).append(path)
    return stored_name, hashlib.sha256(data).hexdigest()


@sa.event.listens_for(Session, "after_commit")
def _keep_files(session: Session) -> None:
    session.info.pop(_UNCOMMITTED, None)


@sa.event.listens_for(Session, "after_soft_rollback")
def _remove_files(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:
        return
    for path in session.info.pop(_UNCOMMITTED, []):
        path.unlink(missing_ok=True)


def document_path(upload_dir: Path, stored_name: str) -> Path | None:
    """The stored file's path, refusing any name that would leave the upload directory."""
    path = (upload_dir / stored_name).resolve()
    if path.parent != upload_dir.resolve() or not path.is_file():
        return None
    return path
