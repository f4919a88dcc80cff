"""The supervisor's tablet: team board, fidelity, outcomes, meetings, supervision, course changes."""
import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from server.access import get_citizen_or_404
from server.audit import operations as audit
from server.auth.models import User
from server.citizens.labels import END_REASON_LABELS
from server.citizens.models import Assignment, Citizen, CourseStatus, Substitution
from server.citizens.operations import CaseloadCapError, current_assignment
from server.db import utcnow
from server.extensions import db
from server.htmx import render
from server.policy import SUPERVISOR
from server.reminders.models import Reminder
from server.localtime import local_today
from server.teams import fidelity as fidelity_scores
from server.teams.board_rows import FIELDS as BOARD_FIELDS, BoardRows, url_parts
from server.teams import operations, queries
from server.teams import outcomes as housing_outcomes
from server.teams.forms import situation_label
from server.teams.forms import (AgendaItemForm, EndCourseForm, ReassignForm, SubstitutionForm, SupervisionForm,
                                agenda_form)
from server.teams.labels import FLAG_LABELS, OUTCOME_LABELS, SORT_LABELS, SUPERVISION_KIND_LABELS, flag_label
from server.teams.models import AgendaItem, SupervisionSession, Team, TeamMeeting

bp = Blueprint("teams", __name__)

POLICY = {
    "teams.board": SUPERVISOR,
    "teams.fidelity": SUPERVISOR,
    "teams.fidelity_csv": SUPERVISOR,
    "teams.outcomes": SUPERVISOR,
    "teams.outcomes_csv": SUPERVISOR,
    "teams.report": SUPERVISOR,
    "teams.meetings": SUPERVISOR,
    "teams.meeting_new": SUPERVISOR,
    "teams.meeting": SUPERVISOR,
    "teams.agenda_item": SUPERVISOR,
    "teams.supervision": SUPERVISOR,
    "teams.reassign": SUPERVISOR,
    "teams.substitute": SUPERVISOR,
    "teams.substitution_end": SUPERVISOR,
    "teams.end_course": SUPERVISOR,
}

# Where a figure about a citizen leads.
CITIZEN_PAGES = {
    None: "citizens.show",
    "contacts": "citizens.show",
    "plan": "plans.show",
    "assessment": "plans.assessment",
}


@bp.app_template_global("teams_citizen_url")
def citizen_url(citizen_id: int, section: str | None = None) -> str:
    return url_for(CITIZEN_PAGES.get(section, CITIZEN_PAGES[None]), citizen_id=citizen_id)


def query_url(base: str, args) -> str:
    """`base` with the board's sort/filter arguments (pairs); the default sort and empty ones left out."""
    clean = {k: v for k, v in args if v not in (None, "") and not (k == "sort" and v == "last_contact")}
    return f"{base}?{urlencode(clean)}" if clean else base


@lru_cache(maxsize=4096)
def _board_link(base: str, args: tuple, current: bool) -> Markup:
    href = escape(query_url(base, args))
    aria = ' aria-current="true"' if current else ""
    return Markup(f'<a href="{href}" hx-get="{href}"{aria}>')


@dataclass(frozen=True)
class BoardLink:
    """The board template's `board_link(current=False, **changes)`: the opening `<a>` of a link
    from the board to itself, `here` (sort, flag, worker) with `changes` applied, as href and
    hx-get. A plain call rather than a Jinja macro with a caller block, which cost several times
    as much per link (the board has some twenty), and memoised: the links are the same from one
    request to the next (sorts, filters and worker ids; no names), and encoding each query was a
    visible share of the board's time."""

    base: str  # the board's own URL
    here: tuple  # ("sort", ...), ("flag", ...), ("worker", ...)

    def __call__(self, current: bool = False, **changes) -> Markup:
        return _board_link(self.base, tuple({**dict(self.here), **changes}.items()), current)


def current_team() -> Team:
    team = db.session.get(Team, current_user.team_id) if current_user.team_id else None
    if team is None:
        abort(404)
    return team


def current_limits() -> queries.Limits:
    cfg = current_app.config
    return queries.Limits(now=utcnow(), cap=cfg["CASELOAD_CAP"], not_reached_days=cfg["NOT_REACHED_DAYS"],
                          review_months=cfg["PLAN_REVIEW_MONTHS"])


def requested_period(default_days: int = 365) -> tuple[date, date, list[str]]:
    """?from=&to= as dates; bad values fall back to the default and are reported."""
    today = local_today()
    errors = []

    def parse(name, default):
        raw = request.args.get(name)
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors.append(_("Ugyldig dato: %(value)s", value=raw[:20]))
            return default

    start = parse("from", today - timedelta(days=default_days - 1))
    end = parse("to", today)
    if end < start:
        errors.append(_("Slutdatoen skal ligge efter startdatoen."))
        start, end = today - timedelta(days=default_days - 1), today
    return start, end, errors


def team_citizen(citizen_id: int) -> Citizen:
    """The per-citizen loader (access check + audit), then: only the supervisor's own team."""
    citizen = get_citizen_or_404(citizen_id)
    if citizen.team_id != current_user.team_id:
        abort(404)
    return citizen


# --- Board ---------------------------------------------------------------------------

@bp.get("/team")
def board():
    # The team's name comes with its workers' caseloads (one statement, not the Team's ORM load).
    team_id = current_user.team_id
    team_name, workers = queries.team_caseloads(team_id) if team_id else (None, [])
    if team_name is None:
        abort(404)
    limits = current_limits()
    sort = request.args.get("sort") if request.args.get("sort") in queries.SORTS else "last_contact"
    flag = request.args.get("flag") if request.args.get("flag") in queries.FILTERS else None
    worker_id = request.args.get("worker", type=int)
    rows = queries.board(team_id, limits, sort=sort, flag=flag, worker_id=worker_id, columns=BOARD_FIELDS)
    summary = queries.summary_from(rows)
    if summary is None:  # the filter matched nobody: the counts come from their own query
        summary = queries.board_summary(team_id, limits)
    audit.record("list", subject="teams.board")
    links = {"citizen": url_parts(CITIZEN_PAGES[None]), "plan": url_parts(CITIZEN_PAGES["plan"]),
             "assessment": url_parts(CITIZEN_PAGES["assessment"]), "course": url_parts("teams.reassign")}
    base = url_for("teams.board")
    board_rows = BoardRows(now=limits.now, links=links, worker_names={w.id: w.name for w in workers},
                           worker_link=lambda worker: BoardLink(base, (("sort", sort),))(worker=worker))
    return render("teams/board.html", "teams/_board.html", team_name=team_name, rows=rows, workers=workers,
                  summary=summary, limits=limits,
                  sort=sort, flag=flag, worker_id=worker_id, board_rows=board_rows,
                  board_link=BoardLink(base, (("sort", sort), ("flag", flag), ("worker", worker_id))),
                  sort_labels=SORT_LABELS, flag_labels=FLAG_LABELS, filters=list(queries.FILTERS))


# --- Fidelity ------------------------------------------------------------------------

def fidelity_context():
    team = current_team()
    start, end, errors = requested_period(default_days=90)
    criteria = fidelity_scores.scorecard(team, current_limits(), start, end)
    return team, start, end, errors, criteria


@bp.get("/team/fidelity")
def fidelity():
    team, start, end, errors, criteria = fidelity_context()
    audit.record("list", subject="teams.fidelity")
    return render("teams/fidelity.html", team=team, start=start, end=end, errors=errors, criteria=criteria,
                  status=422 if errors else 200)


def csv_response(filename: str, header: list[str], rows) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    response = Response("\ufeff" + buffer.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/team/fidelity.csv")
def fidelity_csv():
    team, start, end, _errors, criteria = fidelity_context()
    rows = []
    for c in criteria:
        rows.append([c.key, "ja" if c.met else "nej", c.value, "" if c.share is None else c.share, "", ""])
        for e in c.evidence:
            # Exports carry citizen ids and initials only, never names or notes.
            label = fidelity_initials(e.label) if e.citizen_id else e.label
            rows.append([c.key, "", "", "", e.citizen_id or "", label])
    audit.record("export", subject=f"fidelity.csv team:{team.id} {start}..{end}")
    return csv_response(f"fidelitet-{team.id}-{start}-{end}.csv",
                        ["kriterium", "opfyldt", "vaerdi", "andel_pct", "borger_id", "initialer"], rows)


def fidelity_initials(name: str) -> str:
    return "".join(part[:1] for part in name.split()[:2]).upper()


# --- Outcomes ------------------------------------------------------------------------

@bp.get("/team/outcomes")
def outcomes():
    team = current_team()
    start, end, errors = requested_period()
    category = request.args.get("category")
    category = category if category in housing_outcomes.CATEGORIES else None
    summary = housing_outcomes.summary(team.id, start, end)
    rows = db.session.execute(housing_outcomes.outcome_list(team.id, start, end, category)).all()
    audit.record("list", subject="teams.outcomes")
    return render("teams/outcomes.html", team=team, start=start, end=end, errors=errors, summary=summary,
                  rows=rows, category=category, categories=housing_outcomes.CATEGORIES,
                  outcome_labels=OUTCOME_LABELS, status=422 if errors else 200)


@bp.get("/team/outcomes.csv")
def outcomes_csv():
    team = current_team()
    start, end, _errors = requested_period()
    rows = db.session.execute(housing_outcomes.outcome_list(team.id, start, end)).all()
    audit.record("export", subject=f"outcomes.csv team:{team.id} {start}..{end}")
    return csv_response(
        f"boligresultater-{team.id}-{start}-{end}.csv",
        ["borger_id", "initialer", "startdato", "slutdato", "kategori", "antal_mistet", "foerste_indflytning",
         "dage_til_indflytning"],
        [[r.id, fidelity_scores.initials(r), r.started_on, r.ended_on or "", r.category, r.losses,
          r.first_move_in or "", (r.first_move_in - r.started_on).days if r.first_move_in else ""]
         for r in rows],
    )


@bp.get("/team/report")
def report():
    team = current_team()
    start, end, errors = requested_period()
    summary = housing_outcomes.summary(team.id, start, end)
    criteria = fidelity_scores.scorecard(team, current_limits(), start, end)
    audit.record("export", subject=f"report team:{team.id} {start}..{end}")
    return render("teams/report.html", team=team, start=start, end=end, errors=errors, summary=summary,
                  criteria=criteria, outcome_labels=OUTCOME_LABELS)


# --- Team meetings and supervision ---------------------------------------------------

def team_meeting_or_404(meeting_id: int) -> TeamMeeting:
    meeting = db.session.get(TeamMeeting, meeting_id)
    if meeting is None or meeting.team_id != current_user.team_id:
        abort(404)
    return meeting


@bp.get("/team/meetings")
def meetings():
    team = current_team()
    rows = db.session.scalars(select(TeamMeeting).where(TeamMeeting.team_id == team.id)
                              .order_by(TeamMeeting.held_at.desc()).options(selectinload(TeamMeeting.items))
                              .limit(100)).all()
    return render("teams/meetings.html", team=team, meetings=rows)


@bp.post("/team/meetings")
def meeting_new():
    team = current_team()
    meeting = operations.create_meeting(team, by=current_user, limits=current_limits())
    return redirect(url_for("teams.meeting", meeting_id=meeting.id), code=303)


def meeting_page(meeting: TeamMeeting, forms: dict | None = None, status: int = 200):
    citizen_ids = [i.citizen_id for i in meeting.items if i.citizen_id]
    citizens = {c.id: c for c in db.session.scalars(select(Citizen).where(Citizen.id.in_(citizen_ids)))}
    workers = dict(db.session.execute(
        select(Assignment.citizen_id, User.name).join(User, User.id == Assignment.worker_id)
        .where(Assignment.citizen_id.in_(citizen_ids), Assignment.ends_at.is_(None))).all())
    reminder_ids = [i.reminder_id for i in meeting.items if i.reminder_id]
    reminders = {r.id: r for r in db.session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids)))}
    forms = forms or {}
    for item in meeting.items:
        forms.setdefault(item.id, agenda_form(item, obj=item, formdata=None))
    audit.record("list", subject=f"teams.meeting:{meeting.id}")
    return render("teams/meeting.html", meeting=meeting, citizens=citizens, workers=workers,
                  reminders=reminders, forms=forms, flag_label=flag_label, status=status)


@bp.get("/team/meetings/<int:meeting_id>")
def meeting(meeting_id):
    return meeting_page(team_meeting_or_404(meeting_id))


@bp.post("/team/meetings/<int:meeting_id>/items/<int:item_id>")
def agenda_item(meeting_id, item_id):
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id:
        abort(404)
    if item.citizen_id is not None:
        team_citizen(item.citizen_id)  # first: another team's supervisor leaves a "denied" row
    meeting = team_meeting_or_404(meeting_id)
    form = agenda_form(item)
    owner = None
    if form.validate_on_submit() and isinstance(form, AgendaItemForm) and form.make_reminder.data:
        assignment = db.session.scalar(select(Assignment).where(Assignment.citizen_id == item.citizen_id,
                                                                Assignment.ends_at.is_(None)))
        if assignment is None:
            form.make_reminder.errors = [_("Borgeren har ingen gennemgående medarbejder at sende påmindelsen til.")]
        owner = assignment.worker_id if assignment else None
    if form.errors:
        return meeting_page(meeting, {item.id: form}, status=422)
    operations.record_agenda_item(item, discussion=form.discussion.data, decision=form.decision.data,
                                  reminder_owner_id=owner,
                                  reminder_due=form.reminder_due.data if owner else None,
                                  reminder_text=form.decision.data)
    return redirect(url_for("teams.meeting", meeting_id=meeting.id) + f"#item-{item.id}", code=303)


@bp.route("/team/supervision", methods=["GET", "POST"])
def supervision():
    team = current_team()
    form = SupervisionForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            operations.add_supervision(team, by=current_user, held_on=form.held_on.data, kind=form.kind.data,
                                       supervisor_name=form.supervisor_name.data, notes=form.notes.data)
            return redirect(url_for("teams.supervision"), code=303)
        status = 422
    sessions = db.session.scalars(select(SupervisionSession).where(SupervisionSession.team_id == team.id)
                                  .order_by(SupervisionSession.held_on.desc()).limit(100)).all()
    return render("teams/supervision.html", team=team, form=form, sessions=sessions,
                  kind_labels=SUPERVISION_KIND_LABELS, status=status)


# --- Course changes ------------------------------------------------------------------

def team_worker_choices(team_id: int, exclude: int | None = None):
    """(id, "Name (caseload)") for the team's active workers: the cap is visible when choosing."""
    return [SelectChoice(w.id, f"{w.name} ({w.caseload})") for w in queries.worker_caseloads(team_id)
            if w.id != exclude]


def course_page(citizen: Citizen, reassign_form=None, substitution_form=None, status=200):
    current = current_assignment(citizen)
    choices = team_worker_choices(citizen.team_id)
    if reassign_form is None:
        reassign_form = ReassignForm(formdata=None)
    reassign_form.worker_id.choices = [c for c in choices if not current or c.value != current.worker_id]
    if substitution_form is None:
        today = local_today()
        substitution_form = SubstitutionForm(formdata=None, starts_on=today, ends_on=today + timedelta(days=14))
    substitution_form.substitute_id.choices = [c for c in choices if not current or c.value != current.worker_id]
    history = db.session.scalars(select(Assignment).where(Assignment.citizen_id == citizen.id)
                                 .order_by(Assignment.starts_at.desc(), Assignment.id.desc())
                                 .options(selectinload(Assignment.worker))).all()
    substitutions = db.session.scalars(select(Substitution).where(Substitution.citizen_id == citizen.id)
                                       .order_by(Substitution.starts_at.desc())
                                       .options(selectinload(Substitution.substitute))).all()
    return render("teams/reassign.html", citizen=citizen, current=current, form=reassign_form,
                  substitution_form=substitution_form, history=history, substitutions=substitutions,
                  cap=current_app.config["CASELOAD_CAP"], now=utcnow(), end_reason_labels=END_REASON_LABELS,
                  situation_label=situation_label, status=status)


@bp.route("/team/citizens/<int:citizen_id>/reassign", methods=["GET", "POST"])
def reassign(citizen_id):
    citizen = team_citizen(citizen_id)
    if request.method == "GET":
        return course_page(citizen)
    form = ReassignForm()
    form.worker_id.choices = team_worker_choices(citizen.team_id)
    if citizen.status != CourseStatus.ACTIVE:
        form.worker_id.errors = [_("Forløbet er afsluttet.")]
        return course_page(citizen, reassign_form=form, status=422)
    if form.validate_on_submit():
        try:
            operations.reassign(citizen, db.session.get(User, form.worker_id.data), by=current_user,
                                reason=form.reason.data, override_reason=form.override_reason.data)
        except CaseloadCapError as error:
            form.override_reason.errors = [str(error)]
        else:
            return redirect(url_for("teams.reassign", citizen_id=citizen.id), code=303)
    return course_page(citizen, reassign_form=form, status=422)


@bp.post("/team/citizens/<int:citizen_id>/substitutions")
def substitute(citizen_id):
    citizen = team_citizen(citizen_id)
    form = SubstitutionForm()
    current = current_assignment(citizen)
    form.substitute_id.choices = team_worker_choices(citizen.team_id, exclude=current.worker_id if current else None)
    if citizen.status != CourseStatus.ACTIVE:
        form.substitute_id.errors = [_("Forløbet er afsluttet.")]
        return course_page(citizen, substitution_form=form, status=422)
    if not form.validate_on_submit():
        return course_page(citizen, substitution_form=form, status=422)
    operations.substitute(citizen, db.session.get(User, form.substitute_id.data), by=current_user,
                          starts_on=form.starts_on.data, ends_on=form.ends_on.data, reason=form.reason.data)
    return redirect(url_for("teams.reassign", citizen_id=citizen.id), code=303)


@bp.post("/team/citizens/<int:citizen_id>/substitutions/<int:substitution_id>/end")
def substitution_end(citizen_id, substitution_id):
    citizen = team_citizen(citizen_id)
    row = db.session.get(Substitution, substitution_id)
    if row is None or row.citizen_id != citizen.id:
        abort(404)
    operations.end_substitution(row)
    return redirect(url_for("teams.reassign", citizen_id=citizen.id), code=303)


@bp.route("/team/citizens/<int:citizen_id>/end", methods=["GET", "POST"])
def end_course(citizen_id):
    citizen = team_citizen(citizen_id)
    situation = db.session.execute(
        select(queries.HousingEvent.situation).where(queries.HousingEvent.citizen_id == citizen.id)
        .order_by(queries.HousingEvent.starts_on.desc(), queries.HousingEvent.id.desc()).limit(1)).scalar()
    if request.method == "GET":
        form = EndCourseForm(formdata=None, started_on=citizen.started_on,
                             ended_on=local_today(), housing_situation=situation)
        return render("teams/end_course.html", citizen=citizen, form=form)
    form = EndCourseForm(started_on=citizen.started_on)
    if citizen.status != CourseStatus.ACTIVE:
        form.ended_on.errors = [_("Forløbet er allerede afsluttet.")]
        return render("teams/end_course.html", citizen=citizen, form=form, status=422)
    if not form.validate_on_submit():
        return render("teams/end_course.html", citizen=citizen, form=form, status=422)
    operations.end_course(citizen, ended_on=form.ended_on.data, reason=form.reason.data,
                          housing_situation=form.housing_situation.data)
    return redirect(url_for("teams.reassign", citizen_id=citizen.id), code=303)
