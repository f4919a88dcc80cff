"""Routes for housing: the timeline of situations, the housing plan and its move-in checklist."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from server.access import get_citizen_or_404
from server.auth.models import Role
from server.extensions import db
from server.housing import labels, operations, queries
from server.housing.forms import HousingEventForm, HousingPlanForm
from server.housing.models import HOUSED
from server.htmx import render
from server.localtime import local_today
from server.policy import CASE_STAFF, WORKER

bp = Blueprint("housing", __name__)
# Ids above PostgreSQL's integer range would fail in the database (503); they are just 404.
ID = "int(max=2147483647)"

POLICY = {
    "housing.show": CASE_STAFF,
    "housing.event_create": WORKER,
    "housing.plan_update": WORKER,
}


@bp.context_processor
def template_helpers():
    return {"situation_label": labels.situation_label, "badge_class": labels.badge_class,
            "checklist": [(name, labels.CHECKLIST_LABELS[name]) for name in labels.CHECKLIST],
            "HOUSED": HOUSED, "today": local_today()}


def _page(citizen, *, event_form=None, plan_form=None, status=200):
    events = db.session.scalars(queries.timeline(citizen.id)).all()
    plan = db.session.scalar(queries.housing_plan(citizen.id))
    current = events[0] if events else None
    return render(
        "housing/show.html", status=status, citizen=citizen, events=events, current=current, plan=plan,
        event_form=event_form or HousingEventForm(formdata=None),
        plan_form=plan_form or HousingPlanForm(formdata=None, obj=plan),
        can_write=current_user.role == Role.WORKER,
        # Housed again while the move-in switch is on: suggest ending the phase, never switch it off.
        suggest_end_moving_in=bool(plan and plan.moving_in and current and current.housed),
    )


@bp.get(f"/citizens/<{ID}:citizen_id>/housing")
def show(citizen_id):
    return _page(get_citizen_or_404(citizen_id))


@bp.post(f"/citizens/<{ID}:citizen_id>/housing/events")
def event_create(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    form = HousingEventForm()
    if not form.validate():
        return _page(citizen, event_form=form, status=422)
    event = operations.record_event(citizen, current_user, situation=form.situation.data,
                                    starts_on=form.starts_on.data, evicted=form.evicted.data,
                                    address=form.address.data, note=form.note.data)
    flash(_("Boligsituationen er gemt: %(label)s.", label=labels.situation_label(event.situation)))
    return redirect(url_for("housing.show", citizen_id=citizen.id))


@bp.post(f"/citizens/<{ID}:citizen_id>/housing/plan")
def plan_update(citizen_id):
    citizen = get_citizen_or_404(citizen_id)
    form = HousingPlanForm()
    if not form.validate():
        return _page(citizen, plan_form=form, status=422)
    operations.update_housing_plan(citizen, form.data)
    flash(_("Boligplanen er gemt."))
    return redirect(url_for("housing.show", citizen_id=citizen.id, _anchor="housing-plan"))
