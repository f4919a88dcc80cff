"""Routes for housing."""
from flask import Blueprint

bp = Blueprint("housing", __name__)

POLICY: dict = {}
