"""Guess the encoding of a text export: UTF-8 (with or without BOM), GB18030, or UTF-16 with a BOM.

Chinese CRM and Excel exports come in UTF-8 or GBK/GB18030 and never say which. The guess reads the whole
file once per candidate in 1 MiB chunks (memory stays flat): a strict UTF-8 pass, then GB18030. A file
that is clean in neither is decoded with replacement characters, by the encoding that explains it best,
and the number of replaced byte sequences is reported; one bad byte must not stop an import.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

_CHUNK = 1 << 20
_REPLACEMENT = "\ufffd"

# A UTF-8 file with a few broken bytes still decodes mostly into valid multi-byte characters; GB18030 text
# read as UTF-8 yields about as many errors as characters. Valid characters per error separates the two.
_UTF8_VALID_PER_ERROR = 10


@dataclass(frozen=True)
class DetectedEncoding:
    name: str  # a Python codec name: "utf-8-sig", "gb18030" or "utf-16"
    replaced: int = 0  # invalid byte sequences that decoding will replace with U+FFFD

    @property
    def errors(self) -> str:
        return "replace" if self.replaced else "strict"


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            yield chunk


def _decodes_strictly(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        for chunk in _chunks(path):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _decode_stats(path: Path, encoding: str) -> tuple[int, int]:
    """(invalid sequences, valid non-ASCII characters) when decoding with replacement."""
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    errors = non_ascii = 0
    for chunk in chain(_chunks(path), [b""]):  # the empty chunk flushes the decoder
        text = decoder.decode(chunk, final=not chunk)
        bad = text.count(_REPLACEMENT)
        errors += bad
        non_ascii += len(text) - len(text.encode("ascii", "ignore")) - bad
    return errors, non_ascii


def detect_encoding(path: Path) -> DetectedEncoding:
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text" export
        if _decodes_strictly(path, "utf-16"):
            return DetectedEncoding("utf-16")
        return DetectedEncoding("utf-16", _decode_stats(path, "utf-16")[0])
    if _decodes_strictly(path, "utf-8-sig"):
        return DetectedEncoding("utf-8-sig")
    utf8_errors, utf8_valid = _decode_stats(path, "utf-8-sig")
    if utf8_valid >= _UTF8_VALID_PER_ERROR * utf8_errors:
        return DetectedEncoding("utf-8-sig", utf8_errors)
    if _decodes_strictly(path, "gb18030"):
        return DetectedEncoding("gb18030")
    gb_errors, _ = _decode_stats(path, "gb18030")
    if gb_errors < utf8_errors:
        return DetectedEncoding("gb18030", gb_errors)
    return DetectedEncoding("utf-8-sig", utf8_errors)
