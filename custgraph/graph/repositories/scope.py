"""Who may see which customers, as Cypher: the one place a role becomes a query condition.

A ``Scope`` (role, user, teams) is built once per request (resolvers/context.py) and handed to every
repository read or write that touches customers. It turns into

- ``predicate(var)``: a WHERE condition on a bound customer variable (a customer by id, the other
  end of a related-customer edge, the customer of a review item's record);
- ``anchor()``: a MATCH that starts a list at the caller's own customers, so a rep's or a manager's
  list walks their owners' edges (Owner name uniqueness index) instead of scanning every customer.

Rules (docs/security.md, "Roles and scope"):

- admin: every customer;
- manager: the customers owned by the manager or by a user sharing one of the manager's teams
  (``(:User {name, teams})``; an owner in the data is the user of the same name);
- rep: the customers they own (``(c)-[:OWNED_BY]->(:Owner {name: user})``);
- auditor, or any other role: no customer at all.

Values travel as ``$scope_user`` / ``$scope_teams``; the variable names spliced in are checked
against an identifier pattern, so nothing a caller sends becomes Cypher text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

ADMIN, MANAGER, REP, AUDITOR = "admin", "manager", "rep", "auditor"
ROLES = (REP, MANAGER, ADMIN, AUDITOR)
_VARIABLE = re.compile(r"^[a-z][a-z0-9_]*$")
_PROPERTY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")

# A manager's owners: the users sharing a team (a handful of User nodes; teams are a list property,
# which no index serves, so the User label is read whole: it holds people, not customers).
TEAM_USERS = "MATCH (su:User) WHERE su.name = $scope_user OR any(t IN coalesce(su.teams, []) WHERE t IN $scope_teams)"


@dataclass(frozen=True)
class Scope:
    role: str
    user: str
    teams: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return self.role == ADMIN

    @property
    def nothing(self) -> bool:
        """No customer at all (auditors; an unknown role is given nothing rather than something)."""
        return self.role not in (ADMIN, MANAGER, REP)

    def params(self) -> dict[str, Any]:
        return {"scope_user": self.user, "scope_teams": sorted(set(self.teams))}

    def predicate(self, var: str = "c") -> str:
        """A condition true exactly for the customers bound to ``var`` that this scope sees."""
        if not _VARIABLE.match(var):
            raise ValueError(f"not a Cypher variable: {var!r}")
        if self.everything:
            return "true"
        if self.role == REP:
            return f"EXISTS {{ MATCH ({var})-[:OWNED_BY]->(:Owner {{name: $scope_user}}) }}"
        if self.role == MANAGER:
            return (
                f"EXISTS {{ MATCH ({var})-[:OWNED_BY]->(so:Owner) WHERE so.name = $scope_user OR EXISTS "
                "{ MATCH (su:User {name: so.name}) WHERE any(t IN coalesce(su.teams, []) WHERE t IN $scope_teams) } }"
            )
        return "false"

    def users_predicate(self, expr: str) -> str:
        """A condition true when the user named by ``expr`` (a property such as ``l.user``) is one
        whose activity this scope sees: anyone's for an admin, the team's for a manager, one's own
        for a rep, nobody's otherwise (the search log)."""
        if not _PROPERTY.match(expr):
            raise ValueError(f"not a Cypher property: {expr!r}")
        if self.everything:
            return "true"
        if self.role == REP:
            return f"{expr} = $scope_user"
        if self.role == MANAGER:
            return (
                f"({expr} = $scope_user OR EXISTS {{ MATCH (su:User {{name: {expr}}}) "
                "WHERE any(t IN coalesce(su.teams, []) WHERE t IN $scope_teams) })"
            )
        return "false"

    def anchor(self) -> tuple[str, bool] | None:
        """(a MATCH binding ``c`` to the customers in scope, whether it may bind one twice), or None
        for an admin (every customer) or a scope that sees none."""
        if self.role == REP:
            return "MATCH (:Owner {name: $scope_user})<-[:OWNED_BY]-(c:Customer)", False
        if self.role == MANAGER:
            # the manager's own name is added: a manager not (yet) registered as a User still sees
            # their own customers; a customer two team members own comes twice (hence DISTINCT)
            return (
                f"{TEAM_USERS} WITH collect(su.name) + [$scope_user] AS scope_owners "
                "UNWIND scope_owners AS scope_owner MATCH (:Owner {name: scope_owner})<-[:OWNED_BY]-(c:Customer)",
                True,
            )
        return None


EVERYTHING = Scope(ADMIN, "system")  # the CLI and background jobs: no caller to restrict


def where(scope: Scope, var: str = "c") -> tuple[str, dict[str, Any]]:
    """``scope.predicate(var)`` and its parameters: the pair a repository adds to its statement."""
    return scope.predicate(var), scope.params()
