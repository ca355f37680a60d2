"""Who may do what. Roles: a rep sees and edits only the customers they own (OWNED_BY an Owner whose
name is the user) and cannot delete; a manager sees the customers of their teams' users and may
export; an admin may do everything; an auditor reads the audit log only. Which customers a role sees
is decided in the Cypher (graph/repositories/scope.py), never here.

Whole fields closed to a role use BasePermission classes (a top-level FORBIDDEN error). Mutations check
with the functions here instead, because they answer a refusal with their typed PermissionDenied.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from custgraph.resolvers.context import Context

MANAGERS = frozenset({"manager", "admin"})
ADMINS = frozenset({"admin"})
STAFF = frozenset({"rep", "manager", "admin"})


def may_export(role: str) -> bool:
    return role in MANAGERS


def may_edit(context: Context, owners: tuple[str, ...]) -> bool:
    """Reps edit only the customers they own; managers and admins any they see (their scope)."""
    return context.role in MANAGERS or context.user in owners


class IsManager(BasePermission):
    message = "only managers and admins may do this"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return info.context.role in MANAGERS


class SeesCustomers(BasePermission):
    """Reps, managers and admins (an auditor reads the audit log only); what each sees is its scope."""

    message = "auditors read the audit log only"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return info.context.role in STAFF


class IsAdmin(BasePermission):
    message = "only admins may do this"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return info.context.role in ADMINS
