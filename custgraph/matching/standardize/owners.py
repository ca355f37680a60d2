"""Owner cells: ``"赵国栋/孙悦"`` or ``"赵国栋、孙悦"`` name two owners, not one called "赵国栋/孙悦".

Shared accounts list their reps in one cell. Each name becomes an owner of its own, so each rep finds
the customer in their scope (docs/security.md). Names are kept as written (no traditional ->
simplified): they must equal the user names reps log in with.
"""

from __future__ import annotations

import re

from custgraph.vocabulary import has_han

from .text import clean_text

# After NFKC (clean_text) the full-width ／，；｜＆ are their ASCII forms; 、 is not.
_SEPARATORS = re.compile(r"[/,;|&、]+")


def standardize_owners(raw: object) -> list[str] | None:
    """Split on / , ; | & 、 (half- or full-width), and on spaces between Chinese names ("赵国栋 孙悦");
    a Latin name keeps its space ("John Smith / Mary Lee"). Blanks, placeholders and repeats dropped."""
    pieces = raw if isinstance(raw, list | tuple) else [raw]
    names: list[str] = []
    for piece in pieces:
        for part in _SEPARATORS.split(clean_text(piece) or ""):
            words = part.split()
            for word in words if len(words) > 1 and all(has_han(w) for w in words) else [part]:
                name = clean_text(word)
                if name is not None and name not in names:
                    names.append(name)
    return names or None
