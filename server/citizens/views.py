"""Routes for citizens."""
from flask import Blueprint

bp = Blueprint("citizens", __name__)

POLICY: dict = {}
