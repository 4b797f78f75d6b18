"""The benchmarks' query count header (``PIONEER_QUERY_HEADER=1``): counted right, and
absent unless asked for."""

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from pioneer.http.query_count import HEADER, QueryCountHeaderMiddleware

pytestmark = pytest.mark.django_db

MIDDLEWARE = "pioneer.http.query_count.QueryCountHeaderMiddleware"


def test_header_counts_each_statement_the_request_sends():
    def view(request):
        with connection.cursor() as cursor:
            for _ in range(3):
                cursor.execute("SELECT 1")
        return HttpResponse("ok")

    response = QueryCountHeaderMiddleware(view)(RequestFactory().get("/"))
    assert response[HEADER] == "3"


def test_queries_outside_the_request_are_not_counted():
    middleware = QueryCountHeaderMiddleware(lambda request: HttpResponse("ok"))
    response = middleware(RequestFactory().get("/"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")  # after the answer: the wrapper is gone
    assert response[HEADER] == "0"
    assert not connection.execute_wrappers


def test_not_in_the_middleware_unless_asked_for():
    assert MIDDLEWARE not in settings.MIDDLEWARE


def test_a_page_through_the_whole_stack_says_its_queries(client):
    with override_settings(MIDDLEWARE=[MIDDLEWARE, *settings.MIDDLEWARE]):
        response = client.get("/zh-hans/", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert int(response[HEADER]) > 0
