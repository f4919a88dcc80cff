"""Routes for audit."""
from flask import Blueprint

bp = Blueprint("audit", __name__)

POLICY: dict = {}
