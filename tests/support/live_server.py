"""The live server the browser tests drive, answering one request at a time.

pytest-django's live server is Django's ``LiveServerThread``: a thread per request, and, on
an in-memory SQLite test database, one database connection shared by all of them. Two
requests at once on that connection (a page and its pictures) can freeze the whole test
process: a thread holding the GIL waits inside SQLite for the connection's mutex, which the
other holds while a query calls back into Python (Django's SQLite functions, such as the
year of a date) and waits for the GIL. Nothing then runs, not even a time-out; seen once,
as a CI run stopped at its hard limit in a browser test, and made here in 10 lines with
the sqlite3 module alone. So requests still arrive on threads (keep-alive and the
browser's idle sockets block nothing) but run one after the other, their bodies read
inside the turn: a streamed body reads the database too.

``server_class`` is the attribute Django's ``LiveServerThread`` offers for this.
"""

import logging
import threading

from django.core.servers.basehttp import ThreadedWSGIServer

logger = logging.getLogger(__name__)
TURN_WAIT = 120  # seconds; a request that waits longer runs anyway (and says so)


class OneRequestAtATime(ThreadedWSGIServer):
    def set_app(self, application):
        turn = threading.Lock()

        def in_turn(environ, start_response):
            if not turn.acquire(timeout=TURN_WAIT):
                logger.warning("live server: %s ran without its turn", environ.get("PATH_INFO"))
                return _answer(application, environ, start_response)
            try:
                return _answer(application, environ, start_response)
            finally:
                turn.release()

        super().set_app(in_turn)


def _answer(application, environ, start_response):
    response = application(environ, start_response)
    try:
        return list(response)
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()


def use_for_live_server():
    from django.test.testcases import LiveServerThread

    LiveServerThread.server_class = OneRequestAtATime
