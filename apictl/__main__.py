"""Entry point. ``--version`` answers before any heavy import so that it stays instant."""
from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"apictl {__version__}\n")
        return
    from .cli import run

    run()


if __name__ == "__main__":
    main()
