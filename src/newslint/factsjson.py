"""A post's facts (see :mod:`newslint.site.facts`) as JSON text: what the
cache keeps, and what a pool worker sends back.

``json.dumps(facts, ensure_ascii=False, separators=(",", ":"))`` builds a
``JSONEncoder``, and then its C encoder, on every call: for a post's small
facts that costs about as much as the encoding itself. The C encoder is made
once here, with the arguments ``dumps`` gives it, so the text is the same.
"""

from __future__ import annotations

import json
import json.encoder
from typing import Any, Callable

# No circular check: the facts are trees made afresh for each post.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _c_encoder() -> Callable[[Any, int], Any]:
    make = json.encoder.c_make_encoder
    if make is not None:
        try:
            return make(None, _ENCODER.default, json.encoder.encode_basestring, _ENCODER.indent,
                        _ENCODER.key_separator, _ENCODER.item_separator, _ENCODER.sort_keys, _ENCODER.skipkeys,
                        _ENCODER.allow_nan)
        except TypeError:  # pragma: no cover - a json module whose C encoder takes other arguments
            pass
    return _ENCODER.iterencode  # pragma: no cover - a Python without the C accelerator


_encode = _c_encoder()


def facts_json(facts: Any) -> str:
    """A post's facts as the cache keeps them; the cache's rows of findings too
    (checked to round-trip before they get here: see cache.encode_result)."""
    return "".join(_encode(facts, 0))
