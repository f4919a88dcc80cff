"""Routes for plans."""
from flask import Blueprint

bp = Blueprint("plans", __name__)

POLICY: dict = {}
