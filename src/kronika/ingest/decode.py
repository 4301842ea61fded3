"""Bytes → text for every reader, without guessing more than needed.

Why this order: news archives are overwhelmingly UTF-8, sometimes with a BOM (Windows
tools), sometimes UTF-16 with a BOM (Excel's "Unicode text" export), and old ones are
Windows-1252. A BOM is proof; otherwise strict UTF-8 is tried first because cp1252 decodes
almost any byte string and would hide mojibake. Whatever decodes is then checked for
binary junk (a PDF or an image handed to ingest by mistake) so it becomes a clear problem
instead of an "article" of control characters.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0 controls other than tab, newlines, form feed; DEL. Text has almost none of these.
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")
MAX_CONTROL_RATIO = 0.02
MIN_CONTROLS = 8  # a stray control character or two is noise, not a binary file


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text and the encoding that decoded it, or the reason nothing could."""

    text: str | None
    encoding: str | None
    reason: str | None = None


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` (BOM → UTF-8 → cp1252), strip NULs, refuse binary junk. Never raises."""
    decoded = _decode(data)
    if decoded.text is None:
        return decoded
    text = decoded.text.replace("\x00", "")
    controls = len(_CONTROL.findall(text))
    if controls >= MIN_CONTROLS and controls > MAX_CONTROL_RATIO * len(text):
        return Decoded(None, None, "binary data, not text (too many control characters)")
    return Decoded(text, decoded.encoding)


def _decode(data: bytes) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                return Decoded(None, None, f"undecodable: starts with a {encoding} byte-order mark but {exc.reason} "
                                           f"at byte {exc.start}")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError as exc:
        return Decoded(None, None, f"undecodable: neither UTF-8 nor Windows-1252 text "
                                   f"(byte 0x{data[exc.start]:02x} at offset {exc.start})")
