"""Search blocking keys and the rapidfuzz scorer (custgraph/search), table-driven."""

from __future__ import annotations

import pytest

from custgraph.search.keys import customer_keys, query_keys
from custgraph.search.scorer import rank

ZHANG = {
    "id": "C000123",
    "name": "张伟",
    "mobile": "+8613812345678",
    "email": "zhangwei@huawei.com",
    "company": "华为技术有限公司",
}
CHEN = {"id": "C000124", "name": "陈静怡", "email": "jingyi.chen@yongtai.com.cn"}


def test_customer_keys_cover_every_searchable_field() -> None:
    keys = customer_keys(ZHANG)
    assert {
        "id:C000123",
        "n:张伟",
        "py:zhangwei",
        "m:13812345678",
        "d:5678",
        "d:1381",
        "e:zhangwei@huawei.com",
        "co:华为技术",
        "b:华为",
        "b:技术",
    } <= keys
    assert "b:陈静" in customer_keys(CHEN) and "t:jin" in customer_keys(CHEN)


@pytest.mark.parametrize(
    ("query", "shares_a_key_with"),
    [
        ("张伟", ZHANG),
        ("张玮", ZHANG),
        ("zhangwei", ZHANG),
        ("5678", ZHANG),
        ("8123", ZHANG),
        ("138-1234-5678", ZHANG),
        ("c123", ZHANG),
        ("华为", ZHANG),
        ("静怡", CHEN),
        ("JINGYI.CHEN@yongtai.com.cn", CHEN),
    ],
)
def test_queries_share_a_key_with_their_customer(query: str, shares_a_key_with: dict[str, str]) -> None:
    assert query_keys(query) & customer_keys(shares_a_key_with)


@pytest.mark.parametrize("query", ["", "   ", "12"])
def test_too_short_queries_have_no_phone_keys(query: str) -> None:
    assert not any(k.startswith(("d:", "m:")) for k in query_keys(query))


@pytest.mark.parametrize(
    ("query", "best", "field"),
    [
        ("张伟", "C000123", "name"),
        ("张玮", "C000123", "pinyin"),
        ("C000124", "C000124", "id"),
        ("5678", "C000123", "mobile"),
        ("jingyi.chen@yongtai.com.cn", "C000124", "email"),
        ("华为", "C000123", "company"),
        ("陈静仪", "C000124", "pinyin"),
    ],
)
def test_rank_puts_the_right_customer_first(query: str, best: str, field: str) -> None:
    ranked = rank(query, [ZHANG, CHEN], 5)
    assert ranked and ranked[0][0]["id"] == best and ranked[0][1].field == field


def test_exact_hits_score_one_and_unrelated_candidates_are_dropped() -> None:
    assert rank("13812345678", [ZHANG, CHEN], 5)[0][1].score == 1.0
    assert rank("完全无关", [ZHANG, CHEN], 5) == []
