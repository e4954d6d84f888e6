"""Entry point. ``--version`` answers before any heavy import so that it stays instant, and plain
`apictl validate` arguments run without typer and click (apictl/commands/fast.py).

A command is one short process: its bulk (parsed specs, hundreds of thousands of dicts and lists)
lives until the end, so two things the interpreter does for long-lived programs only cost time here:
* the cyclic garbage collector would re-scan that bulk again and again (0.2-0.4 s of a Stripe diff or
  validate); reference counting still frees everything else as soon as it is unused (peak RSS
  measured unchanged for validate, diff, plan and export on the Stripe specs);
* tearing the heap down object by object at exit (~0.2 s after a Stripe diff): once the output is
  flushed, the process ends at once, as mypy does. apictl registers no atexit handlers and closes
  every file it writes before returning.
"""
from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"apictl {__version__}\n")
        return
    gc.disable()
    from . import interrupt

    interrupt.install()  # before the imports: a Ctrl-C while they run is one line too, never a traceback
    try:
        from .commands import fast

        fast.run(sys.argv[1:])  # `validate` without importing typer and click; returns if it is not for it
        from .cli import run

        run()
    except SystemExit as exc:
        code = exc.code
    except interrupt.Interrupted as exc:
        sys.stderr.write(exc.one_line() + "\n")
        code = exc.exit_code
    else:
        code = 0
    if code is None or isinstance(code, int):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # e.g. a closed pipe: let the interpreter report it as usual
            pass
        else:
            os._exit(code or 0)
    sys.exit(code)


if __name__ == "__main__":
    main()
