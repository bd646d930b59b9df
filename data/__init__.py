"""Synthetic sample data and the generators that write it."""
