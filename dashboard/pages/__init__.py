"""One module per page: register_page, layout, then register_callbacks(app)."""
