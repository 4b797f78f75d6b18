"""Reading the sitemap as a crawler does: the index, then every file it lists."""

import re
from urllib.parse import urlsplit

LOC = re.compile(r"<loc>([^<]+)</loc>")


def files(client):
    """The addresses (path and query) of the files the index ``/sitemap.xml`` lists."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    found = []
    for url in LOC.findall(response.content.decode()):
        parts = urlsplit(url.replace("&amp;", "&"))
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def read(client):
    """{file address: its XML} of every file the index lists."""
    texts = {}
    for address in files(client):
        response = client.get(address)
        assert response.status_code == 200, address
        texts[address] = response.content.decode()
    return texts


def text(client):
    """Every file's XML, one after another."""
    return "\n".join(read(client).values())
