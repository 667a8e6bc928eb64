"""Numeric `shc:/` encoding, chunking at the 1195-character limit, and QR symbols."""

from __future__ import annotations

import re
from typing import Any

import pytest

from portal.proof.cards import (
    QrError,
    Reason,
    decode_qr_chunks,
    decode_qr_image,
    jws_to_qr_chunks,
    make_qr,
    qr_chunks_to_jws,
    qr_matrix,
    qr_png,
    qr_svg,
    scan_qr_image,
)
from portal.proof.cards.qr import check_scanned_qr

JWS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."


def fake_jws(length: int) -> str:
    return (JWS_ALPHABET * (length // len(JWS_ALPHABET) + 1))[:length]


def test_numeric_encoding_matches_the_spec():
    # The spec's own example: 'X' is 88, 88 - 45 = 43.
    assert jws_to_qr_chunks("X") == ["shc:/43"]
    assert jws_to_qr_chunks("-z.") == ["shc:/007701"]
    assert qr_chunks_to_jws(["shc:/007701"]) == "-z."


def test_official_example_text_round_trips(examples):
    text = (examples / "example-00-f-qr-code-numeric-value-0.txt").read_text()
    jws = (examples / "example-00-d-jws.txt").read_text()
    assert qr_chunks_to_jws([text]) == jws
    assert jws_to_qr_chunks(jws) == [text]


def test_1195_character_vector_stays_one_qr(testdata):
    text = (testdata / "test-example-1195-byte-qrnumeric.txt").read_text()
    jws = qr_chunks_to_jws([text])

    assert 1190 < len(jws) <= 1195
    assert jws_to_qr_chunks(jws) == [text]
    symbol = make_qr(text)
    assert symbol.version <= 22 and symbol.error == "L"


@pytest.mark.parametrize(
    ("length", "sizes"), [(1195, [1195]), (1196, [598, 598]), (2383, [795, 794, 794])]
)
def test_split_only_past_1195_and_balanced(length, sizes):
    jws = fake_jws(length)
    chunks = jws_to_qr_chunks(jws)

    decoded = [
        qr_chunks_to_jws([re.sub(r"^shc:/\d+/\d+/", "shc:/", c)]) for c in chunks
    ]
    assert [len(d) for d in decoded] == sizes
    if len(chunks) > 1:
        assert [c[: c.index("/", 7) + 1] for c in chunks] == [
            f"shc:/{i}/{len(chunks)}/" for i in range(1, len(chunks) + 1)
        ]
    assert qr_chunks_to_jws(chunks[::-1]) == jws
    assert all(make_qr(c).version <= 22 for c in chunks)


def test_largest_single_qr_is_version_22():
    assert make_qr(jws_to_qr_chunks(fake_jws(1195))[0]).version == 22


def test_chunked_decoding_warns_deprecated():
    decoded = decode_qr_chunks(jws_to_qr_chunks(fake_jws(2000)))
    assert decoded.chunk_count == 2
    assert decoded.warnings == [Reason.QR_CHUNKING_DEPRECATED]


@pytest.mark.parametrize(
    ("chunks", "reason"),
    [
        (["shc:/123"], Reason.INVALID_NUMERIC_QR),
        (["shc:/7800"], Reason.INVALID_NUMERIC_QR),
        (["shc:/12a4"], Reason.INVALID_NUMERIC_QR),
        (["shc:/"], Reason.INVALID_NUMERIC_QR),
        (["SHC:/1234"], Reason.INVALID_NUMERIC_QR_HEADER),
        (["shc:1234"], Reason.INVALID_NUMERIC_QR_HEADER),
        ([], Reason.INVALID_NUMERIC_QR_HEADER),
        (["shc:/1/2/1234"], Reason.MISSING_QR_CHUNK),
        (["shc:/1/3/12", "shc:/2/3/34"], Reason.MISSING_QR_CHUNK),
        (["shc:/1/2/12", "shc:/1/2/34"], Reason.INVALID_NUMERIC_QR_HEADER),
        (["shc:/1/2/12", "shc:/3/2/34"], Reason.INVALID_NUMERIC_QR_HEADER),
        (["shc:/1/2/12", "shc:/2/1/34"], Reason.INVALID_NUMERIC_QR_HEADER),
        (["shc:/1/2/12", "shc:/3434"], Reason.INVALID_NUMERIC_QR_HEADER),
        (["shc:/0/2/12", "shc:/2/2/34"], Reason.INVALID_NUMERIC_QR_HEADER),
    ],
)
def test_bad_numeric_text_is_refused_with_a_reason(chunks, reason):
    with pytest.raises(QrError) as caught:
        qr_chunks_to_jws(chunks)
    assert caught.value.reason == reason


def test_single_chunk_with_1_of_1_header_is_read_with_a_warning():
    decoded = decode_qr_chunks(["shc:/1/1/4344"])
    assert decoded.jws == "XY"
    assert decoded.warnings == [Reason.INVALID_NUMERIC_QR_HEADER]


def _spec_segments_version(text: str) -> int:
    """The version of the spec's two explicit segments (byte `shc:/` + header, numeric
    digits) at level L, as segno builds it: the size the written symbol must match."""
    import segno
    from segno import consts

    head = re.match(r"shc:/(\d+/\d+/)?", text).end()
    segments: Any = [(text[:head], consts.MODE_BYTE), (text[head:], consts.MODE_NUMERIC)]
    return int(segno.make_qr(segments, error="L", boost_error=False).version)


def test_symbol_is_level_l_at_the_spec_examples_version(examples):
    text = (examples / "example-00-f-qr-code-numeric-value-0.txt").read_text()
    symbol = make_qr(text)

    assert symbol.error == "L"
    # The spec's own rendering of this text is 97 units wide: 89 modules, version 18.
    svg = (examples / "example-00-g-qr-code-0.svg").read_text()
    assert 'viewBox="0 0 97 97"' in svg
    assert symbol.version == 18 == _spec_segments_version(text)
    assert len(symbol.modules) == 89
    # One all-byte segment would need a larger symbol: the digits are in numeric mode.
    import segno

    assert (
        segno.make_qr(text, mode="byte", error="L", boost_error=False).version
        > symbol.version
    )


@pytest.mark.parametrize(("length", "versions"), [(1195, [22]), (2000, [20, 20]), (700, [17])])
def test_written_symbol_reads_back_exactly_at_its_version_and_level(length, versions):
    """zxing-cpp's writer takes no explicit segments, so what it wrote is read back: the
    exact `shc:/` text, level L, and the version of the spec's byte + numeric segments
    (the smallest that holds them)."""
    chunks = jws_to_qr_chunks(fake_jws(length))
    assert len(chunks) == len(versions)

    for chunk, version in zip(chunks, versions, strict=True):
        symbol = make_qr(chunk)
        [scanned] = scan_qr_image(qr_png(chunk, scale=2))
        assert scanned.text == chunk
        assert (scanned.version, scanned.ec_level) == (version, "L")
        assert symbol.version == version == _spec_segments_version(chunk)
        assert check_scanned_qr(scanned) == ([], [])


def test_matrix_and_svg_describe_the_same_symbol(examples):
    text = (examples / "example-00-f-qr-code-numeric-value-0.txt").read_text()
    matrix = qr_matrix(text)
    assert len(matrix) == len(matrix[0]) == 17 + 4 * 18
    assert matrix[0][:7] == [True] * 7  # finder pattern
    assert qr_matrix(text, border=4)[0] == [False] * (89 + 8)
    assert qr_svg(text).startswith("<svg")


def test_png_and_jpeg_decode(tmp_path, examples, testdata):
    text = (examples / "example-00-f-qr-code-numeric-value-0.txt").read_text()
    png = qr_png(text)
    assert decode_qr_image(png) == [text]
    [scanned] = scan_qr_image(png)
    assert scanned.version == 18
    assert check_scanned_qr(scanned) == ([], [])

    from io import BytesIO

    from PIL import Image

    jpeg = BytesIO()
    Image.open(BytesIO(qr_png(text, scale=5))).convert("RGB").save(
        jpeg, format="JPEG", quality=90
    )
    assert decode_qr_image(jpeg.getvalue()) == [text]
    assert decode_qr_image(
        (testdata / "test-example-00-g-qr-code-0-scaled-85.jpg").read_bytes()
    )[0].startswith("shc:/")


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "corrupted"],
    ids=["empty", "text", "gif", "corrupted-qr"],
)
def test_undecodable_images_raise_qr_decode_error(data, testdata):
    if data == "corrupted":
        data = (testdata / "test-example-00-g-qr-code-0-corrupted.png").read_bytes()
    with pytest.raises(QrError) as caught:
        decode_qr_image(data)
    assert caught.value.reason == Reason.QR_DECODE_ERROR


def test_make_qr_refuses_text_that_is_not_numeric_shc():
    with pytest.raises(QrError):
        make_qr("shc:/12ab")
    with pytest.raises(QrError) as caught:
        make_qr("shc:/" + "01" * 1196)  # one character past what version 22 holds
    assert caught.value.reason == Reason.INVALID_QR_VERSION
