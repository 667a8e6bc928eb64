"""Uploaded proof documents: what a file really is, and where it is kept. No Flask here.

The type comes from the bytes (magic numbers, and Pillow opening images), never
from the file's name or the browser's content type. Files live outside the web
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
from pathlib import Path

import sqlalchemy as sa
from PIL import Image
from sqlalchemy.orm import Session, SessionTransaction

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}
_PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG"}
_UNCOMMITTED = "linking.documents.uncommitted"  # Session.info key: files written, not yet kept


def sniff_document(data: bytes) -> str | None:
    """The content type of an accepted document (PDF, PNG, JPEG), or None for anything else."""
    if data.startswith(b"%PDF-"):
        # A PDF ends with %%EOF (give or take trailing whitespace from some writers).
        return PDF if b"%%EOF" in data[-2048:] else None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG if _image_opens(data, PNG) else None
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG if _image_opens(data, JPEG) else None
    return None


def _image_opens(data: bytes, content_type: str) -> bool:
    """Decode the whole image: a file that merely starts like one is refused."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.format != _PILLOW_FORMATS[content_type]:
                    return False
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
            return False
    return True


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
