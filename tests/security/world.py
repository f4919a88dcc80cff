"""A seeded world for the generic security tests: two teams, every relation to a citizen, and
a full case (contacts, appointments, reminders, plan, housing, offers, network, meetings) with
canary values in every free-text field.

URLs are built from `app.url_map` by converter NAME: `citizen_id` is the citizen under test,
`appointment_id` one of that citizen's appointments, and so on (`ids_for`). A converter name
the world does not know is reported by `unmapped_converters`, so a new route with a new kind
of id fails tests/security/test_world.py until it is mapped here.
"""
import os
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select, text

from server.appointments.models import Appointment, CalendarFeed, Counterpart
from server.auth.models import Credential, Role, User
from server.citizens.models import Assessment, NetworkPerson, Substitution
from server.contacts.models import Contact, ContactType, Place
from server.db import utcnow
from server.extensions import db
from server.housing.models import HousingEvent, HousingPlan, Situation
from server.offers.models import CitizenOffer, Offer, Provider
from server.plans.models import Action, Goal, Plan
from server.reminders.models import Reminder
from server.teams.models import AgendaItem, SupervisionSession, TeamMeeting
from tests import factories

# Rows a request may write whatever its outcome: the access log, session bookkeeping, challenges.
SIDE_EFFECT_TABLES = {"audit_events", "login_sessions", "webauthn_challenges"}


def canary(tag: str, name: str) -> str:
    return f"CANARY{tag}{name}".replace("_", "").replace(".", "")


@dataclass
class Case:
    citizen: object
    tag: str
    canaries: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)  # converter name -> id


def save(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def credential_for(user) -> Credential:
    return save(Credential(user_id=user.id, credential_id=secrets.token_bytes(32), public_key=b"\x00" * 77,
                           label="Telefon"))


def full_case(citizen, worker, supervisor, tag: str) -> Case:
    """Every kind of record about `citizen`, each free-text field carrying its own canary."""
    case = Case(citizen=citizen, tag=tag)
    c = case.canaries
    now = utcnow()

    def mark(name):
        c[name] = canary(tag, name)
        return c[name]

    citizen.wishes = mark("wishes")
    citizen.phone = "+45 1234 " + str(1000 + int(tag))
    citizen.cpr = f"0101{int(tag):02d}-1234"
    housing_dim = factories.dimension("housing")
    contact = save(Contact(citizen_id=citizen.id, worker_id=worker.id, type=ContactType.HOME_VISIT,
                           place=Place.HOME, note=mark("contact_note"), occurred_at=now - timedelta(days=2),
                           client_id=uuid.uuid4(), recorded_at=now))
    appointment = save(Appointment(citizen_id=citizen.id, created_by_id=worker.id, counterpart=Counterpart.JOBCENTER,
                                   title=mark("appointment_title"), starts_at=now + timedelta(days=3),
                                   ends_at=now + timedelta(days=3, hours=1), location=mark("appointment_location"),
                                   meeting_point=mark("meeting_point"), note=mark("appointment_note"),
                                   outcome=mark("appointment_outcome"), follow_up=mark("follow_up"),
                                   accompanied=True, client_id=uuid.uuid4(), recorded_at=now))
    reminder = save(Reminder(owner_id=worker.id, citizen_id=citizen.id, text=mark("reminder_text"),
                             due_at=now + timedelta(days=1), client_id=uuid.uuid4(), recorded_at=now))
    plan = Plan(citizen_id=citizen.id, version=1, author_id=worker.id, review_on=date.today() + timedelta(days=60),
                change_note=mark("change_note"), caseworker_name=mark("caseworker_name"))
    plan.goals.append(Goal(dimension_id=housing_dim.id, citizen_words=mark("goal_words"),
                           worker_note=mark("goal_note"), key="g1"))
    plan.actions.append(Action(who=mark("action_who"), what=mark("action_what"), dimension_id=housing_dim.id,
                               due_on=date.today() + timedelta(days=14), key="a1"))
    save(plan)
    save(Assessment(citizen_id=citizen.id, dimension_id=housing_dim.id, assessed_on=date.today(),
                    citizen_words=mark("assessment_words"), worker_notes=mark("assessment_notes"),
                    author_id=worker.id))
    person = save(NetworkPerson(citizen_id=citizen.id, name=mark("network_name"), relation="søster",
                                note=mark("network_note")))
    housing = save(HousingEvent(citizen_id=citizen.id, situation=Situation.SHELTER_110, housed=False,
                                starts_on=date.today() - timedelta(days=30), address=mark("housing_address"),
                                note=mark("housing_note"), recorded_by_id=worker.id))
    save(HousingPlan(citizen_id=citizen.id, target=mark("housing_target"), note=mark("housing_plan_note")))
    offer = save(Offer(name=f"Værested {tag}", provider=Provider.NGO))
    citizen_offer = save(CitizenOffer(citizen_id=citizen.id, offer_id=offer.id, note=mark("offer_note")))
    meeting = save(TeamMeeting(team_id=citizen.team_id, held_at=now - timedelta(days=5)))
    item = save(AgendaItem(meeting_id=meeting.id, citizen_id=citizen.id, reason="new",
                           discussion=mark("agenda_discussion"), decision=mark("agenda_decision")))
    save(SupervisionSession(team_id=citizen.team_id, held_on=date.today() - timedelta(days=7),
                            notes=mark("supervision_notes"), recorded_by_id=supervisor.id))
    feed = save(CalendarFeed(citizen_id=citizen.id))
    case.objects = {
        "citizen_id": citizen.id, "appointment_id": appointment.id, "reminder_id": reminder.id,
        "person_id": person.id, "number": 1, "dimension_id": housing_dim.id, "meeting_id": meeting.id,
        "item_id": item.id, "contact_id": contact.id, "plan_id": plan.id, "housing_id": housing.id,
        "event_id": housing.id, "offer_id": offer.id, "citizen_offer_id": citizen_offer.id,
        "token": feed.token, "version": 1,
    }
    return case


@dataclass
class World:
    users: dict
    cases: dict  # "own" (team A, the citizen under test) / "other" (team B)
    credentials: dict

    @property
    def citizen(self):
        return self.cases["own"].citizen

    def actor_for(self, roles) -> User | None:
        """The user who acts for a route allowed to `roles`: the citizen's own worker first."""
        for role, name in ((Role.WORKER, "own"), (Role.SUPERVISOR, "supervisor"), (Role.CITIZEN, "citizen"),
                           (Role.ADMIN, "admin")):
            if role in roles:
                return self.users[name]
        return None

    def ids_for(self, case_name: str = "own", actor=None) -> dict:
        values = dict(self.cases[case_name].objects)
        values["substitution_id"] = self.substitution_id
        values["team_id"] = self.cases[case_name].citizen.team_id
        # Administration of a user: a colleague in the citizen's team (never the actor).
        values["user_id"] = self.users["same_team" if case_name == "own" else "other_team"].id
        if actor is not None and actor.id in self.credentials:
            values["credential_id"] = self.credentials[actor.id]
        values.setdefault("credential_id", next(iter(self.credentials.values())))
        values.update(filename="css/app.css", name="outbox", path="x", uuid=str(uuid.uuid4()))
        return values


def build_world() -> World:
    """Team A: own worker (primary for the citizen), substitute, same-team worker, supervisor,
    the citizen with a log-in. Team B: a worker, a supervisor and their citizen. An admin."""
    team_a, team_b = factories.team(), factories.team()
    own = factories.worker(team=team_a)
    supervisor = factories.supervisor(team=team_a)
    users = {
        "own": own,
        "substitute": factories.worker(team=team_a),
        "same_team": factories.worker(team=team_a),
        "supervisor": supervisor,
        "other_team": factories.worker(team=team_b),
        "other_supervisor": factories.supervisor(team=team_b),
        "admin": factories.admin(),
    }
    citizen = factories.citizen(worker=own, with_login=True)
    other_citizen = factories.citizen(worker=users["other_team"], with_login=True)
    # The same-team worker has a citizen of their own (so their pages are not empty).
    factories.citizen(worker=users["same_team"])
    users["citizen"] = citizen.user
    users["other_citizen"] = other_citizen.user
    sub = factories.substitution(citizen, users["substitute"], supervisor)
    cases = {
        "own": full_case(citizen, own, supervisor, "11"),
        "other": full_case(other_citizen, users["other_team"], users["other_supervisor"], "22"),
    }
    credentials = {u.id: credential_for(u).id for u in users.values()}
    db.session.commit()
    world = World(users=users, cases=cases, credentials=credentials)
    world.substitution_id = sub.id
    return world


def build_path(rule, values: dict) -> str | None:
    """The rule's URL with `values` by converter name, or None when one is unknown."""
    needed = set(rule.arguments)
    if not needed <= set(values):
        return None
    return rule.build({k: values[k] for k in needed}, append_unknown=False)[1]


def unmapped_converters(app, world: World) -> set[str]:
    known = set(world.ids_for())
    return {name for rule in app.url_map.iter_rules() for name in rule.arguments} - known


def takes_citizen_object(rule) -> bool:
    """Routes that name a citizen or an object that belongs to one."""
    return bool(set(rule.arguments) & CITIZEN_OBJECT_ARGS)


CITIZEN_OBJECT_ARGS = {"citizen_id", "appointment_id", "reminder_id", "person_id", "item_id", "contact_id",
                       "plan_id", "housing_id", "event_id", "citizen_offer_id"}


def fingerprint() -> dict:
    """A digest of every row of every table except the request's own bookkeeping."""
    import hashlib

    result = {}
    for table in db.metadata.sorted_tables:
        if table.name in SIDE_EFFECT_TABLES:
            continue
        rows = db.session.execute(select(table)).all()
        digest = hashlib.sha256()
        for row in sorted(repr(tuple(r)) for r in rows):
            digest.update(row.encode())
        result[table.name] = (len(rows), digest.hexdigest()[:16])
    return result


def diff(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def count_rows(table_name: str) -> int:
    return db.session.scalar(select(func.count()).select_from(text(table_name)))


FUZZ_EXAMPLES = int(os.environ.get("LEDSAGER_FUZZ_EXAMPLES", "0") or 0)


def world_intact(world: World) -> bool:
    """False when an earlier request changed what later ones rely on (access, keys, course)."""
    from server.access import may_see
    from server.citizens.models import Citizen

    db.session.expire_all()
    citizen = db.session.get(Citizen, world.citizen.id)
    users = [db.session.get(User, u.id) for u in world.users.values()]
    return (
        citizen is not None and citizen.status == "active"
        and may_see(world.users["own"], citizen.id) and may_see(world.users["substitute"], citizen.id)
        and all(u is not None and u.active for u in users)
        and all(db.session.get(Credential, cid) is not None for cid in world.credentials.values())
    )
