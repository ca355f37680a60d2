"""Every virtual field and matching key is total: any text in any field gives a string or None."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from custgraph.matching.record import MatchRecord
from custgraph.matching.virtual_fields import VIRTUAL_FIELDS

TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet="张王李赵深圳市省区县路号@.· ()（）先生女士科技有限公司abcXYZ0123456789", max_size=30),
)
FIELDS = st.dictionaries(
    st.sampled_from(["name", "first_name", "last_name", "customer_type", "company", "city", "address", "email",
                     "mobile", "mobile_masked"]),
    TEXT,
    max_size=8,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(FIELDS)
def test_virtual_fields_never_raise(fields: dict[str, str]) -> None:
    rec = MatchRecord("s|1", "s", fields)
    for name in VIRTUAL_FIELDS:
        value = rec.key(name)
        assert value is None or isinstance(value, str)
        for transform in ("pinyin", "city", "city_pinyin", "company"):
            keyed = rec.key(name, transform)
            assert keyed is None or isinstance(keyed, str)
