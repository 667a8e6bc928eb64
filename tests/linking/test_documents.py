"""What an uploaded document may be: images bounded by pixels before decoding, PDFs parsed."""

from __future__ import annotations

import io
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader

from portal.linking.documents import (
    JPEG,
    MAX_DOCUMENT_BYTES,
    MAX_IMAGE_PIXELS,
    PDF,
    PNG,
    Checked,
    Refusal,
    check_document,
    sniff_document,
)
from portal.linking.pdf_check import CPU_SECONDS, MAX_OBJECTS, MAX_PAGES

from . import pdfs


def _image(fmt: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, 255 if mode in ("1", "L") else (255, 255, 255)).save(buffer, fmt)
    return buffer.getvalue()


def test_the_pixel_cap_is_that_of_the_verifier() -> None:
    from portal.proof.cards.qr import MAX_IMAGE_PIXELS as VERIFY_CAP

    assert MAX_IMAGE_PIXELS == VERIFY_CAP == 24_000_000


def test_a_huge_png_is_refused_before_it_is_decoded() -> None:
    # 9400 x 9400 (88 megapixels): under Pillow's own bomb limit, but its pixels alone
    # take 265 MB as RGB. One bit per pixel keeps the file and this test small.
    data = _image("PNG", (9400, 9400), mode="1")
    started = time.perf_counter()
    checked = check_document(data)
    elapsed = time.perf_counter() - started
    assert checked.content_type is None
    assert checked.refusal == Refusal.TOO_MANY_PIXELS
    assert sniff_document(data) is None
    assert elapsed < 0.2, f"took {elapsed:.2f}s: the image was decoded"


def test_a_huge_jpeg_is_refused_too() -> None:
    data = _image("JPEG", (6001, 4001), mode="L")
    assert check_document(data).refusal == Refusal.TOO_MANY_PIXELS


def test_an_image_at_the_cap_is_accepted() -> None:
    data = _image("PNG", (6000, 4000), mode="1")
    assert check_document(data).content_type == PNG


def test_a_plain_photo_is_accepted() -> None:
    checked = check_document(_image("JPEG", (1200, 1600)))
    assert checked.content_type == JPEG and checked.refusal is None


# --- PDFs ---------------------------------------------------------------------------


def test_a_plain_pdf_is_accepted() -> None:
    assert check_document(pdfs.plain()) == Checked(PDF)
    assert check_document(pdfs.plain(page_count=MAX_PAGES)) == Checked(PDF)


def test_a_pdf_made_by_a_real_writer_is_accepted() -> None:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Birth certificate")
    page.showPage()
    page.drawImage(ImageReader(io.BytesIO(_image("PNG", (200, 100)))), 72, 500)
    page.save()
    assert check_document(buffer.getvalue()) == Checked(PDF)


def test_a_program_between_pdf_markers_is_refused() -> None:
    elf = b"%PDF-1.4\n\x7fELF\x02\x01\x01" + bytes(range(256)) * 40 + b"\n%%EOF\n"
    assert check_document(elf) == Checked(None, Refusal.NOT_A_DOCUMENT)
    assert check_document(b"%PDF-1.4 but never ends").refusal == Refusal.NOT_A_DOCUMENT


def test_a_pdf_without_pages_is_refused() -> None:
    empty = pdfs.with_table([pdfs.CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"])
    assert check_document(empty).refusal == Refusal.NOT_A_DOCUMENT


@pytest.mark.parametrize(
    "catalog",
    [
        # Document JavaScript, run when the file opens.
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>",
        # A launch action: opens a program.
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) >> >>",
        # A file carried inside the PDF.
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
        # The same names spelt with #xx escapes, as PDF allows.
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript /J#53 (x) >> >>",
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /L#61unch /F (cmd.exe) >> >>",
    ],
)
def test_active_content_is_refused(catalog: bytes) -> None:
    data = pdfs.plain(catalog, extra=(b"<< /Names [(a.exe) 5 0 R] >>",))
    assert check_document(data) == Checked(None, Refusal.PDF_ACTIVE_CONTENT)


def test_javascript_on_a_page_annotation_is_refused() -> None:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] >>"
    link = b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /JavaScript /JS 5 0 R >> >>"
    data = pdfs.with_table([pdfs.CATALOG, pdfs.pages(1), page, link, b"(app.alert(1))"])
    assert check_document(data).refusal == Refusal.PDF_ACTIVE_CONTENT


def test_an_attached_file_is_refused() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert check_document(buffer.getvalue()).refusal == Refusal.PDF_ACTIVE_CONTENT


def test_javascript_hidden_in_a_compressed_object_stream_is_refused() -> None:
    """Object 5 lives inside object stream 4, where the raw bytes show nothing."""
    action = b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>"
    objects = [catalog, pdfs.pages(1), pdfs.PAGE, pdfs.object_stream([(5, action)])]
    data = pdfs.with_xref_stream(objects, {5: (4, 0)})
    assert b"JavaScript" not in data and b"J#61" not in data
    assert check_document(data).refusal == Refusal.PDF_ACTIVE_CONTENT
    # The same file with a harmless object there is accepted: the refusal is the script.
    harmless = [catalog, pdfs.pages(1), pdfs.PAGE, pdfs.object_stream([(5, b"<< /X 1 >>")])]
    assert check_document(pdfs.with_xref_stream(harmless, {5: (4, 0)})) == Checked(PDF)


def test_a_script_that_no_table_lists_is_refused() -> None:
    data = pdfs.plain() + b"9 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n"
    assert check_document(data).refusal == Refusal.PDF_ACTIVE_CONTENT


def test_stream_bytes_that_happen_to_spell_a_name_are_not_active_content() -> None:
    # Compressed image data is random: "/JS" or "/EF" turns up in large scans by chance.
    image = pdfs.stream(b"/Type /XObject /Subtype /Image", b"\x00/JS\x00/EF\x00/Launch ")
    assert check_document(pdfs.plain(extra=(image,))) == Checked(PDF)


def test_too_many_pages_or_objects_are_refused() -> None:
    assert check_document(pdfs.plain(page_count=MAX_PAGES + 1)).refusal == Refusal.PDF_TOO_LARGE
    many = pdfs.plain(extra=tuple(b"<< /N %d >>" % n for n in range(MAX_OBJECTS)))
    assert check_document(many).refusal == Refusal.PDF_TOO_LARGE


def test_a_password_protected_pdf_is_refused_and_an_owner_password_alone_is_not() -> None:
    from pypdf import PdfWriter

    def encrypted(user: str) -> bytes:
        writer = PdfWriter()
        writer.add_blank_page(612, 792)
        writer.encrypt(user_password=user, owner_password="owner", algorithm="AES-128")
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    assert check_document(encrypted("secret")).refusal == Refusal.PDF_ENCRYPTED
    assert check_document(encrypted("")) == Checked(PDF)


def test_a_decompression_bomb_ends_within_its_limits() -> None:
    """Sixty object streams that each inflate to 70 MB: 4 GB of work from a 4 MB file."""
    bomb = zlib.compress(b"\x00" * 70_000_000, 9)
    objects = [pdfs.CATALOG, pdfs.pages(1), pdfs.PAGE]
    objects += [pdfs.object_stream([], deflated=bomb) for _ in range(60)]
    compressed = {100 + n: (4 + n, 0) for n in range(60)}
    data = pdfs.with_xref_stream(objects, compressed)
    assert len(data) < MAX_DOCUMENT_BYTES
    started = time.perf_counter()
    assert check_document(data).refusal == Refusal.PDF_TOO_LARGE
    assert time.perf_counter() - started < CPU_SECONDS + 5


def test_a_killed_or_stuck_check_is_a_refusal(monkeypatch) -> None:
    import subprocess

    from portal.linking import pdf_check

    def killed(*args, **kwargs):  # type: ignore[no-untyped-def]
        return subprocess.CompletedProcess(args, -24, b"", b"")  # SIGXCPU: its CPU limit

    def stuck(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise subprocess.TimeoutExpired("python", 15)

    for fake in (killed, stuck):
        monkeypatch.setattr(pdf_check.subprocess, "run", fake)
        assert check_document(pdfs.plain()).refusal == Refusal.PDF_TOO_LARGE


# --- the form says which ------------------------------------------------------------


def _send(client, document: bytes, filename: str, mimetype: str):  # type: ignore[no-untyped-def]
    data = {
        "first_name": "Lucía",
        "middle_name": "",
        "last_name": "Fernández",
        "birth_date": "2020-07-01",
        "relationship": "guardian",
        "note": "",
        "document": (io.BytesIO(document), filename, mimetype),
    }
    return client.post("/records/add/verification", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            pdfs.plain(b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript >> >>"),
            "This PDF holds scripts, attached files or actions",
        ),
        (pdfs.plain(page_count=MAX_PAGES + 1), "This PDF has more than 50 pages"),
        (_image("PNG", (9400, 9400), mode="1"), "more than 24 megapixels"),
    ],
)
def test_the_form_says_why_a_document_is_refused(
    client, make, login, db, upload_dir, document: bytes, message: str
) -> None:
    import sqlalchemy as sa

    from portal.requests.models import Request

    login(client, make.user())
    stored_before = set(Path(upload_dir).iterdir())
    response = _send(client, document, "scan.pdf", "application/pdf")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.scalars(sa.select(Request)).all() == []
    assert set(Path(upload_dir).iterdir()) == stored_before
