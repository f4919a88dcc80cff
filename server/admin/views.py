"""Routes for admin."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

POLICY: dict = {}
