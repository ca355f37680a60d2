"""The tag library and assignment rules in force: the shipped ones unless CUSTGRAPH_TAGS or
CUSTGRAPH_ASSIGNMENT names a file, read once per process (like the data keys, custgraph/crypto.py).

Imports, addOrder and addInteraction classify the customers they touch with these; ``custgraph
recompute --tags FILE --assignment FILE`` may use others for one run.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from custgraph.classification.assignment import AssignmentRules, load_assignment
from custgraph.classification.library import TagLibrary, load_library

TAGS_ENV = "CUSTGRAPH_TAGS"
ASSIGNMENT_ENV = "CUSTGRAPH_ASSIGNMENT"


@dataclass(frozen=True)
class Classifier:
    library: TagLibrary
    assignment: AssignmentRules

    @property
    def digest(self) -> str:
        """Tells two configurations apart (a stopped recompute resumes only under the same one)."""
        text = json.dumps(
            [self.library.model_dump(mode="json"), self.assignment.model_dump(mode="json")],
            sort_keys=True,
            ensure_ascii=False,
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def load(tags: str | Path | None = None, assignment: str | Path | None = None) -> Classifier:
    """The library and rules from these files (None: the shipped ones); a bad file raises ValueError."""
    return Classifier(load_library(tags), load_assignment(assignment))


_installed: list[Classifier] = []


def install(classifier: Classifier) -> None:
    _installed[:] = [classifier]


def current() -> Classifier:
    """The configuration in force: installed, else read from the environment's files once."""
    if not _installed:
        install(load(os.environ.get(TAGS_ENV) or None, os.environ.get(ASSIGNMENT_ENV) or None))
    return _installed[0]
