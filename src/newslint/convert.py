"""``newslint convert-encoding``: the one explicit way to turn a legacy post into UTF-8.

Linting never guesses an encoding (``file-encoding`` only reports). Converting
is a separate command that the author runs on purpose, naming the encoding:

* the file is decoded strictly as CP949 (a superset of EUC-KR that also has
  syllables such as 똠 and 햏; EUC-KR itself is never tried);
* the decoded text must encode back to exactly the bytes read (round trip),
  or nothing is written;
* conjoining jamo runs, if the decoding yields any, are composed run by run
  (never the whole file: compatibility hanja such as U+F914 stay as they are);
* the UTF-8 bytes are written atomically (same-folder temp file, fsync, the
  original's mode, ``os.replace``), only if the file did not change meanwhile.

A file that is already valid UTF-8 is left alone.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass

ENCODINGS = ("cp949",)

_JAMO_RUN = re.compile("[\uac00-\ud7a3]?[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]+")


@dataclass
class Conversion:
    path: str
    status: str  # "converted", "already-utf8", "failed"
    message: str

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def compose_jamo(text: str) -> str:
    """NFC on conjoining jamo runs only; every other character stays as it is."""
    return _JAMO_RUN.sub(lambda m: unicodedata.normalize("NFC", m.group()), text)


def convert_bytes(raw: bytes, encoding: str) -> str:
    """Decode ``raw`` strictly; raise ValueError (with the byte offset) or when the
    round trip does not give back the same bytes."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unsupported encoding {encoding!r} (supported: {', '.join(ENCODINGS)})")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValueError(f"not valid {encoding.upper()} at byte {exc.start} (line {line}): "
                         f"0x{raw[exc.start]:02x}; nothing was written") from None
    if text.encode(encoding) != raw:
        raise ValueError(f"decoding as {encoding.upper()} does not round-trip to the same bytes; nothing was written")
    return compose_jamo(text)


def convert_file(path: str, encoding: str) -> Conversion:
    """Convert one file to UTF-8 in place. Never raises."""
    from .atomic import ChangedOnDisk, write_atomic

    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return Conversion(path, "failed", "not a regular file (a symlink, a folder or a device); nothing was written")
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return Conversion(path, "failed", f"cannot read file: {exc.strerror or exc}")
    try:
        raw.decode("utf-8")
        return Conversion(path, "already-utf8", "already UTF-8; left unchanged")
    except UnicodeDecodeError:
        pass
    try:
        text = convert_bytes(raw, encoding)
    except ValueError as exc:
        return Conversion(path, "failed", str(exc))
    data = text.encode("utf-8")
    if data.decode("utf-8") != text:  # pragma: no cover - UTF-8 always round-trips
        return Conversion(path, "failed", "UTF-8 round trip failed; nothing was written")
    try:
        write_atomic(path, data, hashlib.sha256(raw).digest(), st.st_mode)
    except ChangedOnDisk:
        return Conversion(path, "failed", "file changed on disk while converting; nothing was written")
    except OSError as exc:
        return Conversion(path, "failed", f"cannot write file: {exc.strerror or exc}; nothing was written")
    return Conversion(path, "converted", f"converted from {encoding.upper()} to UTF-8 ({len(raw)} -> {len(data)} bytes)")
