"""Accounts, roles, district scope, login sessions, CSRF and the audit log of the dashboard."""
