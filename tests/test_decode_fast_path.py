"""decode() takes a short cut for a file that begins with a front matter
fence; it must answer what the general path answers."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newslint.document import _decode, decode

_PIECES = [b"---\n", b"title: x\n", b"\x00", b"\x00\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\x89PNG", b"%PDF",
           "한글 본문".encode("utf-8"), "한글".encode("cp949"), b"\x80", b"\xed\xa0\x80", b"a" * 9000, b"\r\n", b"-"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.binary(max_size=12)), max_size=8))
def test_fence_short_cut_answers_what_the_general_path_answers(pieces):
    for head in (b"---", b"---\n", b"--", b""):
        raw = head + b"".join(pieces)
        assert decode(raw) == _decode(raw), raw[:80]


def test_fence_short_cut_cases():
    for raw in [b"---\ntitle: x\n---\nbody\n", b"---\n\x00\x00\x00", b"---\n" + "한글".encode("cp949"),
                b"---" + b"a" * 8190 + b"\x00", b"---" + b"a" * 8200 + b"\x00", b"---\n\x00" + b"\x00a" * 100]:
        assert decode(raw) == _decode(raw), raw[:80]
