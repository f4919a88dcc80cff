"""Retention: purging the access log after its period, anonymising ended courses, backups."""
