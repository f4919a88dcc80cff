"""Deterministic benchmark data: the small, municipality and national data sets of PERFORMANCE.md.

    python -m benchmarks.generate --size small|municipality|national [--database-url URL] [--seed N]

The target database is migrated to head, emptied, and filled by bulk inserts (the DB-API's
executemany on SQLite, COPY on PostgreSQL — without the per-row foreign-key triggers when the
user may switch them off), streaming in chunks so memory stays flat (about 170 MB for national). The shapes
follow the demo data (server/demo.py): ICM teams of about eight workers with eight citizens
each, housing timelines across the Danish categories, contact rhythms that rise around moving
in, plans in versions, reminders and appointments — at scale. Same seed and same day, same data.
All people are invented.

Without --database-url the data goes to benchmarks/data/<size>.sqlite (never the dev database).
Log-ins for the load test are written to benchmarks/data/<size>-users.json.
"""
import argparse
import json
import math
import os
import random
import sys
import time as timer
import uuid
from operator import itemgetter
from datetime import UTC, date, datetime, time, timedelta

BENCH_PASSWORD = "ledsager-bench"
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

SIZES = {
    #              workers citizens contacts  reminders appointments
    "small": dict(workers=5, citizens=40, contacts=6_000, reminders=1_000, appointments=800),
    "municipality": dict(workers=40, citizens=320, contacts=250_000, reminders=40_000, appointments=30_000),
    "national": dict(workers=500, citizens=4_000, contacts=2_000_000, reminders=400_000, appointments=300_000),
}
WORKERS_PER_TEAM = 8
AUDIT_EVENTS_PER_CITIZEN = 20

FIRST_NAMES = ["Anne", "Bo", "Carsten", "Dorte", "Erik", "Frida", "Gitte", "Henrik", "Ida", "Jan", "Karen",
               "Lars", "Maja", "Niels", "Ole", "Pernille", "Rasmus", "Susanne", "Torben", "Ulla", "Vibeke",
               "Allan", "Birgit", "Claus", "Dennis", "Ebbe", "Flemming", "Grethe", "Hanne", "Inge", "Jesper",
               "Kirsten", "Lone", "Mogens", "Nina", "Poul", "René", "Sonja", "Tina", "Yusuf", "Hamid", "Aisha"]
LAST_NAMES = ["Andersen", "Bech", "Christensen", "Dahl", "Egelund", "Fisker", "Gram", "Holm", "Iversen",
              "Jessen", "Kragh", "Lund", "Mikkelsen", "Nørgaard", "Olesen", "Poulsen", "Ravn", "Søgaard",
              "Thomsen", "Ulriksen", "Vestergaard", "Winther", "Aagaard", "Bjerre", "Dyrberg", "Fogh", "Hjort",
              "Kjeldsen", "Lykke", "Mølgaard", "Sandholm", "Brandt", "Krog", "Melchior", "Karimi", "Demir"]
TOWNS = ["Søby", "Nørreby", "Vesterlund", "Østerhavn", "Sønderå", "Bakkelund", "Fjordby", "Skovlund"]

HOMELESS = ["street", "night_shelter", "shelter_110", "hotel_hostel", "sofa_surfing", "transitional",
            "release_prison", "discharge_hospital"]
HOUSED_FIRST = ["rental_public"] * 6 + ["rental_private"] * 2 + ["residential_108", "skaeve_huse"]
HOUSED = {"rental_public", "rental_private", "at_risk", "residential_107", "residential_108", "skaeve_huse"}

CONTACT_KINDS_HOUSED = [("home_visit", "home")] * 45 + [("met_elsewhere", "chosen")] * 23 + \
    [("phone", "phone")] * 17 + [("accompaniment", "other")] * 8 + [("met_elsewhere", "office")] * 7
CONTACT_KINDS_HOMELESS = [("met_elsewhere", "chosen")] * 45 + [("outreach", "street")] * 23 + \
    [("phone", "phone")] * 17 + [("accompaniment", "other")] * 8 + [("met_elsewhere", "office")] * 7
COUNTERPARTS = ["jobcenter", "social_centre", "doctor", "psychiatry", "substance_treatment", "bank",
                "housing_association", "other"]
OFFER_NAMES = [("Værestedet Havnen", "ngo"), ("Misbrugscenter", "municipal"), ("Jobcenter", "municipal"),
               ("Fælleskøkkenet", "ngo"), ("Gældsrådgivningen", "ngo"), ("Idrætsklubben Alle Med", "ngo"),
               ("Natvarmestuen", "ngo"), ("Sundhedsbussen", "regional")]
REMINDER_SOURCES = ["manual"] * 6 + ["follow_up"] * 2 + ["citizen_request", "citizen_answer", "team_decision"]


def _demo_texts():
    """Reuse the demo's hand-written Danish texts so benchmark pages render realistic content."""
    from server import demo

    goals = [g for spec in demo.CITIZENS for g in spec.goals]
    actions = [a for spec in demo.CITIZENS for a in spec.actions]
    appointments = demo.APPOINTMENT_KINDS
    return demo.CONTACT_NOTES, demo.NOT_REACHED_NOTES, demo.ASSESSMENT_WORDS, goals, actions, appointments


class Writer:
    """Buffers rows per table and writes them in FK order, so a child never precedes its parent."""

    def __init__(self, connection, metadata, chunk: int):
        from sqlalchemy import inspect

        self.connection = connection
        self.metadata = metadata
        self.chunk = chunk
        self.postgres = connection.dialect.name == "postgresql"
        self.buffers: dict[str, list[dict]] = {}
        self.counts: dict[str, int] = {}
        self.pending = 0
        # Only columns the migrated database has (models may be ahead of the migration).
        inspector = inspect(connection)
        self.db_columns = {t.name: {c["name"] for c in inspector.get_columns(t.name)} for t in metadata.sorted_tables}

    def add(self, table: str, row: dict) -> None:
        self.buffers.setdefault(table, []).append(row)
        self.pending += 1
        if self.pending >= self.chunk:
            self.flush()

    def flush(self) -> None:
        for table in self.metadata.sorted_tables:
            rows = self.buffers.get(table.name)
            if rows:
                self._write(table, rows)
                self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
                rows.clear()
        self.pending = 0

    def _write(self, table, rows: list[dict]) -> None:
        columns = [c for c in rows[0] if c in self.db_columns[table.name]]
        quoted = ", ".join(f'"{c}"' for c in columns)
        raw = self.connection.connection.driver_connection
        if self.postgres:
            # COPY is several times faster than INSERT for the big tables.
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([row[c] for c in columns])
            return
        # SQLite: the plain DB-API executemany, with values stored as SQLAlchemy stores them
        # (naive UTC text for datetimes, hex for UUIDs); SQLAlchemy's per-row processing
        # would triple the time of the national set.
        for name, convert in self._converters(table, columns):
            for row in rows:
                value = row[name]
                if value is not None:
                    row[name] = convert(value)
        getter = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
        cursor = raw.cursor()
        cursor.executemany(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(columns))})',
                           map(getter, rows))
        cursor.close()

    def _converters(self, table, columns):
        from sqlalchemy import Date, Uuid

        from server.db import UTCDateTime

        for name in columns:
            kind = table.c[name].type
            if isinstance(kind, UTCDateTime):
                yield name, _sqlite_datetime
            elif isinstance(kind, Uuid):
                yield name, _uuid_hex
            elif isinstance(kind, Date):
                yield name, date.isoformat


def _sqlite_datetime(value: datetime) -> str:
    # As SQLAlchemy's SQLite DateTime stores it: naive UTC, microseconds always present.
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def _uuid_hex(value: uuid.UUID) -> str:
    return value.hex


class Generator:
    def __init__(self, size: str, seed: int, writer: Writer, dimension_ids: dict[str, int], password_hash: str):
        self.shape = SIZES[size]
        self.size = size
        self.rng = random.Random(f"{seed}-{size}")
        self.w = writer
        self.dims = dimension_ids
        self.dim_ids = list(dimension_ids.values())
        # Pre-drawn dimension combinations: one random pick per contact instead of a sample.
        self.dim_combos = [self.rng.sample(self.dim_ids, self.rng.choice((1, 1, 2, 2, 3))) for _ in range(256)]
        self.password_hash = password_hash
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.today = self.now.date()
        self.ids: dict[str, int] = {}
        self._midnights: dict[int, tuple[datetime, datetime]] = {}
        self._minutes = [timedelta(minutes=m) for m in range(24 * 60 * 2)]
        self._two_seconds = timedelta(seconds=2)
        self._latest = self.now - timedelta(minutes=1)
        (self.contact_notes, self.not_reached_notes, self.assessment_words, self.goal_texts, self.action_texts,
         self.appointment_kinds) = _demo_texts()
        self.users_json = {"password": BENCH_PASSWORD, "size": size, "workers": [], "supervisors": [],
                           "citizens": [], "admin": None}

    # --- helpers -------------------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def moment(self, days_ago: float, hour: int | None = None) -> datetime:
        """Working hours (UTC 7-15) on the day `days_ago` back; never in the future when in the past.

        The hot path of the generator (millions of calls): random() arithmetic instead of
        randint/choice, and midnight datetimes computed once per day.
        """
        days_ago = int(days_ago)
        rnd = self.rng.random
        midnight = self._midnights.get(days_ago)
        if midnight is None:
            day = self.today - timedelta(days=days_ago)
            weekend = day - timedelta(days=day.weekday() - 4) if days_ago > 2 and day.weekday() >= 5 else day
            midnight = self._midnights[days_ago] = (datetime.combine(day, time(0), tzinfo=UTC),
                                                    datetime.combine(weekend, time(0), tzinfo=UTC))
        base = midnight[1] if rnd() < 0.85 else midnight[0]  # weekend work is rare
        minutes = (hour if hour is not None else 7 + int(rnd() * 9)) * 60 + 5 * int(rnd() * 12)
        at = base + self._minutes[minutes]
        return min(at, self._latest) if days_ago >= 0 else at

    def client_entry(self, at: datetime) -> dict:
        rnd = self.rng.random
        recorded = min(at + self._minutes[1 + int(rnd() * 30)], self.now)
        late = rnd() < 0.05  # an offline spell: synced hours later
        received = min(recorded + (self._minutes[60 * (1 + int(rnd() * 30))] if late else self._two_seconds), self.now)
        return {"client_id": uuid.UUID(int=self.rng.getrandbits(128), version=4), "recorded_at": recorded,
                "received_at": received}

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), f"{self.rng.choice(LAST_NAMES)} {self.rng.choice(LAST_NAMES)}" \
            if self.rng.random() < 0.3 else self.rng.choice(LAST_NAMES)

    def split(self, total: int, weights: list[float]) -> list[int]:
        """Split `total` over citizens in proportion to weights, exactly."""
        scale = total / sum(weights)
        counts = [int(w * scale) for w in weights]
        for i in self.rng.sample(range(len(counts)), total - sum(counts)):
            counts[i] += 1
        return counts

    # --- the data set --------------------------------------------------------------------------

    def run(self, report) -> None:
        shape = self.shape
        n_teams = math.ceil(shape["workers"] / WORKERS_PER_TEAM)
        step = report
        teams = self.teams(n_teams)
        workers, supervisors = self.staff(teams)
        self.offers(n_teams)
        self.w.flush()
        step("teams, users, offers")
        citizens = self.citizens(workers)
        self.w.flush()
        step("citizens, assignments, housing, plans, assessments, network, offers")
        weights = [c["weight"] for c in citizens]
        for citizen, n in zip(citizens, self.split(shape["contacts"], weights), strict=True):
            self.contacts(citizen, n)
        self.w.flush()
        step("contacts")
        for citizen, n in zip(citizens, self.split(shape["appointments"], weights), strict=True):
            self.appointments(citizen, n)
        self.w.flush()
        step("appointments")
        for citizen, n in zip(citizens, self.split(shape["reminders"], weights), strict=True):
            self.reminders(citizen, n)
        self.w.flush()
        step("reminders")
        self.team_life(teams, citizens, supervisors)
        self.audit(citizens)
        self.w.flush()
        step("team meetings, supervision, audit")

    def teams(self, n: int) -> list[dict]:
        teams = []
        for i in range(n):
            town = TOWNS[i % len(TOWNS)]
            team = {"id": self.next_id("teams"), "name": f"ICM-team {town} {i // len(TOWNS) + 1}",
                    "municipality": f"{town} Kommune", "meeting_cadence_days": 7, "supervision_cadence_days": 42,
                    "created_at": self.moment(2000)}
            self.w.add("teams", team)
            teams.append(team)
        return teams

    def user(self, username: str, role: str, team_id: int | None, name: str | None = None,
             password: bool = True) -> int:
        user_id = self.next_id("users")
        first, last = self.name()
        self.w.add("users", {"id": user_id, "username": username, "name": name or f"{first} {last}", "role": role,
                             "team_id": team_id, "email": None, "phone": None,
                             "password_hash": self.password_hash if password else None, "active": True,
                             "user_handle": self.rng.randbytes(32), "locale": None})
        return user_id

    def staff(self, teams: list[dict]):
        workers, supervisors = [], []
        for i in range(self.shape["workers"]):
            team = teams[i // WORKERS_PER_TEAM]
            username = f"medarbejder{i + 1:04d}"
            workers.append({"id": self.user(username, "worker", team["id"]), "team_id": team["id"],
                            "username": username, "citizens": []})
        for i, team in enumerate(teams):
            username = f"teamleder{i + 1:03d}"
            supervisors.append({"id": self.user(username, "supervisor", team["id"]), "team_id": team["id"],
                                "username": username})
        admin = self.user("admin", "admin", None, name="Administrator")
        self.users_json["admin"] = {"username": "admin", "id": admin}
        self.users_json["supervisors"] = [{k: s[k] for k in ("username", "id", "team_id")} for s in supervisors[:50]]
        return workers, supervisors

    def offers(self, n_teams: int) -> None:
        for i in range(max(1, n_teams)):
            town = TOWNS[i % len(TOWNS)]
            for name, provider in OFFER_NAMES:
                local_name = f"{name} {town}" if provider == "municipal" else name if i == 0 else f"{name} ({town})"
                self.w.add("offers", {"id": self.next_id("offers"), "name": local_name,
                                      "provider": provider, "description": None, "address": f"{town}",
                                      "contact": None, "active": True})
        self.n_offers = self.ids["offers"]

    def citizens(self, workers: list[dict]) -> list[dict]:
        """Citizens spread evenly: every worker gets the same share (8 at every size)."""
        per_contact = self.shape["contacts"] / self.shape["citizens"]
        citizens = []
        for i in range(self.shape["citizens"]):
            worker = workers[i % len(workers)]
            weight = self.rng.uniform(0.4, 1.6)
            rate = self.rng.uniform(1.2, 3.2)  # contacts per week in the normal rhythm
            span = min(max(int(per_contact * weight * 7 / rate), 30), 3650)
            first, last = self.name()
            citizen_id = self.next_id("citizens")
            citizen = {"id": citizen_id, "worker": worker, "weight": weight, "span": span, "index": i,
                       "team_id": worker["team_id"], "not_reached": self.rng.random() < 0.05}
            user_id = None
            if i % 4 == 0:  # a quarter have enrolled with a passkey
                username = f"borger{citizen_id:05d}"
                user_id = self.user(username, "citizen", worker["team_id"], name=f"{first} {last}", password=False)
                if len(self.users_json["citizens"]) < 200:
                    self.users_json["citizens"].append({"username": username, "id": user_id, "citizen_id": citizen_id})
            self.w.add("citizens", {
                "id": citizen_id, "team_id": worker["team_id"], "user_id": user_id, "first_name": first,
                "last_name": last, "preferred_name": None, "birth_year": self.rng.randint(1950, 2004), "cpr": None,
                "phone": None, "support_method": "icm", "status": "active",
                "started_on": self.today - timedelta(days=span), "ended_on": None, "end_reason": None,
                "end_housing_situation": None, "wishes": self.rng.choice(self.goal_texts)[1],
                "wishes_updated_at": self.moment(self.rng.randint(0, span)), "asked_for_contact_at":
                self.now - timedelta(hours=self.rng.randint(1, 48)) if self.rng.random() < 0.03 else None,
                "anonymised_at": None, "created_at": self.moment(span)})
            worker["citizens"].append(citizen_id)
            self.assignments(citizen, workers)
            self.housing(citizen)
            self.plans(citizen)
            self.assessments(citizen)
            self.network_and_offers(citizen)
            citizens.append(citizen)
        self.users_json["workers"] = [{"username": w["username"], "id": w["id"], "team_id": w["team_id"],
                                       "citizen_ids": w["citizens"]} for w in workers[:100]]
        return citizens

    def assignments(self, citizen: dict, workers: list[dict]) -> None:
        worker, span = citizen["worker"], citizen["span"]
        start = self.moment(span, 9)
        citizen["switch_days"], citizen["previous_worker"] = None, None
        colleagues = [w for w in workers if w["team_id"] == worker["team_id"] and w is not worker]
        if colleagues and span > 120 and self.rng.random() < 0.15:
            # Reassigned once: the history keeps the earlier worker.
            switch_days = self.rng.randint(30, span - 60)
            previous = self.rng.choice(colleagues)
            citizen["switch_days"], citizen["previous_worker"] = switch_days, previous
            self.w.add("assignments", self.assignment(citizen["id"], previous["id"], start, self.moment(switch_days, 8)))
            start = self.moment(switch_days, 8)
        self.w.add("assignments", self.assignment(citizen["id"], worker["id"], start, None))
        if self.rng.random() < 0.02 and colleagues:
            self.w.add("substitutions", {
                "id": self.next_id("substitutions"), "citizen_id": citizen["id"],
                "substitute_id": self.rng.choice(colleagues)["id"], "granted_by_id": worker["id"],
                "starts_at": self.now - timedelta(days=1), "ends_at": self.now + timedelta(days=6),
                "reason": "Ferie", "created_at": self.now - timedelta(days=1)})

    def assignment(self, citizen_id, worker_id, starts_at, ends_at) -> dict:
        return {"id": self.next_id("assignments"), "citizen_id": citizen_id, "worker_id": worker_id,
                "starts_at": starts_at, "ends_at": ends_at, "assigned_by_id": None, "reason": None,
                "cap_override_reason": None}

    def worker_on(self, citizen: dict, days_ago: float) -> int:
        if citizen["switch_days"] is not None and days_ago > citizen["switch_days"]:
            return citizen["previous_worker"]["id"]
        return citizen["worker"]["id"]

    def housing(self, citizen: dict) -> None:
        """A timeline: homeless situations, then (for most) a home; a few evictions and re-housings."""
        rng, span = self.rng, citizen["span"]
        events = [(span + rng.randint(0, 60), rng.choice(HOMELESS), False)]
        if rng.random() < 0.6:
            events.append((int(span * rng.uniform(0.75, 0.95)), "shelter_110", False))
        moving_in = False
        citizen["move_in"] = None
        roll = rng.random()
        if roll < 0.72:
            move_in = int(span * rng.uniform(0.1, 0.7))
            citizen["move_in"] = move_in
            events.append((move_in, rng.choice(HOUSED_FIRST), False))
            if move_in > 120 and rng.random() < 0.08:
                evicted_at = rng.randint(40, move_in - 30)
                events.append((evicted_at, "sofa_surfing", True))
                if rng.random() < 0.5:  # re-housed: one failed attempt never closes the door
                    rehoused = rng.randint(5, evicted_at - 20)
                    citizen["move_in"] = rehoused
                    events.append((rehoused, rng.choice(("rental_public", "rental_private")), False))
            elif rng.random() < 0.05:
                events.append((rng.randint(3, max(move_in - 1, 4)), "at_risk", False))
        elif roll < 0.82:
            moving_in = True  # in the move-in phase now: the home is weeks away
            citizen["move_in"] = -rng.randint(3, 30)
        for days_ago, situation, evicted in sorted(events, reverse=True):
            self.w.add("housing_events", {
                "id": self.next_id("housing_events"), "citizen_id": citizen["id"], "situation": situation,
                "housed": situation in HOUSED, "starts_on": self.today - timedelta(days=days_ago), "evicted": evicted,
                "address": f"{rng.choice(LAST_NAMES)}vej {rng.randint(1, 80)}" if situation in HOUSED else None,
                "note": None, "recorded_by_id": self.worker_on(citizen, days_ago), "created_at": self.moment(days_ago)})
        checklist = [rng.random() < (0.5 if moving_in else 1.0 if citizen["move_in"] else 0.0) for _ in range(6)]
        self.w.add("housing_plans", {
            "id": self.next_id("housing_plans"), "citizen_id": citizen["id"], "interim_stay": None,
            "target": "Egen almen bolig", "waiting_list": "Social anvisning",
            "expected_move_in_on": self.today - timedelta(days=citizen["move_in"]) if moving_in else None,
            "moving_in": moving_in, "deposit": checklist[0], "deposit_loan": checklist[1],
            "betalingsservice": checklist[2], "rent_administration": checklist[3], "moving_help": checklist[4],
            "furniture": checklist[5], "note": None, "created_at": self.moment(span)})

    def plans(self, citizen: dict) -> None:
        rng, span = self.rng, citizen["span"]
        if span < 30:
            return
        versions = min(1 + span // 150, 5)
        first = span - 21
        latest = rng.randint(5, 120) if rng.random() < 0.85 else rng.randint(95, 200)  # ~15 % overdue reviews
        latest = min(latest, first)
        goals = rng.sample(self.goal_texts, rng.randint(2, 4))
        actions = rng.sample(self.action_texts, rng.randint(2, 4))
        for version in range(1, versions + 1):
            days_ago = first if versions == 1 else round(first - (version - 1) * (first - latest) / (versions - 1))
            plan_id = self.next_id("plans")
            self.w.add("plans", {
                "id": plan_id, "citizen_id": citizen["id"], "version": version,
                "author_id": self.worker_on(citizen, days_ago),
                "review_on": self.today - timedelta(days=days_ago) + timedelta(days=91),
                "reviewed_on": self.today - timedelta(days=days_ago) if version > 1 else None,
                "section_141_reference": f"Handleplan §141 af {self.today - timedelta(days=first - 14):%d.%m.%Y}",
                "caseworker_name": "Myndighedssagsbehandler", "caseworker_contact": "tlf. 72 50 41 00",
                "change_note": None, "created_at": self.moment(days_ago)})
            for position, (dim, words, note) in enumerate(goals):
                self.w.add("plan_goals", {"id": self.next_id("plan_goals"), "plan_id": plan_id,
                                          "dimension_id": self.dims[dim], "position": position,
                                          "key": f"{citizen['id']:x}g{position}", "citizen_words": words,
                                          "worker_note": note})
            for position, (dim, who, what, due, done) in enumerate(actions):
                self.w.add("plan_actions", {"id": self.next_id("plan_actions"), "plan_id": plan_id,
                                            "dimension_id": self.dims[dim], "position": position,
                                            "key": f"{citizen['id']:x}a{position}", "who": who.split()[0],
                                            "what": what, "due_on": self.today + timedelta(days=due),
                                            "done": done and version == versions})

    def assessments(self, citizen: dict) -> None:
        rng, span = self.rng, citizen["span"]
        missing = set(rng.sample(list(self.dims), rng.choice((0, 0, 0, 1, 2))))
        for key, dim_id in self.dims.items():
            if key in missing:
                continue
            words, notes = rng.choice(self.assessment_words[key])
            days_ago = max(span - rng.randint(5, 25), 0)
            self.w.add("assessments", {"id": self.next_id("assessments"), "citizen_id": citizen["id"],
                                       "dimension_id": dim_id, "assessed_on": self.today - timedelta(days=days_ago),
                                       "citizen_words": words, "worker_notes": notes,
                                       "author_id": self.worker_on(citizen, days_ago), "created_at": self.moment(days_ago)})

    def network_and_offers(self, citizen: dict) -> None:
        rng = self.rng
        for _ in range(rng.randint(1, 3)):
            first, last = self.name()
            self.w.add("network_persons", {
                "id": self.next_id("network_persons"), "citizen_id": citizen["id"], "name": f"{first} {last}",
                "relation": rng.choice(("mor", "far", "søster", "bror", "ven", "datter", "søn", "nabo")),
                "phone": None, "contact_wish": rng.choice(("wants_contact", "through_citizen", "no_contact", "unsure")),
                "note": None, "created_at": self.moment(citizen["span"])})
        for offer_id in rng.sample(range(1, self.n_offers + 1), rng.randint(1, 3)):
            self.w.add("citizen_offers", {
                "id": self.next_id("citizen_offers"), "citizen_id": citizen["id"], "offer_id": offer_id,
                "status": rng.choice(("identified", "contacted", "attending", "attending", "ended")), "note": None,
                "updated_at": self.moment(rng.randint(0, citizen["span"]))})

    def contacts(self, citizen: dict, n: int) -> None:
        """`n` contacts over the citizen's span; denser around moving in; outreach when not reached."""
        rng, span, move_in = self.rng, citizen["span"], citizen["move_in"]
        rnd = rng.random
        days = []
        for _ in range(n):
            if move_in is not None and rnd() < 0.25:
                day = int(rng.gauss(move_in, 14))  # the rise around moving in (and the weeks after)
            else:
                day = int(rnd() * (span + 1))
            days.append(min(max(day, 0), span))
        days.sort(reverse=True)
        stale = rng.randint(15, 30) if citizen["not_reached"] else -1
        housed_from = move_in if move_in is not None and move_in >= 0 else -1
        notes = [note for pool in self.contact_notes.values() for note in pool]
        add, citizen_id = self.w.add, citizen["id"]
        for day in days:
            at = self.moment(day)
            contact_id = self.next_id("contacts")
            reached = day > stale and rnd() >= 0.08
            if reached:
                kinds = CONTACT_KINDS_HOUSED if day <= housed_from else CONTACT_KINDS_HOMELESS
                kind, place = kinds[int(rnd() * len(kinds))]
                dims = self.dim_combos[rng.getrandbits(8)]
                note = notes[int(rnd() * len(notes))] if rnd() < 0.8 else None
            else:
                kind, place = ("phone", "phone") if rnd() < 0.5 else ("outreach", "street")
                dims, note = (), self.not_reached_notes[int(rnd() * len(self.not_reached_notes))]
            add("contacts", {
                "id": contact_id, "citizen_id": citizen_id, "worker_id": self.worker_on(citizen, day), "type": kind,
                "place": place, "reached": reached,
                "duration_minutes": 5 + int(rnd() * 16) if kind == "phone" else 15 * (2 + int(rnd() * 5)),
                "note": note, "shared_with_citizen": note is not None and rnd() < 0.15, "occurred_at": at,
                **self.client_entry(at)})
            for dim_id in dims:
                add("contact_dimensions", {"contact_id": contact_id, "dimension_id": dim_id})

    def appointments(self, citizen: dict, n: int) -> None:
        rng, span = self.rng, citizen["span"]
        for i in range(n):
            if i == 0 and citizen["index"] % 4 == 0:
                days_ago, hour = 0, rng.randint(8, 14)  # today: every worker has some
                at = datetime.combine(self.today, time(hour, 0), tzinfo=UTC)
            elif rng.random() < 0.1:
                at = self.moment(-rng.randint(1, 60))
                days_ago = -1
            else:
                days_ago = rng.randint(1, min(span, 1095))
                at = self.moment(days_ago)
            counterpart, title, location, outcome, follow_up = rng.choice(self.appointment_kinds)
            accompanied = rng.random() < 0.6
            past = at < self.now
            attended = (rng.random() < 0.85) if past and days_ago > 0 else None
            self.w.add("appointments", {
                "id": self.next_id("appointments"), "citizen_id": citizen["id"],
                "created_by_id": self.worker_on(citizen, max(days_ago, 0)), "counterpart": str(counterpart),
                "title": title, "starts_at": at, "ends_at": at + timedelta(hours=1), "location": location,
                "meeting_point": "Hjemme hos borgeren" if accompanied else None, "accompanied": accompanied,
                "cancelled": rng.random() < 0.03, "citizen_answer": None, "citizen_answered_at": None,
                "attended": attended, "worker_was_present": (accompanied and attended) if attended is not None else None,
                "outcome": outcome if attended else None, "follow_up": follow_up if attended else None,
                "outcome_recorded_at": at + timedelta(hours=2) if attended is not None else None, "note": None,
                "reminder_sent_at": at - timedelta(days=1) if past else None,
                **self.client_entry(min(at, self.now) - timedelta(days=rng.randint(1, 14)))})

    def reminders(self, citizen: dict, n: int) -> None:
        rng, span = self.rng, citizen["span"]
        owner = citizen["worker"]["id"]
        for i in range(n):
            roll = rng.random()
            done_at = None
            if i == 0 and citizen["index"] % 4 == 1:
                due = datetime.combine(self.today, time(rng.randint(8, 15)), tzinfo=UTC)  # due today
            elif roll < 0.78:
                due = self.moment(rng.randint(1, min(span, 730)))
                done_at = due + timedelta(hours=rng.randint(1, 72))
            elif roll < 0.8:
                due = self.moment(rng.randint(1, 30))  # overdue: a few, not a pile
            else:
                due = self.moment(-rng.randint(1, 60))
            created = min(due, self.now) - timedelta(days=rng.randint(1, 20))
            self.w.add("reminders", {
                "id": self.next_id("reminders"), "owner_id": owner if done_at is None else
                self.worker_on(citizen, (self.now - due).days), "citizen_id": citizen["id"],
                "text": rng.choice(self.action_texts)[2], "due_at": due, "done_at": min(done_at, self.now) if done_at else None,
                "source": rng.choice(REMINDER_SOURCES), "pushed_at": None, **self.client_entry(created)})

    def team_life(self, teams, citizens, supervisors) -> None:
        rng = self.rng
        by_team: dict[int, list[int]] = {}
        for c in citizens:
            by_team.setdefault(c["team_id"], []).append(c["id"])
        for team, supervisor in zip(teams, supervisors, strict=True):
            for week in range(26, 0, -1):
                meeting_id = self.next_id("team_meetings")
                held = datetime.combine(self.today - timedelta(days=7 * week), time(8, 0), tzinfo=UTC)
                self.w.add("team_meetings", {"id": meeting_id, "team_id": team["id"], "held_at": held,
                                             "chaired_by_id": supervisor["id"], "notes": "Teammøde",
                                             "created_at": held})
                members = by_team.get(team["id"], [])
                for position, citizen_id in enumerate(rng.sample(members, min(3, len(members)))):
                    self.w.add("agenda_items", {
                        "id": self.next_id("agenda_items"), "meeting_id": meeting_id, "citizen_id": citizen_id,
                        "position": position, "reason": rng.choice(("new", "not_reached", "eviction_risk",
                                                                    "review_overdue", "asked_for_contact", "other")),
                        "discussion": "Drøftet på teammødet.", "decision": "Medarbejderen følger op.",
                        "reminder_id": None})
            for k in range(9):
                held_on = self.today - timedelta(days=42 * k + 10)
                self.w.add("supervision_sessions", {
                    "id": self.next_id("supervision_sessions"), "team_id": team["id"], "held_on": held_on,
                    "kind": "external" if k % 3 else "internal", "supervisor_name": "Ekstern supervisor",
                    "notes": None, "recorded_by_id": supervisor["id"], "created_at": self.moment(42 * k + 10)})

    def audit(self, citizens) -> None:
        rng = self.rng
        for c in citizens:
            for _ in range(AUDIT_EVENTS_PER_CITIZEN):
                days_ago = rng.randint(0, min(c["span"], 183))
                self.w.add("audit_events", {
                    "id": self.next_id("audit_events"), "at": self.moment(days_ago),
                    "user_id": self.worker_on(c, days_ago), "role": "worker",
                    "action": rng.choice(("read", "read", "read", "write")), "citizen_id": c["id"],
                    "subject": "citizens.show", "outcome": "ok", "ip": None, "prev_hash": None, "hash": None})


def empty_database(connection, metadata) -> None:
    from sqlalchemy import text

    tables = [t.name for t in reversed(metadata.sorted_tables)]
    if connection.dialect.name == "postgresql":
        connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    else:
        for name in tables:
            connection.execute(text(f'DELETE FROM "{name}"'))


def seed_dimensions(connection, metadata) -> dict[str, int]:
    from server.citizens.labels import LIFE_DIMENSIONS

    table = metadata.tables["dimensions"]
    connection.execute(table.insert(), [{"id": i + 1, "key": k, "name": n, "team_id": None, "position": i}
                                        for i, (k, n) in enumerate(LIFE_DIMENSIONS)])
    return {k: i + 1 for i, (k, _) in enumerate(LIFE_DIMENSIONS)}


def finish(connection, metadata) -> None:
    """Sequences past the explicit ids (PostgreSQL); fresh planner statistics (both)."""
    from sqlalchemy import Integer, text

    if connection.dialect.name == "postgresql":
        for table in metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type, Integer):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))
    connection.execute(text("ANALYZE"))


def generate(size: str, database_url: str, seed: int = 2026, chunk: int = 10_000, quiet: bool = False,
             users_path: str | None = None) -> dict:
    """Build the data set; returns {table: rows} and the timings; writes the log-ins file."""
    from sqlalchemy import text

    from server import create_app
    from server.auth.passwords import hash_password
    from server.cli import upgrade_database
    from server.extensions import db

    started = timer.perf_counter()
    timings: list[tuple[str, float, float]] = []
    last = [started, timer.process_time()]

    def step(label: str) -> None:
        # Wall time and this process's CPU time: on a shared machine the two differ a lot.
        now, cpu = timer.perf_counter(), timer.process_time()
        timings.append((label, now - last[0], cpu - last[1]))
        last[:] = [now, cpu]
        if not quiet:
            print(f"  {label:<66} {timings[-1][1]:7.1f} s  (cpu {timings[-1][2]:6.1f} s)", flush=True)

    if database_url.startswith("sqlite:///") and len(database_url) > len("sqlite:///"):
        # A throw-away file: removing it is much faster than deleting millions of rows.
        path = database_url[len("sqlite:///"):]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade_database()
        step("migrate to head")
        password_hash = hash_password(BENCH_PASSWORD)  # once: argon2 is slow on purpose
        engine = db.engine
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA synchronous=OFF")  # a throw-away data set
                connection.commit()
            with connection.begin():
                if connection.dialect.name == "postgresql" and connection.execute(
                        text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar():
                    # Skip the per-row foreign-key triggers during the load (the data is made
                    # consistent, and the same code runs with SQLite's FK checks on): COPY into
                    # contacts is several times faster. Only for this transaction.
                    connection.execute(text("SET LOCAL session_replication_role = replica"))
                empty_database(connection, db.metadata)
                dimension_ids = seed_dimensions(connection, db.metadata)
                step("empty the database")
                writer = Writer(connection, db.metadata, chunk)
                generator = Generator(size, seed, writer, dimension_ids, password_hash)
                generator.run(step)
                finish(connection, db.metadata)
                step("sequences and ANALYZE")
        if engine.dialect.name == "postgresql":
            # What autovacuum does to a live database after inserts: the visibility map is set,
            # so index-only scans (the contacts' index carries `reached`) need no table visits.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM")
            step("VACUUM")
        db.engine.dispose()
    total = timer.perf_counter() - started
    cpu_total = timer.process_time()
    users_path = users_path or os.path.join(DATA_DIR, f"{size}-users.json")
    os.makedirs(os.path.dirname(users_path), exist_ok=True)
    with open(users_path, "w", encoding="utf-8") as f:
        json.dump(generator.users_json, f, ensure_ascii=False, indent=1)
    return {"rows": dict(writer.counts), "timings": timings, "total_seconds": total, "cpu_seconds": cpu_total,
            "users_path": users_path}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=list(SIZES), required=True)
    parser.add_argument("--database-url", help="default: sqlite file benchmarks/data/<size>.sqlite. "
                                               "THE DATABASE IS EMPTIED FIRST.")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--chunk", type=int, default=10_000, help="rows per bulk insert")
    args = parser.parse_args(argv)
    url = args.database_url
    if not url:
        os.makedirs(DATA_DIR, exist_ok=True)
        url = f"sqlite:///{os.path.join(DATA_DIR, args.size + '.sqlite')}"
    shown = url.split("@")[-1] if "@" in url else url
    print(f"Generating '{args.size}' (seed {args.seed}) into {shown}", flush=True)
    result = generate(args.size, url, args.seed, args.chunk)
    rows = result["rows"]
    print(f"Done in {result['total_seconds']:.1f} s (cpu {result['cpu_seconds']:.1f} s): " + ", ".join(
        f"{rows.get(t, 0):,} {t}" for t in ("users", "citizens", "contacts", "reminders", "appointments")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
