"""The rules file: shipped defaults load, round-trip, and bad rules fail when they are built."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from custgraph.matching.rules import Rules, load_rules, rules_from_dict


@pytest.fixture(scope="module")
def default_data() -> dict[str, Any]:
    return load_rules().model_dump(mode="json")


def test_defaults_load_and_round_trip(default_data: dict[str, Any]) -> None:
    rules = load_rules()
    assert rules_from_dict(default_data) == rules
    assert rules_from_dict(yaml.safe_load(rules.to_yaml())) == rules
    assert rules.identifiers[:2] == ["mobile", "email"]
    assert {b.name for b in rules.blocking} >= {"mobile", "national_id", "birth_date"}


def test_load_from_path(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(load_rules().to_yaml(), encoding="utf-8")
    assert load_rules(path) == load_rules()


def _edit(data: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def _comparison(data: dict[str, Any], name: str) -> int:
    return next(i for i, c in enumerate(data["comparisons"]) if c["name"] == name)


BAD = [
    (
        "threshold above 1",
        lambda d: _edit(d, ["comparisons", _comparison(d, "city"), "levels", 2, "threshold"], 1.5),
        "threshold",
    ),
    (
        "negative edit distance",
        lambda d: _edit(d, ["comparisons", _comparison(d, "postal_code"), "levels", 1, "max_distance"], 0),
        "max_distance",
    ),
    (
        "unknown transform",
        lambda d: _edit(d, ["comparisons", _comparison(d, "city"), "key"], "metaphone9"),
        "unknown transform",
    ),
    (
        "else not last",
        lambda d: _edit(d, ["comparisons", _comparison(d, "gender"), "levels"], [{"type": "else"}, {"type": "exact"}]),
        "must be 'else'",
    ),
    (
        "duplicate labels",
        lambda d: _edit(
            d,
            ["comparisons", _comparison(d, "gender"), "levels"],
            [{"type": "exact"}, {"type": "exact"}, {"type": "else"}],
        ),
        "unique",
    ),
    ("rule names unknown level", lambda d: _edit(d, ["rules", 0, "when"], {"mobile": ["nearly"]}), "no level 'nearly'"),
    (
        "rule names unknown comparison",
        lambda d: _edit(d, ["rules", 0, "when"], {"shoe_size": ["exact"]}),
        "unknown comparison",
    ),
    ("review above matched", lambda d: _edit(d, ["bands"], {"matched": 0.6, "review": 0.8}), "must not exceed"),
    ("merge easier than match", lambda d: _edit(d, ["clustering", "merge_threshold"], 0.5), "merge_threshold"),
    (
        "bad placeholder regex",
        lambda d: _edit(d, ["hubs", "placeholders", "mobile"], ["(unclosed"]),
        "regular expression",
    ),
    ("blocking name not identifier-safe", lambda d: _edit(d, ["blocking", 0, "name"], "Mobile Number"), "pattern"),
    ("duplicate blocking names", lambda d: _edit(d, ["blocking", 1, "name"], d["blocking"][0]["name"]), "duplicate"),
    (
        "session names unknown comparison",
        lambda d: _edit(d, ["training", "sessions", 0, "fixed"], ["nope"]),
        "unknown names",
    ),
    ("unknown key", lambda d: _edit(d, ["bands", "maybe"], 0.3), "extra"),
    (
        "term frequency on a fuzzy level",
        lambda d: _edit(d, ["comparisons", _comparison(d, "city"), "levels", 4, "term_frequency"], "city"),
        "term_frequency",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_rules_fail_at_construction(default_data: dict[str, Any], case: str, mutate: Any, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Rules.model_validate(mutate(default_data))
    assert message.lower() in str(exc.value).lower()


def test_level_shorthand_and_minimal_rules() -> None:
    rules = rules_from_dict(
        {
            "comparisons": [{"name": "email", "field": "email", "levels": ["exact", "else"]}],
            "blocking": [{"name": "email", "keys": ["email"]}],
        }
    )
    assert rules.comparisons[0].labels == ["null", "exact", "else"]
    assert rules.bands.matched == 0.9  # defaults fill the rest
