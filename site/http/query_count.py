"""The SQL queries a request made, as a response header, for benchmarks only.

``bench/scale.py`` measures a gunicorn started with ``PIONEER_QUERY_HEADER=1``: the
settings list this middleware only then, so production never pays for the wrapper.
"""

from contextlib import ExitStack

from django.db import connections

HEADER = "X-Pioneer-Queries"


class QueryCountHeaderMiddleware:
    """Counts every statement sent on any database connection while the request runs
    (the middleware after this one and the view included) and answers it in ``HEADER``;
    a streamed body's later queries are not seen. First in the list, so the content
    generation's read and the kept answers count too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counted))
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
