"""schema_fast's shortcuts agree with what they stand for: the narrowed
`post-date` pattern with formats.is_post_date, and the fused checks of a
schema with jsonschema (more schema shapes than tests/test_schema.py's)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from newslint.formats import is_post_date
from newslint.schema_fast import _SURE_POST_DATE, _post_date_ok, compile_fast

# Each field of a post date, in range or just out of it, with one or two digits.
_FIELD = st.sampled_from(["0", "00", "1", "01", "2", "02", "9", "09", "10", "12", "13", "19", "20", "23", "24", "28", "29",
                          "30", "31", "32", "59", "60", "61", "99", "123", "x"])
_YEAR = st.sampled_from(["0000", "0001", "1900", "2000", "2023", "2024", "9999", "999", "20245"])
_TZ = st.sampled_from(["", "Z", "z", " Z", "+09:00", "+0900", " +0900", "-05:00", "+23:59", "+24:00", "+09:60",
                       "+9:00", "+09:0"])


@st.composite
def _dates(draw):
    text = f"{draw(_YEAR)}-{draw(_FIELD)}-{draw(_FIELD)}"
    if draw(st.booleans()):
        text += draw(st.sampled_from([" ", "T", "t", "  "])) + f"{draw(_FIELD)}:{draw(_FIELD)}"
        if draw(st.booleans()):
            text += f":{draw(_FIELD)}" + draw(st.sampled_from(["", ".5", ".123456", "."]))
    return text + draw(_TZ) + draw(st.sampled_from(["", " ", "\n", "\t ", "x"]))


@settings(max_examples=3000, deadline=None)
@given(_dates())
def test_the_narrowed_post_date_pattern_says_valid_only_of_valid_dates(text):
    if _SURE_POST_DATE(text) is not None:
        assert is_post_date(text)
    assert _post_date_ok(text) == is_post_date(text)


def test_the_narrowed_post_date_pattern_on_every_day_and_time():
    for year, month, day in itertools.product(("0000", "0001", "2024"), range(0, 14), range(0, 33)):
        for tail in ("", " 10:00:00 +0900", "T23:59:60Z", " 24:00", " 9:05 -05:00"):
            for text in (f"{year}-{month:02d}-{day:02d}{tail}", f"{year}-{month}-{day}{tail}"):
                assert _post_date_ok(text) == is_post_date(text), text
                if _SURE_POST_DATE(text) is not None:
                    assert is_post_date(text), text
    assert _post_date_ok(3) and _post_date_ok(None)


# Schema shapes the fused checks handle (a type of plain classes with other
# keywords, anyOf of plain and other subschemas, items of mixed types).
_SCHEMAS = [
    {"type": "object", "required": ["a"], "properties": {"a": {"type": "string", "minLength": 2, "maxLength": 3}}},
    {"type": "object", "properties": {"a": {"type": "string", "maxLength": 1, "format": "post-date"}},
     "required": ["b"]},
    {"properties": {"a": {"type": "array", "items": {"type": ["string", "integer"]}}}, "required": ["a"]},
    {"properties": {"a": {"anyOf": [{"type": "boolean"}, {"type": "array", "items": {"type": "null"}},
                                    {"type": ["number", "string"]}]}}},
    {"type": "object", "properties": {"a": {"type": "object", "required": ["k"], "properties": {
        "k": {"anyOf": [{"type": "integer"}, {"type": "string", "minLength": 1}]}}}}, "allOf": [{"required": ["a"]}]},
    {"properties": {"a": {"items": {"anyOf": [{"type": "string"}, {}]}}, "b": {"type": "string", "pattern": "^x"}}},
    {"type": ["object", "null"], "properties": {"a": {"type": "array", "items": {"type": "number"}, "minLength": 1}}},
]
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from([1.5, 2.0])
    | st.sampled_from(["", "x", "xy", "xyz", "abcd", "2024-01-02", "2024-02-30", "2024-01-02 10:00:00 +0900"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["k", "z"]), inner, max_size=2),
    max_leaves=6,
)


@settings(max_examples=600, deadline=None)
@given(st.sampled_from(range(len(_SCHEMAS))), st.dictionaries(st.sampled_from(["a", "b", "c"]), _VALUES, max_size=3)
       | _VALUES)
def test_fused_checks_agree_with_jsonschema(index, data):
    from jsonschema import Draft202012Validator

    from newslint.formats import format_checker

    schema = _SCHEMAS[index]
    fast = compile_fast(schema, {}, "newslint:post", 0.25)
    assert fast is not None
    valid = not list(Draft202012Validator(schema, format_checker=format_checker()).iter_errors(data))
    assert bool(fast(data)) == valid, (schema, data)
