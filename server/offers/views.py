"""Routes for offers."""
from flask import Blueprint

bp = Blueprint("offers", __name__)

POLICY: dict = {}
