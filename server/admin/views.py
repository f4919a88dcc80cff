"""The administrator's pages: overview, users and roles, passkey reset, teams, data retention."""
from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from server.admin import operations
from server.admin.forms import ROLE_LABELS, TeamForm, UserForm
from server.auth.models import STAFF_ROLES, Credential, Role, User
from server.extensions import db
from server.htmx import render
from server.policy import ADMIN
from server.teams.models import Team

bp = Blueprint("admin", __name__)

POLICY = {
    "admin.index": ADMIN,
    "admin.users": ADMIN,
    "admin.user_new": ADMIN,
    "admin.user_create": ADMIN,
    "admin.user_edit": ADMIN,
    "admin.user_update": ADMIN,
    "admin.passkey_reset": ADMIN,
    "admin.teams": ADMIN,
    "admin.team_create": ADMIN,
    "admin.team_update": ADMIN,
    "admin.retention": ADMIN,
}




def all_teams():
    return db.session.scalars(select(Team).order_by(Team.name, Team.id)).all()


def staff_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role not in STAFF_ROLES:
        abort(404)
    return user


@bp.get("/admin")
def index():
    by_role = dict(db.session.execute(select(User.role, func.count()).where(User.active.is_(True))
                                      .group_by(User.role)).all())
    teams = db.session.scalar(select(func.count()).select_from(Team))
    return render("admin/index.html", by_role=by_role, teams=teams, role_labels=ROLE_LABELS)


@bp.get("/admin/users")
def users():
    credentials = (select(Credential.user_id, func.count().label("n")).group_by(Credential.user_id).subquery())
    rows = db.session.execute(
        select(User, Team.name, func.coalesce(credentials.c.n, 0))
        .outerjoin(Team, Team.id == User.team_id).outerjoin(credentials, credentials.c.user_id == User.id)
        .where(User.role.in_([r.value for r in STAFF_ROLES])).order_by(User.active.desc(), User.name, User.id)
    ).all()
    return render("admin/users.html", rows=rows, role_labels=ROLE_LABELS)


def user_form_page(form, user=None, status=200):
    return render("admin/user_form.html", form=form, user=user, status=status)


@bp.get("/admin/users/new")
def user_new():
    form = UserForm(formdata=None)
    form.set_teams(all_teams())
    return user_form_page(form)


def username_taken(username: str, user: User | None) -> bool:
    other = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    return other is not None and (user is None or other.id != user.id)


def user_data(form) -> dict:
    return {"name": form.name.data.strip(), "username": form.username.data, "role": form.role.data,
            "team_id": form.team_id.data, "email": form.email.data or None, "active": form.active.data}


@bp.post("/admin/users")
def user_create():
    form = UserForm()
    form.set_teams(all_teams())
    valid = form.validate_on_submit()
    if valid and username_taken(form.username.data, None):
        form.username.errors = [_("Brugernavnet er taget.")]
        valid = False
    if not valid:
        return user_form_page(form, status=422)
    user = operations.save_user(None, user_data(form), form.password.data)
    flash(_("%(name)s er oprettet.", name=user.name), "success")
    return redirect(url_for("admin.users"), code=303)


@bp.get("/admin/users/<int:user_id>")
def user_edit(user_id):
    user = staff_user_or_404(user_id)
    form = UserForm(formdata=None, obj=user)
    form.set_teams(all_teams())
    return user_form_page(form, user)


@bp.post("/admin/users/<int:user_id>")
def user_update(user_id):
    user = staff_user_or_404(user_id)
    form = UserForm()
    form.set_teams(all_teams())
    valid = form.validate_on_submit()
    if valid and username_taken(form.username.data, user):
        form.username.errors = [_("Brugernavnet er taget.")]
        valid = False
    if valid and user.id == current_user.id and (not form.active.data or form.role.data != Role.ADMIN):
        form.active.errors = [_("Du kan ikke fjerne din egen administratoradgang.")]
        valid = False
    if not valid:
        return user_form_page(form, user, status=422)
    operations.save_user(user, user_data(form), form.password.data)
    flash(_("%(name)s er gemt.", name=user.name), "success")
    return redirect(url_for("admin.users"), code=303)


@bp.post("/admin/users/<int:user_id>/passkeys/reset")
def passkey_reset(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    count = operations.reset_passkeys(user)
    flash(_("%(n)s adgangsnøgler fjernet for %(name)s; alle sessioner er afsluttet.", n=count, name=user.name),
          "success")
    target = url_for("admin.user_edit", user_id=user.id) if user.role in STAFF_ROLES else url_for("admin.users")
    return redirect(target, code=303)


def teams_page(create_form=None, edit_forms=None, status=200):
    teams = all_teams()
    edit_forms = edit_forms or {}
    for team in teams:
        edit_forms.setdefault(team.id, TeamForm(formdata=None, obj=team, prefix=f"team{team.id}"))
    return render("admin/teams.html", teams=teams, create_form=create_form or TeamForm(formdata=None),
                  edit_forms=edit_forms, status=status)


@bp.get("/admin/teams")
def teams():
    return teams_page()


@bp.post("/admin/teams")
def team_create():
    form = TeamForm()
    if not form.validate_on_submit():
        return teams_page(create_form=form, status=422)
    team = operations.save_team(None, form.data)
    flash(_("Teamet %(name)s er oprettet.", name=team.name), "success")
    return redirect(url_for("admin.teams"), code=303)


@bp.post("/admin/teams/<int:team_id>")
def team_update(team_id):
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    form = TeamForm(prefix=f"team{team.id}")
    if not form.validate_on_submit():
        return teams_page(edit_forms={team.id: form}, status=422)
    operations.save_team(team, form.data)
    flash(_("Teamet %(name)s er gemt.", name=team.name), "success")
    return redirect(url_for("admin.teams"), code=303)


@bp.get("/admin/retention")
def retention():
    cfg = current_app.config
    return render("admin/retention.html", audit_days=cfg["AUDIT_RETENTION_DAYS"],
                  case_days=cfg["CASE_RETENTION_DAYS"])
