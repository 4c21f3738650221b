"""Serving a built edition on this machine (`invoke serve`, `livereload`, `edit`): the port is checked before
anything is built, a port in use is one clear line naming another to try, and Ctrl-C or SIGTERM stops cleanly."""

from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable, Iterable
from pathlib import Path

from newsroom.kit.errors import NewsroomError, UsageError
from newsroom.kit.loopback import addressed_here
from newsroom.site.build import BuildFailed, build_edition

HOST = "localhost"
Print = Callable[[str], None]


class PortInUse(NewsroomError):
    """Another program holds the port; the message names one to try instead."""


def port_problem(port: int, host: str = HOST, error: OSError | None = None) -> NewsroomError:
    """The one clear line for a port another program holds (or one that is not a port)."""
    if not 0 < port < 65536:
        return UsageError(f"--port {port} is not a port (expected 1 to 65535)")
    reason = f" ({error.strerror})" if error is not None and error.strerror else ""
    return PortInUse(
        f"Cannot serve at http://{host}:{port}: the port is in use{reason}, perhaps by another "
        f"`invoke serve` or `invoke livereload`. Stop that one, or choose another port: --port {port + 1}"
    )


def check_port(port: int, host: str = HOST) -> None:
    """Fail before building when the port is taken: livereload's own error would be a traceback after it."""
    if not 0 < port < 65536:
        raise port_problem(port, host)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as error:
            raise port_problem(port, host, error) from None


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(root: Path, port: int, host: str = HOST, banner: str = "", out: Print = print) -> None:
    """Serve the folder `root` until Ctrl-C, or SIGTERM (a supervisor's stop request does what Ctrl-C does)."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    if not root.is_dir():
        # Without the folder every request would fail inside the server and the browser would get no answer.
        out(f"Nothing is built in {root.name}/ yet: run `invoke build` (or `invoke livereload`) to fill it.")
        root.mkdir(parents=True)

    class OnlyAddressedHere(ComplexHTTPRequestHandler):
        """Pelican's handler, for requests addressed to this machine alone (kit/loopback.py): `invoke serve
        --internal` and `invoke edit` serve employees-only and embargoed pages."""

        def send_head(self):
            if not addressed_here(self.headers.get("Host"), port):
                self.send_error(403, "Not addressed to this machine")
                return None
            return super().send_head()

    try:
        server = RootedHTTPServer(str(root), (host, port), OnlyAddressedHere)
    except OSError as error:
        raise port_problem(port, host, error) from None
    signal.signal(signal.SIGTERM, _interrupt)
    out(banner or f"Serving {root.name}/ at http://{host}:{port} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def serve_and_rebuild(
    settings: dict, watched: Iterable[Path], port: int, host: str = HOST, out: Print = print, complain: Print = print
) -> None:
    """Build, serve, and rebuild (reloading the browser) on every change to a `watched` path; while a rebuild
    fails, every page shows its error lines instead of the old site."""
    from livereload import Server
    from livereload.handlers import StaticFileHandler

    from newsroom.site.build_error_page import error_page

    check_port(port, host)
    failure = {"message": ""}  # the last build's error, "" after a good one

    class SiteOrBuildError(StaticFileHandler):
        async def get(self, path, include_body=True):
            if not addressed_here(self.request.host, port):  # kit/loopback.py: the edition may be internal
                self.set_status(403)
                self.finish("Not addressed to this machine")
                return
            is_page = path == "" or path.endswith(("/", ".html"))
            if failure["message"] and is_page:
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(error_page(failure["message"]))  # livereload adds its script: the fix reloads it
                return
            await super().get(path, include_body)

    def rebuild():
        try:
            out(build_edition(settings))
            failure["message"] = ""
        except BuildFailed as error:  # keep serving: show the problem and wait for the fix
            failure["message"] = f"Build failed: {error}"
            complain(failure["message"])

    rebuild()
    server = Server()
    server.SFH = SiteOrBuildError
    for pattern in watched:
        server.watch(str(pattern), rebuild)
    # livereload prints through its own handler; through Pelican's as well, every line would show twice.
    # And the server's loggers are not Pelican's: Pelican's logger class stops on any error it logs (--fatal
    # errors), which would make the server's own "500 GET /" (the error page) crash the request instead.
    for name in ("livereload", "tornado"):
        logging.getLogger(name).propagate = False
    for name in ("livereload", "tornado", "tornado.access", "tornado.application", "tornado.general"):
        logging.getLogger(name).__class__ = logging.Logger
    try:
        server.serve(host=host, port=port, root=settings["OUTPUT_PATH"], open_url_delay=None)
    except OSError as error:  # taken between the check and now
        raise port_problem(port, host, error) from None
