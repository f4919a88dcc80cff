"""Routes for contacts."""
from flask import Blueprint

bp = Blueprint("contacts", __name__)

POLICY: dict = {}
