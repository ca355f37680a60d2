"""Users and API keys in the graph (graph/repositories/users.py, api_keys.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from custgraph.graph.connection import Graph
from custgraph.graph.repositories import api_keys, users
from custgraph.graph.repositories.api_keys import ApiKeyIn
from custgraph.graph.repositories.users import UserIn


async def test_users_are_added_listed_updated_and_disabled(clean_graph: Graph) -> None:
    added = await users.add_user(clean_graph, UserIn(name=" 周晓明 ", role="rep", teams=["华东", "华东", "VIP"]))
    assert (added.name, added.role, added.teams, added.disabled) == ("周晓明", "rep", ("VIP", "华东"), False)
    assert added.created_at
    await users.add_user(clean_graph, UserIn(name="王经理", role="manager"))
    with pytest.raises(users.UserExists):
        await users.add_user(clean_graph, UserIn(name="周晓明", role="admin"))
    assert [u.name for u in await users.list_users(clean_graph)] == ["周晓明", "王经理"]
    assert (await users.get_user(clean_graph, "王经理")).teams == ()

    changed = await users.update_user(clean_graph, "周晓明", role="manager", teams=["华南"])
    assert (changed.role, changed.teams) == ("manager", ("华南",))
    assert (await users.disable_user(clean_graph, "周晓明")).disabled
    assert (await users.get_user(clean_graph, "周晓明")).disabled
    assert not (await users.enable_user(clean_graph, "周晓明")).disabled
    with pytest.raises(users.UnknownUser):
        await users.disable_user(clean_graph, "nobody")
    assert await users.get_user(clean_graph, "nobody") is None
    raw = await clean_graph.read("MATCH (u:User {name: '王经理'}) RETURN properties(u) AS p")
    assert set(raw[0]["p"]) == {"name", "role", "teams", "disabled", "created_at"}


def test_user_input_is_checked() -> None:
    with pytest.raises(ValidationError):
        UserIn(name="x", role="root")
    with pytest.raises(ValidationError):
        UserIn(name="  ", role="rep")
    with pytest.raises(ValidationError):
        UserIn(name="a\nb", role="rep")
    with pytest.raises(ValidationError):
        UserIn(name="x" * 101, role="rep")


async def test_keys_are_stored_as_a_hash_and_revoked(clean_graph: Graph) -> None:
    await users.add_user(clean_graph, UserIn(name="周晓明", role="rep"))
    stored, key = await api_keys.create_key(clean_graph, ApiKeyIn(name="crm", user="周晓明"))
    assert key.startswith("cgk_") and len(key) > 40
    assert (stored.user, stored.role, stored.gateway, stored.revoked) == ("周晓明", None, False, False)
    raw = await clean_graph.read("MATCH (k:ApiKey) RETURN properties(k) AS p")
    assert key not in str(raw) and raw[0]["p"]["key_hash"] == api_keys.hash_key(key)

    found = await api_keys.credential_for(clean_graph, key)
    assert found is not None and found.key.name == "crm" and found.user.name == "周晓明"
    assert await api_keys.credential_for(clean_graph, key + "x") is None

    _, role_key = await api_keys.create_key(clean_graph, ApiKeyIn(name="portal", role="manager", gateway=True))
    portal = await api_keys.credential_for(clean_graph, role_key)
    assert portal.user is None and portal.key.role == "manager" and portal.key.gateway

    with pytest.raises(api_keys.KeyNameTaken):
        await api_keys.create_key(clean_graph, ApiKeyIn(name="crm", role="rep"))
    with pytest.raises(users.UserError):
        await api_keys.create_key(clean_graph, ApiKeyIn(name="ghost", user="nobody"))
    assert [k.name for k in await api_keys.list_keys(clean_graph)] == ["crm", "portal"]

    revoked = await api_keys.revoke_key(clean_graph, "crm")
    assert revoked.revoked and revoked.revoked_at
    assert (await api_keys.credential_for(clean_graph, key)).key.revoked
    with pytest.raises(api_keys.UnknownKey):
        await api_keys.revoke_key(clean_graph, "nope")


def test_a_key_acts_as_a_user_or_with_a_role() -> None:
    with pytest.raises(ValidationError):
        ApiKeyIn(name="k")
    with pytest.raises(ValidationError):
        ApiKeyIn(name="k", user="a", role="rep")
