"""Reading a classification YAML: the given file, or the one shipped in custgraph/data/."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: str | Path | None, shipped: str) -> dict[str, Any]:
    if path is None:
        text = (resources.files("custgraph") / "data" / shipped).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path or shipped}: the top level must be a mapping")
    return data
