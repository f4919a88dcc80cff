"""Routes for portal."""
from flask import Blueprint

bp = Blueprint("portal", __name__)

POLICY: dict = {}
