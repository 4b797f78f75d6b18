"""The demo (``manage.py load_demo``): content kept as data in ``site/data/demo/`` and
loaded through the paths users take, the importer (``pioneer.content_io``) for the
records and wagtail-localize's PO import for the English; a feature on top of the
content apps, imported by nothing below it."""
