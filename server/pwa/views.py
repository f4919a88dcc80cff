"""Routes for pwa."""
from flask import Blueprint

bp = Blueprint("pwa", __name__)

POLICY: dict = {}
