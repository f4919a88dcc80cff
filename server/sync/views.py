"""Routes for sync."""
from flask import Blueprint

bp = Blueprint("sync", __name__)

POLICY: dict = {}
