"""Routes for appointments."""
from flask import Blueprint

bp = Blueprint("appointments", __name__)

POLICY: dict = {}
