"""Mass assignment (SECURITY.md #13): extra fields named after protected columns (owner, team,
role, citizen, author, audit fields ...) with hostile values change 0 protected columns.

For every POST route, the real form (filled with plausible values so that it validates) is
sent with extra fields pointing at the OTHER team's world (its team, worker, citizen, the
admin), as form-encoded, JSON and htmx requests. Afterwards no protected column of any table
may hold a hostile value in more rows than before. Form fields that legitimately choose a
person (a select of the team's workers, the reminder's citizen) get hostile values too: a
choice outside the allowed list must be refused, which is the same promise.
"""
import pytest
from sqlalchemy import Boolean, func, select

from server.extensions import db
from tests.security.forms import plausible
from tests.security.helpers import actor_name, client_for, form_for, post_routes, send
from tests.security.world import SIDE_EFFECT_TABLES, build_path, world_intact
from tests.security.worlds import fresh_world

USER_COLUMNS = ["owner_id", "worker_id", "user_id", "created_by_id", "author_id", "recorded_by_id",
                "granted_by_id", "substitute_id", "assigned_by_id", "chaired_by_id"]
# References: a hostile value must be refused even where the form has such a field (a choice
# outside the allowed list). Flags: where the form has such a field the role may set it.
REFERENCES = set(USER_COLUMNS) | {"team_id", "citizen_id"}


def hostile_values(world) -> dict:
    """Column -> the values an attacker would like to write there."""
    other = world.cases["other"].citizen
    users = [world.users["other_team"].id, world.users["admin"].id, world.users["other_supervisor"].id]
    values = {name: users for name in USER_COLUMNS}
    values.update(team_id=[other.team_id], citizen_id=[other.id], role=["admin"], status=["anonymised"],
                  active=[False], hash=["0" * 64], prev_hash=["0" * 64], anonymised_at=["2020-01-01T00:00:00"],
                  password_hash=["x"], is_admin=[True], id=[other.id])
    return values


def extra_fields(hostile: dict, kind: str) -> list[tuple[str, object]]:
    pairs = []
    for name, values in hostile.items():
        value = values[0]
        if kind != "json":
            value = {True: "y", False: "false"}.get(value, str(value)) if isinstance(value, bool) else str(value)
        pairs.append((name, value))
    return pairs


def hostile_counts(hostile: dict, skip=()) -> dict:
    """For each table × protected column: rows holding a hostile value.

    `id` is sent but not counted: a new row's id may equal a hostile id by coincidence.
    """
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name in SIDE_EFFECT_TABLES:
            continue
        for name, values in hostile.items():
            column = table.columns.get(name)
            if column is None or name in ("anonymised_at", "id") or name in skip:
                continue
            if isinstance(column.type, Boolean):
                values = [v for v in values if isinstance(v, bool)]
            if name == "anonymised_at":
                condition = column.is_not(None)
            else:
                condition = column.in_(values)
            counts[f"{table.name}.{name}"] = db.session.scalar(select(func.count()).select_from(table).where(condition))
    for table in db.metadata.sorted_tables:
        if "anonymised_at" in table.columns and table.name not in SIDE_EFFECT_TABLES:
            column = table.columns["anonymised_at"]
            counts[f"{table.name}.anonymised_at"] = db.session.scalar(
                select(func.count()).select_from(table).where(column.is_not(None)))
    return counts


def test_no_post_route_lets_extra_fields_change_protected_columns(app, discovered, make):
    table = app.extensions["ledsager_policy"]
    world, changed, accepted, sent = None, [], 0, 0
    rules = post_routes(app)
    for rule in rules:
        if world is None or not world_intact(world):
            world = fresh_world()
        hostile = hostile_values(world)
        roles = table[rule.endpoint]
        path = build_path(rule, world.ids_for("own", world.actor_for(roles)))
        fields, kinds = form_for(discovered, actor_name(world, roles), rule.endpoint, path)
        base = plausible(fields, kinds)
        editable = {name for name in fields if name not in REFERENCES}
        for kind, headers in (("form", {}), ("json", {"Accept": "application/json"}), ("form", {"HX-Request": "true"})):
            before = hostile_counts(hostile, skip=editable)
            body_pairs = [(n, v) for n, v in base if n not in hostile] + [
                (n, v) for n, v in extra_fields(hostile, kind) if n not in editable]
            body = dict(body_pairs) if kind == "json" else body_pairs
            response = send(client_for(app, world, roles), path, kind, body, headers)
            sent += 1
            accepted += response.status_code < 400
            db.session.expire_all()
            after = hostile_counts(hostile, skip=editable)
            for column, count in after.items():
                if count > before.get(column, 0):
                    changed.append(f"{rule.endpoint} ({kind}, {response.status_code}): {column} "
                                   f"{before.get(column, 0)} -> {count} rows with a hostile value")
    print(f"mass assignment: {sent} requests with {len(hostile)} protected extra fields over {len(rules)} POST "
          f"routes ({accepted} accepted), {len(changed)} protected columns changed")
    for line in changed:
        print("  " + line)
    assert changed == []


@pytest.mark.parametrize("kind", ["form", "json"])
def test_a_logged_contact_belongs_to_the_worker_and_the_citizen_in_the_url_whatever_the_body_says(
        app, make, kind):
    """The most used write, checked by hand: extra ids in the body are ignored."""
    from server.contacts.models import Contact

    world = fresh_world()
    citizen = world.citizen
    other = world.cases["other"].citizen
    client = client_for(app, world, None, actor=world.users["own"])
    body = {"type": "home_visit", "place": "home", "note": "Ringede", "worker_id": world.users["other_team"].id,
            "citizen_id": other.id, "id": 1, "client_id": "7d3b7f5e-4a8e-4e3c-9d0e-0c7c3e2f0a11"}
    if kind == "form":
        body = {k: str(v) for k, v in body.items()}
    response = send(client, f"/citizens/{citizen.id}/contacts", kind, body, {"Accept": "application/json"})
    contact = db.session.scalar(select(Contact).where(Contact.note == "Ringede"))
    if kind == "json" and response.status_code in (400, 415):
        assert contact is None  # a JSON body is refused outright: nothing stored
        return
    assert response.status_code in (200, 201, 302, 303), response.get_data(as_text=True)[:300]
    assert (contact.worker_id, contact.citizen_id) == (world.users["own"].id, citizen.id)
