"""Mentoring sessions: the session dialog, the Sessions tab and agenda templates."""
