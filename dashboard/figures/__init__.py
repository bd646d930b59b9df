"""Figure builders: plain functions from filtered frames to Plotly figures (no data access)."""
