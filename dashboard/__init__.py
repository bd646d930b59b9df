"""街道履职评价看板: the Dash app evaluation officers browse (pages read metrics, never score)."""
