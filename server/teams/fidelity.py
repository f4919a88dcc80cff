"""The fidelity scorecard: each ICM criterion computed from the recorded data, with its evidence.

Thresholds come from config (defaults = the manual's numbers where it gives one) and the
team's own cadences; every criterion carries the rows behind it so a figure can be traced.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app, url_for
from flask_babel import gettext as _

from server.extensions import db
from server.localtime import local_midnight
from server.teams import queries
from server.teams.labels import CRITERION_LABELS

# "Mostly in the home or where the citizen wants" (the manual gives no number): a setting.
DEFAULT_HOME_SHARE = 50


@dataclass
class Evidence:
    label: str
    url: str | None = None
    detail: str = ""
    citizen_id: int | None = None


@dataclass
class Criterion:
    key: str
    title: str
    met: bool
    value: str
    share: int | None = None  # percent, where the criterion is a share
    evidence: list[Evidence] = field(default_factory=list)
    more_url: str | None = None  # the board, filtered to the citizens behind the figure
    more_label: str | None = None


def display_name(row) -> str:
    return f"{row.preferred_name or row.first_name} {row.last_name}"


def initials(row) -> str:
    return f"{(row.preferred_name or row.first_name)[:1]}{row.last_name[:1]}".upper()


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def settings(team) -> dict:
    cfg = current_app.config
    return {
        "cap": cfg["CASELOAD_CAP"],
        "review_months": cfg["PLAN_REVIEW_MONTHS"],
        "not_reached_days": cfg["NOT_REACHED_DAYS"],
        "home_share": cfg.get("FIDELITY_HOME_SHARE", DEFAULT_HOME_SHARE),
        "meeting_days": team.meeting_cadence_days,
        "supervision_days": team.supervision_cadence_days,
    }


def citizen_evidence(row, detail="", section: str | None = "course") -> Evidence:
    """A citizen behind a figure, linked to the page where the gap can be seen and closed."""
    from server.teams.views import citizen_url  # the views own the page map (no import cycle at load)

    url = url_for("teams.reassign", citizen_id=row.id) if section == "course" else citizen_url(row.id, section)
    return Evidence(display_name(row), url, detail, row.id)


def scorecard(team, limits: queries.Limits, start: date, end: date) -> list[Criterion]:
    """All criteria for `team` over the period [start, end] (dates, inclusive)."""
    s = settings(team)
    rows = queries.board(team.id, limits, sort="name", fidelity=True)
    workers = queries.worker_caseloads(team.id)
    period_start = local_midnight(start)
    period_end = local_midnight(end + timedelta(days=1))
    places = db.session.execute(queries.contact_places(team.id, period_start, period_end)).all()
    meetings = db.session.scalars(queries.meetings_in(team.id, period_start, period_end)).all()
    sessions = db.session.scalars(queries.supervision_in(team.id, start, end)).all()
    total = len(rows)
    period_days = (end - start).days + 1
    board_url = lambda **kw: url_for("teams.board", **kw)  # noqa: E731

    without_worker = [r for r in rows if r.primary_count != 1]
    over_cap = [w for w in workers if w.caseload > s["cap"]]
    overdue = [r for r in rows if r.review_overdue]
    missing_dims = [r for r in rows if r.assessed_core < queries.CORE_DIMENSIONS]
    contacts_total = sum(p.total for p in places)
    contacts_home = sum(p.at_home for p in places)
    home_share = percent(contacts_home, contacts_total)
    outreach_cutoff = limits.not_reached_cutoff
    given_up = [r for r in rows if r.not_reached
                and (r.last_attempt_at is None or r.last_attempt_at < outreach_cutoff)]

    def cadence(items, days, url_of, label_of):
        expected = max(1, period_days // days)
        return (len(items) >= expected,
                _("%(held)s holdt, %(expected)s forventet", held=len(items), expected=expected),
                [Evidence(label_of(i), url_of(i)) for i in items])

    meetings_met, meetings_value, meetings_evidence = cadence(
        meetings, s["meeting_days"], lambda m: url_for("teams.meeting", meeting_id=m.id),
        lambda m: _("Teammøde %(when)s", when=m.held_at.strftime("%d.%m.%Y")))
    supervision_met, supervision_value, supervision_evidence = cadence(
        sessions, s["supervision_days"], lambda _s: url_for("teams.supervision"),
        lambda x: _("Supervision %(when)s", when=x.held_on.strftime("%d.%m.%Y")))

    return [
        Criterion("one_primary_worker", str(CRITERION_LABELS["one_primary_worker"]),
                  not without_worker,
                  _("%(n)s af %(total)s borgere", n=total - len(without_worker), total=total),
                  percent(total - len(without_worker), total),
                  [citizen_evidence(r, _("ingen gennemgående medarbejder")) for r in without_worker],
                  board_url(flag="no_worker")),
        Criterion("caseload", CRITERION_LABELS["caseload"] % {"cap": s["cap"]}, not over_cap,
                  _("%(n)s af %(total)s medarbejdere over loftet", n=len(over_cap), total=len(workers)),
                  None,
                  [Evidence(w.name, board_url(worker=w.id),
                            _("%(n)s borgere", n=w.caseload)) for w in over_cap]),
        Criterion("plan_reviewed", CRITERION_LABELS["plan_reviewed"] % {"months": s["review_months"]},
                  not overdue,
                  _("%(n)s af %(total)s borgere", n=total - len(overdue), total=total),
                  percent(total - len(overdue), total),
                  [citizen_evidence(r, _("ingen plan") if r.plan_id is None else _("revision mangler"), "plan")
                   for r in overdue],
                  board_url(flag="review_overdue")),
        Criterion("all_dimensions", str(CRITERION_LABELS["all_dimensions"]), not missing_dims,
                  _("%(n)s af %(total)s borgere", n=total - len(missing_dims), total=total),
                  percent(total - len(missing_dims), total),
                  [citizen_evidence(r, _("%(n)s af 8 afdækket", n=r.assessed_core), "assessment")
                   for r in missing_dims],
                  board_url(flag="unassessed")),
        Criterion("home_contacts", str(CRITERION_LABELS["home_contacts"]),
                  home_share is not None and home_share >= s["home_share"],
                  _("%(home)s af %(total)s kontakter (mål: %(target)s %%)", home=contacts_home,
                    total=contacts_total, target=s["home_share"]),
                  home_share,
                  [citizen_evidence(p, _("%(home)s af %(total)s", home=p.at_home, total=p.total), "contacts")
                   for p in places]),
        Criterion("team_meetings", CRITERION_LABELS["team_meetings"] % {"days": s["meeting_days"]},
                  meetings_met, meetings_value, None, meetings_evidence, url_for("teams.meetings"),
                  _("Se teammøderne")),
        Criterion("supervision", CRITERION_LABELS["supervision"] % {"days": s["supervision_days"]},
                  supervision_met, supervision_value, None, supervision_evidence,
                  url_for("teams.supervision"), _("Se supervisionsloggen")),
        Criterion("outreach", str(CRITERION_LABELS["outreach"]), not given_up,
                  _("%(n)s ikke nået uden forsøg de seneste %(days)s dage", n=len(given_up),
                    days=s["not_reached_days"]),
                  None,
                  [citizen_evidence(r, _("seneste forsøg: ingen") if r.last_attempt_at is None
                                    else _("seneste forsøg for over %(days)s dage siden",
                                           days=s["not_reached_days"]), "contacts")
                   for r in given_up],
                  board_url(flag="not_reached")),
    ]


def default_period(today: date) -> tuple[date, date]:
    return today - timedelta(days=89), today


def as_datetime(day: date) -> datetime:
    return local_midnight(day)
