"""The docs name only what the tree holds, and the README's map names every package.

A newcomer follows the paths the README and its companions name; a file moved or renamed
without its docs sends them nowhere. Here every repository path those docs name must
exist, and the README's map must name every package folder under ``site/`` and every
first-party package, so that the map cannot drift from the tree.

What counts as a path: a word in backticks (a whole span, or one word of a command in
one) made of ``A-Z a-z 0-9 _ . - /`` that contains a ``/`` or ends in a file extension the
project uses, and every relative Markdown link. Not paths: URLs (``://``), URL paths and
a server's absolute paths (a leading ``/``), placeholders (``<id>``, ``…``, ``FILE.jsonl``),
options, and what the site makes at run time in the folders ``.gitignore`` keeps out of
the repository (``var/``, ``media/``, ``.venv/``, …). A path resolves from the repository's
root or from the folder of the document naming it (``deploy/README.md`` says
``local/web``); a link resolves from the document's folder only, as GitHub reads it.

No database, no Django: the files are read as text (the test asks for no ``db`` fixture,
so pytest-django refuses it any query).
"""

import re
from pathlib import Path

import pytest


def _root():
    here = Path(__file__).resolve().parent
    while not (here / "pyproject.toml").exists():
        here = here.parent
    return here


ROOT = _root()
DOCS = ["README.md", "DESIGN.md", "deploy/README.md", "bench/README.md", "tests/README.md"]
EXTENSIONS = {
    "py", "md", "toml", "json", "jsonl", "txt", "html", "conf", "yml", "yaml", "po",
    "css", "js", "svg", "cfg", "ini", "sh", "csv",
}  # fmt: skip
PATH_WORD = re.compile(r"[A-Za-z0-9_.\-/]+")
FENCE = re.compile(r"^```.*?^```[ \t]*$", re.M | re.S)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def docs():
    return [ROOT / name for name in DOCS if (ROOT / name).exists()]


def ignored_folders():
    """Top-level folders .gitignore keeps out of the repository (made at run time)."""
    folders = set()
    for line in (ROOT / ".gitignore").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "!")):
            name = line.strip("/").removesuffix("/*")
            if name and "/" not in name and "*" not in name:
                folders.add(name)
    return folders


def is_path(word):
    if not PATH_WORD.fullmatch(word) or not re.match(r"[A-Za-z._]", word) or "//" in word:
        return False
    name = word.rstrip("/").rsplit("/", 1)[-1]
    stem, _dot, extension = name.rpartition(".")
    if stem.isupper():  # FILE.jsonl, DIR: a placeholder for the reader's own
        return False
    return "/" in word or (bool(stem) and extension in EXTENSIONS)


def named_paths(text):
    """Every word of the text, outside fenced blocks, that is a path (see the docstring)."""
    text = FENCE.sub("", text)
    found = []
    for span in re.findall(r"`([^`\n]+)`", text):
        found += [word for word in span.split() if is_path(word)]
    return found


def relative_links(text):
    links = []
    for target in LINK.findall(FENCE.sub("", text)):
        if "://" in target or target.startswith(("#", "mailto:")):
            continue
        links.append(target.split("#", 1)[0])
    return [link for link in links if link]


def resolves(path, *folders):
    relative = path.removeprefix("./")
    for folder in folders:
        candidate = (folder / relative).resolve()
        if candidate.is_relative_to(ROOT) and candidate.exists():
            return True
    return False


def missing_paths(doc):
    text = doc.read_text(encoding="utf-8")
    ignored = ignored_folders()
    missing = []
    for path in named_paths(text):
        if path.removeprefix("./").split("/", 1)[0] in ignored:
            continue
        if not resolves(path, ROOT, doc.parent):
            missing.append(path)
    missing += [link for link in relative_links(text) if not resolves(link, doc.parent)]
    return missing


@pytest.mark.parametrize("name", [doc.relative_to(ROOT).as_posix() for doc in docs()])
def test_every_path_the_docs_name_exists(name):
    assert missing_paths(ROOT / name) == []


def test_the_docs_name_paths_at_all():
    """The reading above finds the paths the README names (a rule that matched nothing
    would pass every doc)."""
    named = named_paths((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {"site/compat.py", "search/service.py", "deploy/nginx/pioneer.conf"} <= set(named)
    links = relative_links((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {"deploy/README.md", "bench/README.md"} <= set(links)


def test_a_path_that_does_not_exist_is_reported(tmp_path):
    doc = tmp_path / "README.md"
    doc.write_text(
        "See `site/nowhere.py`, `deploy/local/postgres start` and [the guide](nowhere.md); "
        "not `/api/search/`, `https://example.org/a/b.py`, `FILE.jsonl`, `/srv/pioneer`, "
        "`var/db.sqlite3` or `/feeds/<locale>/rss.xml`.\n```sh\nmissing/in/a/block.py\n```\n",
        encoding="utf-8",
    )
    assert missing_paths(doc) == ["site/nowhere.py", "nowhere.md"]


def the_map():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## The map")
    following = re.search(r"^## ", text[start + 1 :], re.M)
    return text[start : start + 1 + following.start()] if following else text[start:]


def test_the_map_names_every_package_folder_under_site():
    packages = sorted(
        folder.name
        for folder in (ROOT / "site").iterdir()
        if folder.is_dir() and (folder / "__init__.py").exists()
    )
    assert packages  # the tree is where the test thinks it is
    the_map_ = the_map()
    assert [name for name in packages if f"`site/{name}/`" not in the_map_] == []


def test_the_map_names_every_first_party_package():
    """The folders pyproject.toml installs as packages (``pioneer`` is ``site/``)."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    package_dir = re.search(r"package-dir = \{(.*)\}", pyproject)[1]
    folders = re.findall(r'"[a-z_]+" = "([a-z_]+)"', package_dir)
    assert "site" in folders
    the_map_ = the_map()
    assert [name for name in folders if f"`{name}/`" not in the_map_] == []
