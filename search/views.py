"""The learner-facing search page (``/<lang>/search/?q=``)."""

import logging
import re

from django.db import DatabaseError
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

from news import docnumbers
from news.models import PolicyPage
from pioneer.pagination import paginate
from pioneer.public import hidden_from_search, public_pages

logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 200
# Anything but letters, digits (any script) and the brackets of a document number is
# punctuation to a learner, but syntax to a search engine: it becomes a space.
_SYNTAX = re.compile(r"[^\w〔〕]+")


def clean_query(raw):
    text = "".join(ch for ch in (raw or "")[: MAX_QUERY_LENGTH * 4] if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    terms = " ".join(_SYNTAX.sub(" ", query).split())
    page_obj, failed = None, False
    # A document number in any of its typed forms finds that document first.
    canonical = docnumbers.normalise(query)
    numbered = list(public_pages(PolicyPage).filter(doc_number=canonical)) if canonical else []
    if terms:
        results = public_pages(Page, searchable=True).specific().search(terms)
        try:
            page_obj = paginate(request, results, 10)
            page_obj.object_list = [p for p in page_obj.object_list if not hidden_from_search(p)]
        except DatabaseError:
            logger.exception("search failed for %r", terms)
            failed = True
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "numbered": numbered,
            "failed": failed,
            "page_title": _("搜索"),
        },
    )
