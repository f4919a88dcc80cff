"""Hypothesis strategies for hostile request bodies, shared by the bad-input and mass-assignment tests."""
import string

from hypothesis import strategies as st

HOSTILE_STRINGS = [
    "", " ", "\x00", "a\x00b", "A" * 5000, "Æ" * 70000, "𝕏" * 300, "\u202e\u200b\ufeff", "' OR 1=1 --",
    "<script>window.__xss=1</script>", "{{7*7}}", "${7*7}", "%s%s%n", "../../etc/passwd", "-1", "0",
    "99999999999999999999999", "1e309", "NaN", "-inf", "2024-13-45", "0000-00-00", "0001-01-01",
    "9999-12-31", "9999-12-31T23:59", "24:61", "1970-01-01T00:00:00Z", "true", "null", "[]", "{}",
    "00000000-0000-0000-0000-000000000000", "not-a-uuid", "2999-01-01T00:00:00+00:00",
    "\ud7ff", "\r\n\r\nSet-Cookie: x=1", "javascript:alert(1)", "999999", "1.5", " 1 ",
]

# Text without surrogates (they cannot be encoded in a form post at all).
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
SCALAR_STRING = st.one_of(st.sampled_from(HOSTILE_STRINGS), TEXT,
                          st.integers(min_value=-(2**70), max_value=2**70).map(str),
                          st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()))
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                        st.floats(allow_nan=False, allow_infinity=False), SCALAR_STRING)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                          max_leaves=6)
FIELD_NAME = st.text(alphabet=string.ascii_letters + string.digits + "_-[].", min_size=1, max_size=20)


@st.composite
def form_body(draw, fields: dict, pool: list[str]):
    """Start from the real form's values; mutate, drop and add fields.

    Returns (kind, body): kind "form" -> list of (name, value) pairs (repeats allowed);
    "json" -> a dict whose values may have any JSON type.
    """
    kind = draw(st.sampled_from(["form", "form", "json"]))
    names = list(fields) or draw(st.lists(st.sampled_from(pool or ["x"]), max_size=6, unique=True))
    pairs = []
    for name in names:
        action = draw(st.sampled_from(["keep", "mutate", "mutate", "drop", "repeat"]))
        default = (fields.get(name) or [""])[0] if fields else ""
        if action == "drop":
            continue
        value = default if action == "keep" else draw(JSON_VALUE if kind == "json" else SCALAR_STRING)
        pairs.append((name, value))
        if action == "repeat":
            pairs.append((name, draw(SCALAR_STRING)))
    for name in draw(st.lists(st.one_of(FIELD_NAME, st.sampled_from(pool or ["x"])), max_size=3)):
        pairs.append((name, draw(JSON_VALUE if kind == "json" else SCALAR_STRING)))
    if kind == "json":
        return kind, dict(pairs)
    return kind, [(n, v if isinstance(v, str) else str(v)) for n, v in pairs]


HEADERS = st.sampled_from([
    {}, {"Accept": "application/json"}, {"HX-Request": "true"},
    {"Accept": "application/json", "HX-Request": "true"},
])
