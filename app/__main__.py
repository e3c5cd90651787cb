"""Entry point: `python -m app` opens the window; subcommands drive the same services."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from .cli import main as cli_main
    from .logging_setup import configure_logging

    configure_logging()
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())

