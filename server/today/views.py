"""The worker's Today page."""
from flask import Blueprint

from server.htmx import render
from server.policy import WORKER

bp = Blueprint("today", __name__)

POLICY = {"today.index": WORKER}


@bp.get("/today")
def index():
    return render("today/index.html")
