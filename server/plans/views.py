"""Routes for the needs assessment and the versioned plan, made together with the citizen."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from server.access import get_citizen_or_404
from server.auth.models import Role
from server.errors import error_response
from server.extensions import db
from server.htmx import render
from server.plans import operations, queries
from server.plans.diff import plan_diff
from server.localtime import local_today
from server.plans.forms import MAX_ROWS, AssessmentForm, DimensionForm, PlanForm
from server.plans.labels import dimension_label
from server.policy import CASE_STAFF, WORKER

bp = Blueprint("plans", __name__)
# Ids above PostgreSQL's integer range would fail in the database (503); they are just 404.
ID = "int(max=2147483647)"


@bp.context_processor
def template_helpers():
    return {"dimension_label": dimension_label, "today": local_today()}


POLICY = {
    "plans.assessment": CASE_STAFF,
    "plans.assess": WORKER,
    "plans.dimension_create": CASE_STAFF,
    "plans.show": CASE_STAFF,
    "plans.edit": WORKER,
    "plans.update": WORKER,
    "plans.versions": CASE_STAFF,
    "plans.version": CASE_STAFF,
}


# --- Assessment -----------------------------------------------------------------------------

def _assessment_page(citizen, *, failed=None, dimension_form=None, status=200):
    """The whole assessment page; `failed` is a (dimension_id, form) pair to show with its errors."""
    dimensions = db.session.scalars(queries.dimensions_for_team(citizen.team_id)).all()
    history = db.session.scalars(queries.assessment_history(citizen.id)).all()
    by_dimension = {}
    for row in history:  # newest first, so the first row per dimension is the latest
        by_dimension.setdefault(row.dimension_id, []).append(row)
    latest = {dim_id: rows[0] for dim_id, rows in by_dimension.items()}
    forms = {d.id: AssessmentForm(prefix=f"d{d.id}", formdata=None) for d in dimensions}
    if failed:
        forms[failed[0]] = failed[1]
    return render(
        "plans/assessment.html", status=status, citizen=citizen, dimensions=dimensions,
        latest=latest, history=by_dimension, uncovered=queries.uncovered_dimensions(dimensions, latest),
        forms=forms, dimension_form=dimension_form or DimensionForm(formdata=None, citizen_id=citizen.id),
        can_write=current_user.role == Role.WORKER,
    )


@bp.get(f"/citizens/<{ID}:citizen_id>/assessment")
def assessment(citizen_id):
    return _assessment_page(get_citizen_or_404(citizen_id))


@bp.post(f"/citizens/<{ID}:citizen_id>/assessment/<{ID}:dimension_id>")
def assess(citizen_id, dimension_id):
    citizen = get_citizen_or_404(citizen_id)
    dimension = db.session.scalar(queries.dimension_for_team(dimension_id, citizen.team_id))
    if dimension is None:
        return error_response(404)
    form = AssessmentForm(prefix=f"d{dimension.id}")
    if not form.validate():
        return _assessment_page(citizen, failed=(dimension.id, form), status=422)
    operations.record_assessment(citizen, dimension, current_user, assessed_on=form.assessed_on.data,
                                 citizen_words=form.citizen_words.data, worker_notes=form.worker_notes.data)
    flash(_("Vurderingen er gemt."))
    return redirect(url_for("plans.assessment", citizen_id=citizen.id, _anchor=f"dim-{dimension.id}"))


@bp.post("/dimensions")
def dimension_create():
    """A custom life dimension for the user's own team (the 8 of the manual stay as they are)."""
    form = DimensionForm()
    citizen, raw_id = None, (form.citizen_id.data or "").strip()
    if raw_id:  # the page the form came from: errors are shown there, success returns there
        if not (raw_id.isdigit() and int(raw_id) <= 2147483647):
            return error_response(404)
        citizen = get_citizen_or_404(int(raw_id), action="read")
    if current_user.team_id is None:
        form.name.errors = [*form.name.errors, _("Du er ikke knyttet til et team.")]
        valid = False
    else:
        valid = form.validate() and _dimension_name_is_free(form)
    if not valid:
        if citizen is not None:
            return _assessment_page(citizen, dimension_form=form, status=422)
        return render("plans/dimension_create.html", status=422, form=form)
    dimension = operations.create_dimension(current_user.team_id, form.name.data)
    flash(_("Livsområdet »%(name)s« er tilføjet for teamet.", name=dimension.name))
    if citizen is not None:
        return redirect(url_for("plans.assessment", citizen_id=citizen.id, _anchor=f"dim-{dimension.id}"))
    return render("plans/dimension_create.html", form=DimensionForm(formdata=None), created=dimension)


def _dimension_name_is_free(form) -> bool:
    taken = {dimension_label(d).casefold() for d in
             db.session.scalars(queries.dimensions_for_team(current_user.team_id))}
    if form.name.data.strip().casefold() in taken:
        form.name.errors.append(_("Teamet har allerede et livsområde med det navn."))
        return False
    return True


# --- Plan -----------------------------------------------------------------------------------

@bp.get(f"/citizens/<{ID}:citizen_id>/plan")
def show(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    plan = db.session.scalar(queries.latest_plan(citizen.id))
    return render("plans/show.html", citizen=citizen, plan=plan, can_write=current_user.role == Role.WORKER)


def _edit_page(citizen, form, *, status=200, new_row=None):
    form.set_dimensions(db.session.scalars(queries.dimensions_for_team(citizen.team_id)).all())
    if new_row is not None:  # focus the row just added (htmx honours autofocus after a swap)
        rows, index = new_row
        first = rows[index].form.dimension_id if rows is form.goals else rows[index].form.who
        first.render_kw = {"autofocus": True}
    return render("plans/edit.html", "plans/_plan_form.html", status=status, citizen=citizen, form=form,
                  max_rows=MAX_ROWS)


@bp.get(f"/citizens/<{ID}:citizen_id>/plan/edit")
def edit(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    return _edit_page(citizen, PlanForm.from_plan(db.session.scalar(queries.latest_plan(citizen.id))))


@bp.post(f"/citizens/<{ID}:citizen_id>/plan/edit")
def update(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    form = PlanForm()
    # "Add goal" / "add action" re-render the form with one more row (works without script).
    for button, rows in (("add_goal", form.goals), ("add_action", form.actions)):
        if button in request.form:
            if len(rows) < MAX_ROWS:
                rows.append_entry()
            return _edit_page(citizen, form, new_row=(rows, len(rows) - 1))
    form.set_dimensions(db.session.scalars(queries.dimensions_for_team(citizen.team_id)).all())
    if not form.validate():
        return _edit_page(citizen, form, status=422)
    latest = queries.latest_version_number(citizen.id)
    if int(form.base_version.data or 0) != latest:
        # Someone saved a newer version while this form was open: show it once, then allow.
        form.base_version.data = str(latest)
        flash(_("Planen er blevet gemt af en anden, mens du skrev (version %(n)d). "
                "Tjek indholdet, og gem igen.", n=latest), "warning")
        return _edit_page(citizen, form, status=409)
    try:
        plan = operations.save_plan_version(citizen, current_user, form.to_data())
    except operations.PlanConflict:
        return error_response(409, _("Planen blev gemt af en anden i samme øjeblik. Prøv igen."))
    if plan is None:
        flash(_("Intet er ændret, så der er ikke gemt en ny version."), "warning")
        return redirect(url_for("plans.show", citizen_id=citizen.id))
    flash(_("Planen er gemt som version %(n)d.", n=plan.version))
    return redirect(url_for("plans.version", citizen_id=citizen.id, number=plan.version))


@bp.get(f"/citizens/<{ID}:citizen_id>/plan/versions")
def versions(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    rows = db.session.execute(queries.plan_versions(citizen.id)).all()
    return render("plans/versions.html", citizen=citizen, rows=rows)


@bp.get(f"/citizens/<{ID}:citizen_id>/plan/versions/<{ID}:number>")
def version(citizen_id, number):
    citizen = get_citizen_or_404(citizen_id)
    plan = db.session.scalar(queries.plan_version(citizen.id, number))
    if plan is None:
        return error_response(404)
    previous = db.session.scalar(queries.plan_version(citizen.id, number - 1)) if number > 1 else None
    latest = queries.latest_version_number(citizen.id)
    return render("plans/version.html", citizen=citizen, plan=plan, previous=previous,
                  diff=plan_diff(previous, plan), latest=latest)
