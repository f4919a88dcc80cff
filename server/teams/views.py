"""Routes for teams."""
from flask import Blueprint

bp = Blueprint("teams", __name__)

POLICY: dict = {}
