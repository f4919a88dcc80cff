"""The worker's Today page: what to do today, what is due, and who has not been reached."""
from flask import Blueprint, current_app
from flask_login import current_user

from server.access import visible_citizens_clause
from server.audit import operations as audit
from server.citizens.queries import not_reached
from server.db import utcnow
from server.extensions import db
from server.htmx import render
from server.policy import WORKER
from server.today import queries

bp = Blueprint("today", __name__)

POLICY = {"today.index": WORKER}


@bp.get("/today")
def index():
    now = utcnow()
    mine = visible_citizens_clause(current_user, now)
    days = current_app.config["NOT_REACHED_DAYS"]
    appointments = db.session.execute(queries.appointments_today(mine, now)).all()
    reminders = db.session.execute(queries.reminders_due(current_user.id, mine, now)).all()
    silent = db.session.execute(not_reached(mine, days, now)).all()
    audit.record("list", subject="today")
    return render("today/index.html", now=now, days=days, appointments=appointments,
                  reminders=reminders, silent=silent)
