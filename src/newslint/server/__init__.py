"""`newslint server`: a language server over standard input and output.

It needs pygls (``pip install 'newslint[server]'``); everything else of
newslint works without it. See :mod:`newslint.server.protocol` for what it
offers and :mod:`newslint.server.analysis` for how it lints a buffer.
"""

from __future__ import annotations

import logging
import sys

from ..exitcodes import EXIT_USAGE

MISSING = ("newslint: the language server needs pygls 2 (and lsprotocol), which are not installed: "
           "install newslint[server] (pip install 'newslint[server]')\n")


def serve() -> int:
    """Run the server until the editor stops it; the exit status (2 without pygls)."""
    try:
        import lsprotocol.types  # noqa: F401
        from pygls.lsp.server import LanguageServer  # noqa: F401
    except ImportError:
        sys.stderr.write(MISSING)
        return EXIT_USAGE
    from .protocol import build_server

    # Standard output carries the protocol and nothing else: what is logged,
    # and what a plugin rule might print, goes to standard error.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_one_line)
    protocol_out = sys.stdout.buffer
    saved, sys.stdout = sys.stdout, sys.stderr
    try:
        build_server().start_io(sys.stdin.buffer, protocol_out)
    finally:
        sys.stdout = saved
    return 0


def _one_line(record: logging.LogRecord) -> bool:
    """pygls logs a message it cannot read (bad JSON, wrong params) with a
    traceback: bad input from the editor gets one line saying what was wrong."""
    if not record.name.startswith("pygls"):
        return True
    message = record.getMessage()
    if "\n" in message and "Traceback" in message:  # a traceback pasted into the message
        record.msg, record.args = message.split("\n", 1)[0], None
    if record.exc_info:
        exc = record.exc_info[1]
        cause = exc.__cause__ if exc is not None and exc.__cause__ is not None else exc
        record.msg = f"{record.getMessage()}: {type(cause).__name__}: {cause}"
        record.args = None
        record.exc_info = None
        record.exc_text = None
    return True
