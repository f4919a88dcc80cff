"""Routes for reminders."""
from flask import Blueprint

bp = Blueprint("reminders", __name__)

POLICY: dict = {}
