"""Emails (custgraph.matching.standardize.emails)."""

import pytest

from custgraph.matching.standardize import InvalidValue, email_domain, standardize_email


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Foo.Bar@Example.COM", "foo.bar@example.com"),
        ("  user@qq.com  ", "user@qq.com"),
        ("ｕｓｅｒ＠ｑｑ．ｃｏｍ", "user@qq.com"),  # full-width letters, at sign and dot
        ("user@qq。com", "user@qq.com"),  # ideographic full stop from a Chinese input method
        ("mailto:Sales@Acme.cn", "sales@acme.cn"),
        ("<sales@acme.cn>", "sales@acme.cn"),
        ("user+tag@gmail.com", "user+tag@gmail.com"),
        ("张三@例子.中国", "张三@例子.中国"),  # internationalized addresses are valid
    ],
)
def test_email_valid(raw: object, expected: str) -> None:
    assert standardize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["foo", "foo@", "@bar.com", "a@b", "a..b@x.com", "a b@x.com", "a@b@c.com", "a@localhost", 12345,
     "a@x.local"],
)  # fmt: skip
def test_email_invalid(raw: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        standardize_email(raw)
    assert caught.value.reason == "not a valid email address"


@pytest.mark.parametrize("raw", [None, "", "  ", "-", "无", "N/A"])
def test_blank_email_is_none(raw: object) -> None:
    assert standardize_email(raw) is None


def test_email_domain() -> None:
    assert email_domain("a@acme.cn") == "acme.cn"
    assert email_domain(None) is None
    assert email_domain("nodomain") is None
