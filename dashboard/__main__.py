"""`python -m dashboard [--host 127.0.0.1] [--port 8050] [--db URL]`: serve the dashboard."""

from __future__ import annotations

import argparse
import logging

from dashboard.app import create_app


def main(argv: list[str] | None = None) -> None:
    """Parse the options and serve the app until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="街道履职评价看板 Street Duty Scorecard")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    parser.add_argument(
        "--db", default=None, help="SQLAlchemy URL of the store (default: STREETS_DB or data/streets.sqlite)"
    )
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (reloader and error pop-ups)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_app(args.db)
    print(f"街道履职评价看板: http://{args.host}:{args.port}/")
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
