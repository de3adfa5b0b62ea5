"""Notices: kinds, schedules, templates, rendering, channels and the outbox."""
