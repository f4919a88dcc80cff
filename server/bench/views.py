"""The benchmark floor: the cheapest real page the app can serve.

It goes through the same machinery as every page (session cookie, server-side LoginSession
lookup, role policy, security headers, the per-request commit) and then reads exactly one row by
primary key and renders a tiny template. benchmarks/run.py reports every page's p95 as a ratio to
this route's p95 measured in the same run (PERFORMANCE.md, "Floor").
"""
from flask import Blueprint, render_template
from flask_login import current_user

from server.extensions import db
from server.policy import ANYONE_LOGGED_IN
from server.teams.models import Team

bp = Blueprint("bench", __name__)

POLICY = {"bench.floor": ANYONE_LOGGED_IN}


@bp.get("/bench/floor")
def floor():
    team = db.session.get(Team, current_user.team_id) if current_user.team_id else None
    return render_template("bench/floor.html", team=team)
