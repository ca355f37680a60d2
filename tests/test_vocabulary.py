"""One registry per concept: the shared names live in custgraph/vocabulary.py and nowhere else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from custgraph import vocabulary
from custgraph.graph.schema import UNIQUE_KEYS
from custgraph.ingest.fields import DATE_FIELDS as INGEST_DATE_FIELDS
from custgraph.ingest.fields import IDENTIFIER_FIELDS as INGEST_IDENTIFIER_FIELDS
from custgraph.matching.hubs import HubSettings
from custgraph.matching.standardize import DATE_FIELDS as STANDARDIZE_DATE_FIELDS

PACKAGE = Path(vocabulary.__file__).parent
REGISTRY = Path(vocabulary.__file__)

# What a copied definition looks like in source text.
COPIES = {
    "Han-character range": re.compile(r"\\u3400|\\u4e00|\\u9fff|一-龥"),
    "outcome names": re.compile(r"""["']matched["'],\s*["']review["'],\s*["']new["'],\s*["']unmatched["']"""),
    "date fields": re.compile(r"""["']birth_date["'],\s*["']first_contact["']"""),
    "identifier fields": re.compile(r"""["']mobile["'],\s*["']phone["'],\s*["']email["'],\s*["']national_id["']"""),
    "identifier labels": re.compile(r"""HAS_MOBILE\|HAS_PHONE|["']HAS_MOBILE["'],"""),
}


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != REGISTRY)


@pytest.mark.parametrize("concept", sorted(COPIES))
def test_no_module_defines_its_own_copy(concept: str) -> None:
    pattern = COPIES[concept]
    copies = [str(p.relative_to(PACKAGE)) for p in _sources() if pattern.search(p.read_text(encoding="utf-8"))]
    assert copies == [], f"{concept} defined outside custgraph/vocabulary.py: {copies}"


def test_the_registry_itself_is_seen_by_the_patterns() -> None:
    # the check above would pass vacuously if the patterns matched nothing at all
    text = REGISTRY.read_text(encoding="utf-8")
    assert COPIES["Han-character range"].search(text)
    assert COPIES["outcome names"].search('("matched", "review", "new", "unmatched")')


def test_every_layer_uses_the_same_identifier_fields() -> None:
    assert INGEST_IDENTIFIER_FIELDS == vocabulary.IDENTIFIER_FIELDS
    assert tuple(HubSettings().fields) == vocabulary.IDENTIFIER_FIELDS
    assert "phone" in vocabulary.IDENTIFIER_FIELDS
    for identifier in vocabulary.IDENTIFIERS:
        assert UNIQUE_KEYS[identifier.label] == "value"


def test_every_layer_uses_the_same_date_fields() -> None:
    assert INGEST_DATE_FIELDS is vocabulary.DATE_FIELDS
    assert STANDARDIZE_DATE_FIELDS is vocabulary.DATE_FIELDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [("张伟", True), ("Zhang Wei", False), ("㐀", True), ("\U00020000", True), ("豈", True), ("123", False)],
)
def test_han_detection_covers_the_extension_blocks(text: str, expected: bool) -> None:
    assert vocabulary.has_han(text) is expected


@pytest.mark.parametrize(
    ("kind", "label"),
    [("visit", "拜访"), ("call", "电话"), ("satisfaction", "满意度回访"), ("event", "活动"), ("other", "其他"),
     ("上门拜访", "上门拜访"), (None, None)],
)  # fmt: skip
def test_interaction_labels_are_the_vocabularys_first_spelling(kind: str | None, label: str | None) -> None:
    assert vocabulary.interaction_label(kind) == label
