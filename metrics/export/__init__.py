"""Scorecards in Excel (placeholder docstring, filled in below)."""
