"""Reads for the supervisor's tablet: the team board, fidelity, agenda and outcomes, in SQL.

Every page costs a fixed number of statements whatever the team's size: per-citizen figures
are correlated scalar subqueries (each one an index lookup on (citizen_id, ...)), the contact
strip's per-week counts among them, per-worker figures one GROUP BY.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from sqlalchemy import (ARRAY, Date, Integer, and_, bindparam, case, func, literal, or_,
                        select)
from sqlalchemy.orm import aliased

from server.auth.models import Role, User
from server.citizens.models import Assessment, Assignment, Citizen, CourseStatus, Dimension, Substitution
from server.contacts.models import Contact, Place
from server.db import UTCDateTime
from server.extensions import db
from server.localtime import local_midnight, local_today
from server.housing.models import HousingEvent, HousingPlan, Situation
from server.plans.models import Plan
from server.teams.models import SupervisionSession, Team, TeamMeeting

WEEKS = 12
# The contact strip's letters for weeks 0..11 (`strip_codes`): "A" and "a" plus the week.
REACHED_LETTERS = "ABCDEFGHIJKL"
MISSED_LETTERS = "abcdefghijkl"
CORE_DIMENSIONS = 8


def months_before(day: date, months: int) -> date:
    month = day.month - 1 - months
    year = day.year + month // 12
    month = month % 12 + 1
    # The 31st three months before 31 May is the 28th/29th of February.
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


@dataclass(frozen=True)
class Limits:
    """The method's numbers that the flags use, from config (and the team's cadences)."""

    now: datetime
    cap: int
    not_reached_days: int
    review_months: int

    @cached_property
    def today(self) -> date:
        return local_today(self.now)

    @property
    def not_reached_cutoff(self) -> datetime:
        return self.now - timedelta(days=self.not_reached_days)

    @property
    def review_cutoff(self) -> date:
        return months_before(self.today, self.review_months)

    @property
    def weeks_start(self) -> datetime:
        """Monday 00:00 (Copenhagen) of the first of the 12 ISO weeks on the strip."""
        return self.week_starts[0]

    @cached_property
    def week_starts(self) -> list[datetime]:
        """Monday 00:00 (Copenhagen) of each of the strip's 12 weeks, oldest first: local
        midnights, so a week that starts or ends at a daylight-saving change is still Monday
        to Monday on the wall clock (a week is 167 or 169 hours then)."""
        monday = self.today - timedelta(days=self.today.weekday())
        return [local_midnight(monday - timedelta(weeks=WEEKS - 1 - week)) for week in range(WEEKS)]

    def params(self, team_id: int) -> dict:
        """Values for the bound parameters (`P`) of the board's cached statements."""
        return {
            "team_id": team_id,
            "now": self.now,
            "today": self.today,
            "weeks_start": self.weeks_start,
            # Where weeks 1..11 of the strip begin (`strip_codes`): as one array for PostgreSQL's
            # width_bucket, and one by one for SQLite.
            "week_bounds": self.week_starts[1:],
            **{f"week_bound_{week}": start for week, start in enumerate(self.week_starts[1:], 1)},
            "not_reached_cutoff": self.not_reached_cutoff,
            "never_reached_started_by": self.today - timedelta(days=self.not_reached_days),
            "review_cutoff": self.review_cutoff,
            "review_cutoff_at": local_midnight(self.review_cutoff),
        }


class P:
    """Bound parameters of the board's statements, filled from `Limits.params` at execution.

    The board's statement is large (joins, correlated subqueries, window totals): building it
    and computing its cache key cost more than running it. So each shape is built once per process
    (`lru_cache` below) with these placeholders, and only the values change per request.
    """
    team_id = bindparam("team_id", type_=Integer())
    now = bindparam("now", type_=UTCDateTime())
    today = bindparam("today", type_=Date())
    weeks_start = bindparam("weeks_start", type_=UTCDateTime())
    week_bounds = bindparam("week_bounds", type_=ARRAY(UTCDateTime()))
    week_bound = [bindparam(f"week_bound_{week}", type_=UTCDateTime()) for week in range(1, WEEKS)]
    not_reached_cutoff = bindparam("not_reached_cutoff", type_=UTCDateTime())
    never_reached_started_by = bindparam("never_reached_started_by", type_=Date())
    review_cutoff = bindparam("review_cutoff", type_=Date())
    review_cutoff_at = bindparam("review_cutoff_at", type_=UTCDateTime())


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def run(statement, team_id: int, limits: "Limits | None" = None, **extra):
    """Execute one of the cached statements below with its bound parameters (`P`).

    They are Core statements, so the connection runs them without the ORM's per-statement layer.
    """
    params = limits.params(team_id) if limits is not None else {"team_id": team_id}
    return db.session.connection().execute(statement, {**params, **extra})


# --- Per citizen -----------------------------------------------------------------------

def strip_codes(dialect: str, citizen_id):
    """Per citizen, the 12-week contact strip as text: one letter per contact in those weeks,
    `A`+week for a successful contact and `a`+week for an attempt (see `strip_counts`).

    A column of the board's statement rather than a statement of its own: the per-week GROUP BY
    sent some 600 rows for a team of 64 that Python then folded into the 64 strips; computed per
    row sent (correlated with `citizen_id`), after the flags, totals and sort, which do not read
    it and would otherwise carry every strip through their sorts and copies. The week is
    the number of week starts (`Limits.week_starts`) at or before the contact: PostgreSQL's
    width_bucket does that search in C, which cost half of what the arithmetic on the interval
    since the first Monday did (the board's most expensive column: a team's ~2,000 contacts of
    12 weeks pass through it). SQLite adds up the eleven comparisons.
    """
    postgresql = dialect == "postgresql"
    if postgresql:
        week = func.width_bucket(Contact.occurred_at, P.week_bounds)
    else:
        week = sum(case((Contact.occurred_at >= bound, 1), else_=0) for bound in P.week_bound)
    first_letter = case((Contact.reached.is_(True), ord("A")), (Contact.reached.is_(False), ord("a")))
    letter = (func.chr if postgresql else func.char)(first_letter + week)
    joined = func.string_agg(letter, literal("")) if postgresql else func.group_concat(letter, "")
    return (select(joined)
            .where(Contact.citizen_id == citizen_id, Contact.occurred_at >= P.weeks_start,
                   Contact.occurred_at <= P.now)
            .scalar_subquery())


def strip_counts(codes: str | None) -> tuple[list[int], list[int]]:
    """(successful contacts, attempts) per week 0..11 from `strip_codes`' text."""
    counts = Counter(codes or "")
    return [counts[letter] for letter in REACHED_LETTERS], [counts[letter] for letter in MISSED_LETTERS]


def _citizen_columns(*, fidelity: bool = False, contacts_12w: bool = False):
    """The board's per-citizen figures as correlated scalar subqueries (one statement).

    Each subquery is an index lookup per citizen, so a statement carries only those its reader
    uses: the 12-week count of successful contacts only for sorting by it (`contacts_12w`;
    the strip counts the weeks itself), and
    the last attempt, the core-dimension count and the primary-assignment count only for the
    fidelity scorecard (`fidelity`).
    """
    team_dimension = or_(Dimension.key.is_not(None), Dimension.team_id == P.team_id)

    def assessed(condition):
        return (select(func.count(func.distinct(Assessment.dimension_id)))
                .join(Dimension, Dimension.id == Assessment.dimension_id)
                .where(Assessment.citizen_id == Citizen.id, condition).scalar_subquery())

    def last_contact(reached: bool):
        return (select(func.max(Contact.occurred_at))
                .where(Contact.citizen_id == Citizen.id, Contact.reached.is_(reached)).scalar_subquery())

    columns = [
        last_contact(True).label("last_contact_at"),
        assessed(team_dimension).label("assessed_count"),
        select(HousingEvent.situation).where(HousingEvent.citizen_id == Citizen.id)
        .order_by(HousingEvent.starts_on.desc(), HousingEvent.id.desc()).limit(1)
        .scalar_subquery().label("situation"),
    ]
    if contacts_12w or fidelity:
        columns.append(select(func.count())
                       .where(Contact.citizen_id == Citizen.id, Contact.reached.is_(True),
                              Contact.occurred_at >= P.weeks_start)
                       .scalar_subquery().label("contacts_12w"))
    if fidelity:
        columns += [
            last_contact(False).label("last_attempt_at"),
            assessed(Dimension.key.is_not(None)).label("assessed_core"),
            select(func.count()).select_from(Assignment)
            .where(Assignment.citizen_id == Citizen.id, Assignment.ends_at.is_(None))
            .correlate(Citizen).scalar_subquery().label("primary_count"),
        ]
    return columns


def citizen_rows_subquery(*, fidelity: bool = False, contacts_12w: bool = False, moving_in: bool = True):
    """One row per active citizen of the team with every figure and flag the board shows
    (parameters `P`; the optional figures: see `_citizen_columns`; `moving_in`, a lookup per
    citizen, only for those that read or filter by it)."""
    worker = aliased(User)
    # The latest plan version, joined once for its four columns (one lookup, not four).
    latest_plan = (select(func.max(Plan.version)).where(Plan.citizen_id == Citizen.id)
                   .correlate(Citizen).scalar_subquery())
    # Each citizen's current substitute (the one ending last), ranked once over the team's
    # current substitutions: a per-citizen lookup scanned the whole (small) table each time.
    in_team = aliased(Citizen)
    substitutes = (
        select(Substitution.citizen_id, Substitution.substitute_id,
               func.row_number().over(partition_by=Substitution.citizen_id,
                                      order_by=(Substitution.ends_at.desc(), Substitution.id.desc()))
               .label("rank"))
        .join(in_team, in_team.id == Substitution.citizen_id)
        .where(in_team.team_id == P.team_id, Substitution.starts_at <= P.now, Substitution.ends_at > P.now)
        .subquery("substitutes")
    )
    # The primary worker and the housing plan by index lookups per citizen: as joins, PostgreSQL
    # hashed both whole tables (every team's rows) for the one team's citizens.
    primary_worker = (select(Assignment.worker_id)
                      .where(Assignment.citizen_id == Citizen.id, Assignment.ends_at.is_(None))
                      .correlate(Citizen).limit(1).scalar_subquery())
    worker_name = select(worker.name).where(worker.id == primary_worker).scalar_subquery()
    moving_in_plan = (select(HousingPlan.moving_in).where(HousingPlan.citizen_id == Citizen.id)
                      .correlate(Citizen).scalar_subquery())
    inner = (
        select(
            Citizen.id, Citizen.first_name, Citizen.last_name, Citizen.preferred_name,
            Citizen.started_on, Citizen.asked_for_contact_at,
            primary_worker.label("worker_id"), worker_name.label("worker_name"),
            *([func.coalesce(moving_in_plan, False).label("moving_in")] if moving_in else []),
            Plan.id.label("plan_id"), Plan.review_on.label("plan_review_on"),
            Plan.reviewed_on.label("plan_reviewed_on"), Plan.created_at.label("plan_created_at"),
            substitutes.c.substitute_id,
            *_citizen_columns(fidelity=fidelity, contacts_12w=contacts_12w),
        )
        .outerjoin(Plan, and_(Plan.citizen_id == Citizen.id, Plan.version == latest_plan))
        .outerjoin(substitutes, and_(substitutes.c.citizen_id == Citizen.id, substitutes.c.rank == 1))
        .where(Citizen.team_id == P.team_id, Citizen.status == CourseStatus.ACTIVE)
        # Materialised: the flags below read each figure several times, and an inlined
        # subquery would make PostgreSQL repeat every correlated lookup per reference.
        .cte("citizen_figures").prefix_with("MATERIALIZED", dialect="postgresql")
    )
    c = inner.c
    total_dimensions = (select(func.count()).select_from(Dimension)
                        .where(or_(Dimension.key.is_not(None), Dimension.team_id == P.team_id))
                        .scalar_subquery())
    not_reached = or_(
        c.last_contact_at <= P.not_reached_cutoff,
        and_(c.last_contact_at.is_(None), c.started_on <= P.never_reached_started_by),
    )
    review_overdue = or_(
        c.plan_id.is_(None),
        c.plan_review_on < P.today,
        and_(c.plan_created_at < P.review_cutoff_at,
             or_(c.plan_reviewed_on.is_(None), c.plan_reviewed_on < P.review_cutoff)),
    )
    asked = and_(c.asked_for_contact_at.is_not(None),
                 or_(c.last_contact_at.is_(None), c.last_contact_at < c.asked_for_contact_at))

    def flag(condition, name):
        return case((condition, 1), else_=0).label(name)

    return (
        select(
            inner,
            (total_dimensions - c.assessed_count).label("unassessed"),
            flag(not_reached, "not_reached"),
            flag(review_overdue, "review_overdue"),
            flag(asked, "asked_for_contact"),
            flag(c.situation == Situation.AT_RISK.value, "eviction_risk"),
        )
        .subquery("board")
    )


SORTS = {
    "name": lambda b: [b.c.first_name, b.c.last_name, b.c.id],
    "worker": lambda b: [b.c.worker_name.asc().nulls_first(), b.c.first_name, b.c.id],
    "last_contact": lambda b: [b.c.last_contact_at.asc().nulls_first(), b.c.started_on, b.c.id],
    "contacts": lambda b: [b.c.contacts_12w, b.c.id],
    "unassessed": lambda b: [b.c.unassessed.desc(), b.c.id],
}

FILTERS = {
    "not_reached": lambda b: b.c.not_reached == 1,
    "review_overdue": lambda b: b.c.review_overdue == 1,
    "asked_for_contact": lambda b: b.c.asked_for_contact == 1,
    "unassessed": lambda b: b.c.unassessed > 0,
    "eviction_risk": lambda b: b.c.eviction_risk == 1,
    "moving_in": lambda b: b.c.moving_in.is_(True),
    "no_worker": lambda b: b.c.worker_id.is_(None),
}


SUMMARY = ("not_reached", "review_overdue", "asked_for_contact", "unassessed", "eviction_risk", "no_worker")


def _summary_columns(b):
    """Counts of each flag over the whole team, as aggregate expressions on the board subquery."""
    return {
        "citizens": func.count(),
        "not_reached": func.sum(b.c.not_reached),
        "review_overdue": func.sum(b.c.review_overdue),
        "asked_for_contact": func.sum(b.c.asked_for_contact),
        "unassessed": func.sum(case((b.c.unassessed > 0, 1), else_=0)),
        "eviction_risk": func.sum(b.c.eviction_risk),
        "no_worker": func.sum(case((b.c.worker_id.is_(None), 1), else_=0)),
    }


@lru_cache(maxsize=64)
def board_statement(sort: str = "last_contact", flag: str | None = None, by_worker: bool = False,
                    fidelity: bool = False, columns: tuple[str, ...] | None = None, dialect: str | None = None):
    """The board's citizen rows, filtered and sorted in SQL (parameters `P`, and `worker_id`
    when `by_worker`); with the scorecard's own figures when `fidelity`. `columns`: only these
    (and the totals) are sent, not every figure the flags were computed from; the contact strip
    (`strip_codes`, in `dialect`'s SQL) is computed only when they name `strip`.

    Each row also carries the team-wide flag counts (`total_<name>`), computed as window
    aggregates before the filter, so the page needs no second pass over the team.
    """
    b = citizen_rows_subquery(fidelity=fidelity, contacts_12w=sort == "contacts",
                              moving_in=not columns or "moving_in" in columns or flag == "moving_in")
    totals = [func.coalesce(expr.over(), 0).label(f"total_{name}") for name, expr in _summary_columns(b).items()]
    w = select(b, *totals).subquery("board_with_totals")
    if columns:
        statement = select(*[strip_codes(dialect, w.c.id).label(name) if name == "strip" else w.c[name]
                             for name in columns], *[w.c[t.name] for t in totals])
    else:
        statement = select(w)
    if flag in FILTERS:
        statement = statement.where(FILTERS[flag](w))
    if by_worker:
        statement = statement.where(w.c.worker_id == bindparam("worker_id", type_=Integer()))
    return statement.order_by(*SORTS.get(sort, SORTS["last_contact"])(w))


def board(team_id: int, limits: Limits, *, sort: str = "last_contact", flag: str | None = None,
          worker_id: int | None = None, fidelity: bool = False, columns: tuple[str, ...] | None = None) -> list:
    """The board's rows for `team_id` (see `board_statement`).

    Rows carry every figure, or only `columns` and the totals (`columns` may name `strip`, see
    `strip_codes`). `contacts_12w` only when sorted by it, and `last_attempt_at`,
    `assessed_core`, `primary_count` (and `contacts_12w`) only with `fidelity`."""
    sort = sort if sort in SORTS else "last_contact"
    flag = flag if flag in FILTERS else None
    statement = board_statement(sort, flag, worker_id is not None, fidelity, columns, dialect_name())
    return run(statement, team_id, limits, worker_id=worker_id).all()


def summary_from(rows) -> dict | None:
    """The team-wide counts carried by the board's rows (None when a filter left no row)."""
    if not rows:
        return None
    first = rows[0]
    return {name: getattr(first, f"total_{name}") for name in ("citizens", *SUMMARY)}


@lru_cache(maxsize=1)
def board_summary_statement():
    b = citizen_rows_subquery(moving_in=False)
    return select(*[func.coalesce(expr, 0).label(name) for name, expr in _summary_columns(b).items()])


def board_summary(team_id: int, limits: Limits) -> dict:
    """Counts of each flag over the whole team; used when a filter matched nobody."""
    return run(board_summary_statement(), team_id, limits).one()._asdict()


# --- Per worker ------------------------------------------------------------------------

@lru_cache(maxsize=1)
def team_caseloads_statement():
    """The team `P.team_id`'s name, and per active worker: caseload, citizens moving in, and
    cap overrides. One row per worker; a team without workers gives one row with no worker
    (id None), and a team that does not exist gives none.

    One GROUP BY over the team's workers' open assignments (of active citizens), and the team's
    name with it: the board needs both, and a statement of its own for each cost it a round trip.
    """
    worker = and_(User.team_id == Team.id, User.role == Role.WORKER, User.active.is_(True))
    open_assignment = and_(Assignment.worker_id == User.id, Assignment.ends_at.is_(None))
    active_citizen = and_(Citizen.id == Assignment.citizen_id, Citizen.status == CourseStatus.ACTIVE)
    # Counted: an open assignment whose citizen is active (Citizen.id is NULL otherwise).
    return (
        select(Team.name.label("team_name"), User.id, User.name, func.count(Citizen.id).label("caseload"),
               func.count(case((HousingPlan.moving_in.is_(True), Citizen.id))).label("moving_in"),
               func.count(case((Assignment.cap_override_reason.is_not(None), Citizen.id))).label("overrides"))
        .select_from(Team)
        .outerjoin(User, worker)
        .outerjoin(Assignment, open_assignment)
        .outerjoin(Citizen, active_citizen)
        .outerjoin(HousingPlan, HousingPlan.citizen_id == Citizen.id)
        .where(Team.id == P.team_id)
        .group_by(Team.name, User.id, User.name)
        .order_by(User.name, User.id)
    )


def team_caseloads(team_id: int) -> tuple[str | None, list]:
    """(the team's name, its workers' rows) from `team_caseloads_statement`; (None, []) when
    there is no such team."""
    rows = run(team_caseloads_statement(), team_id).all()
    if not rows:
        return None, []
    return rows[0].team_name, [row for row in rows if row.id is not None]


def worker_caseloads(team_id: int) -> list:
    """Per active worker of the team: id, name, caseload, moving_in, overrides."""
    return team_caseloads(team_id)[1]


def team_workers(team_id: int):
    return (select(User).where(User.team_id == team_id, User.role == Role.WORKER, User.active.is_(True))
            .order_by(User.name, User.id))


# --- Fidelity --------------------------------------------------------------------------

HOME_PLACES = (Place.HOME.value, Place.CHOSEN.value)


def contact_places(team_id: int, start: datetime, end: datetime):
    """Per citizen of the team: successful contacts in the period and those at home/chosen place."""
    at_home = func.sum(case((Contact.place.in_(HOME_PLACES), 1), else_=0))
    return (
        select(Citizen.id, Citizen.first_name, Citizen.last_name, Citizen.preferred_name,
               func.count().label("total"), at_home.label("at_home"))
        .join(Contact, Contact.citizen_id == Citizen.id)
        .where(Citizen.team_id == team_id, Contact.reached.is_(True),
               Contact.occurred_at >= start, Contact.occurred_at < end)
        .group_by(Citizen.id, Citizen.first_name, Citizen.last_name, Citizen.preferred_name)
        .order_by((at_home * 1.0 / func.count()), Citizen.id)
    )


def meetings_in(team_id: int, start: datetime, end: datetime):
    return (select(TeamMeeting).where(TeamMeeting.team_id == team_id, TeamMeeting.held_at >= start,
                                      TeamMeeting.held_at < end)
            .order_by(TeamMeeting.held_at.desc()))


def supervision_in(team_id: int, start: date, end: date):
    return (select(SupervisionSession)
            .where(SupervisionSession.team_id == team_id, SupervisionSession.held_on >= start,
                   SupervisionSession.held_on <= end)
            .order_by(SupervisionSession.held_on.desc()))


def last_meeting(team_id: int):
    return select(func.max(TeamMeeting.held_at)).where(TeamMeeting.team_id == team_id)


def last_supervision(team_id: int):
    return select(func.max(SupervisionSession.held_on)).where(SupervisionSession.team_id == team_id)
