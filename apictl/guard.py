"""How a CLI run ends on a user error, a signal or a failed write: one line on standard error and an exit
code, never a traceback. Shared by the typer app (apictl/cli.py) and the fast start-up path
(apictl/commands/fast.py), so both end the same way; free of typer and click."""
from __future__ import annotations

import sys
from typing import Callable

from .source.errors import InputError


def run_guarded(body: Callable[[], object]) -> None:
    """Run ``body`` (which ends by raising SystemExit, as a click app does) and turn apictl's errors into their
    one line and exit code (SystemExit)."""
    from . import interrupt

    for stream in (sys.stdout, sys.stderr):  # a name or text that the terminal's encoding cannot show is escaped
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError):
            pass
    interrupt.install()
    try:
        body()
    except InputError as exc:
        say(exc.one_line())
        sys.exit(2)
    except interrupt.Interrupted as exc:
        say(exc.one_line())
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        say("apictl: interrupted (SIGINT)")
        sys.exit(130)
    except OSError as exc:  # only writes fail so (every file goes through output.py): a message to a full stdout
        from .output import WRITE_ONLY_ERRORS, os_error_reason

        if exc.errno not in WRITE_ONLY_ERRORS:
            raise
        say(f"apictl: error: cannot write output: {os_error_reason(exc)}")
        sys.exit(2)


def say(line: str) -> None:
    """The last line of a failed run, on standard error; if even that cannot be written, the exit code still says it."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
