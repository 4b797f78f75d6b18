"""``deploy/README.md``'s "From an empty server to the live site", run as written: every
``sh`` block of that section, in order, on the production shape (``deploy/local/stack``:
PostgreSQL, Redis, OpenSearch, the S3 object store, the task worker, gunicorn behind
nginx) with an empty database, so that the guide cannot drift from the code. The commands
are read from the guide itself: editing it changes what runs here.

Fences say what a block is: ``sh`` is run (each command must succeed), ``sh session`` is
the shell set-up every later command starts with (folder, environment), ``sh server``
is shown but not run (packages, system users, systemd, nginx's own configuration, TLS;
the test prints each one it skips), and ``jsonl NAME`` is a file the guide's commands
read (the central library's sample). Paths of a real server map to the checkout and to
temporary folders (``SERVER_PATHS``); ``/etc/pioneer/env`` is ``deploy/env.example``
with the stack's addresses put in, so the example's own format is sourced too.

The run needs FULL_STACK=1 (CI's production-shape phase; the stack costs minutes to
start) and is skipped, saying so, without it; the check of the guide's fences is not.
"""

import email
import email.policy
import fcntl
import json
import os
import re
import secrets
import select
import subprocess
import tempfile
import termios
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.support.live_site import live_site

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "deploy" / "README.md"
SECTION = "## From an empty server to the live site"

pytestmark = pytest.mark.fullstack

# --- the guide ---------------------------------------------------------------------------


def guide_blocks():
    """(kind, argument, text) of each fenced block in the guide's section, in order."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    following = re.search(r"^## ", section[len(SECTION) :], re.M)
    if following:
        section = section[: len(SECTION) + following.start()]
    blocks = []
    for info, body in re.findall(r"^```([^\n]*)\n(.*?)^```[ \t]*$", section, re.M | re.S):
        words = info.split()
        language, kind = (words + [""])[0], (words[1:] + [""])[0]
        blocks.append((language, kind, body))
    return blocks


def commands(body):
    """The commands of a shell block: one a line, ``\\``-continued lines joined."""
    found, current = [], ""
    for line in body.splitlines():
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip() and not current.strip().startswith("#"):
            found.append(current.strip())
        current = ""
    return found


def test_the_guide_marks_every_block():
    """Runs without the stack too: a block the test would not know what to do with."""
    for language, kind, body in guide_blocks():
        assert (language, kind) in {("sh", ""), ("sh", "session"), ("sh", "server")} or (
            language == "jsonl" and kind
        ), (language, kind, body[:80])


def test_the_environment_file_reads_in_the_shell_as_systemd_reads_it(tmp_path):
    """cron and ``deploy/backup`` source ``/etc/pioneer/env`` with the shell, systemd reads
    it as an ``EnvironmentFile``: ``env.example``'s values mean the same to both (a bare
    ``时代先锋网 <noreply@…>`` was a shell syntax error, so every backup failed)."""
    env_file(tmp_path / "env", {})
    session = next(body for language, kind, body in guide_blocks() if kind == "session")
    script = session.replace("/srv/pioneer", str(ROOT)).replace(
        "/etc/pioneer/env", str(tmp_path / "env")
    )
    shown = subprocess.run(
        ["sh", "-ec", script + "\nenv"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8"},
    )
    assert shown.returncode == 0, shown.stderr
    read = dict(line.split("=", 1) for line in shown.stdout.splitlines() if "=" in line)
    assert read["DEFAULT_FROM_EMAIL"] == "时代先锋网 <noreply@example.gov.cn>"
    assert read["SITE_URL"] == "https://www.example.gov.cn"


def test_mail_goes_through_the_relay_the_environment_names():
    settings = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="pioneer.settings",
            EMAIL_HOST="smtp.example.gov.cn",
            EMAIL_PORT="587",
            EMAIL_HOST_USER="noreply@example.gov.cn",
            EMAIL_USE_TLS="true",
        ),
    )
    assert settings.stdout.split() == [
        "smtp.example.gov.cn",
        "587",
        "noreply@example.gov.cn",
        "True",
    ], settings.stderr  # noqa: E501


# --- running a command as the operator would -------------------------------------------


def run_in_terminal(script, env, password, timeout=600):
    """``bash`` running ``script`` on a terminal of its own (a pty: ``createsuperuser``
    asks for its password there); answers password prompts; (exit code, output)."""
    master, slave = os.openpty()

    def own_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        preexec_fn=own_terminal,
    )
    os.close(slave)
    output, answered, deadline = b"", 0, time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's last writer has gone
                break
            if not chunk:
                break
            output += chunk
            if len(output) > answered and re.search(rb"Password( \(again\))?: $", output):
                os.write(master, password.encode() + b"\n")
                answered = len(output)
        else:
            process.kill()
            raise AssertionError(f"timed out after {timeout} s: {script[-200:]}")
    finally:
        os.close(master)
    code = process.wait(timeout=60)
    return code, output.decode("utf-8", errors="replace").replace("\r\n", "\n")


def env_file(path, values):
    """``deploy/env.example`` with ``values`` in place of its own (and those it lacks
    added): the file an operator writes from it."""
    lines, done = [], set()
    for line in (ROOT / "deploy" / "env.example").read_text(encoding="utf-8").splitlines():
        name = line.split("=", 1)[0]
        if not line.startswith("#") and "=" in line and name in values:
            line = f"{name}={values[name]}"
            done.add(name)
        lines.append(line)
    lines += [f"{name}={value}" for name, value in values.items() if name not in done]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_video(path, seconds=4):
    """A real MP4 (H.264 + AAC), as the library's lessons come: PyAV, as the demo makes."""
    import av
    from PIL import Image

    with av.open(str(path), mode="w", format="mp4", options={"movflags": "+faststart"}) as out:
        video = out.add_stream("libx264", rate=10)
        video.width, video.height, video.pix_fmt = 160, 96, "yuv420p"
        audio = out.add_stream("aac", rate=22050)
        audio.layout = "mono"
        for index in range(seconds * 10):
            picture = Image.new("RGB", (160, 96), ((40 + index * 5) % 255, 125, 50))
            for packet in video.encode(av.VideoFrame.from_image(picture)):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        step = audio.codec_context.frame_size or 1024
        for index in range(seconds * 22050 // step):
            frame = av.AudioFrame(format="s16", layout="mono", samples=step)
            frame.planes[0].update(bytes(2 * step))  # silence
            frame.sample_rate, frame.pts = 22050, index * step
            for packet in audio.encode(frame):
                out.mux(packet)
        for packet in audio.encode():
            out.mux(packet)


def make_image(path):
    from PIL import Image

    Image.new("RGB", (640, 360), (46, 125, 50)).save(path, "JPEG", quality=80)


# --- HTTP through nginx -------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http(url, headers=None):
    """(status, headers, body) without following redirects."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        response = _opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read()


def absolute_links(body):
    """The absolute addresses a page, feed, sitemap or API answer gives out."""
    text = body.decode("utf-8", errors="replace")
    found = re.findall(r'(?:href|src|action|content)="(https?://[^"]+)"', text)
    found += re.findall(r"<(?:loc|link|guid|id)>(https?://[^<]+)</", text)
    found += re.findall(r'"(?:url|html_url|href|detail_url|link)": ?"(https?://[^"]+)"', text)
    return found


# --- the run ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def operated():
    """The stack up with empty, fresh state of its own, then the guide run on it."""
    if os.environ.get("FULL_STACK") != "1":
        pytest.skip("runs the operator guide on the whole production shape: FULL_STACK=1")
    run = secrets.token_hex(3)
    fresh = {
        "POSTGRES_DB": f"guide_{run}",
        "OBJECTSTORE_BUCKET": f"guide-{run}",
        "SEARCH_INDEX_PREFIX": f"guide_{run}_",
    }
    started = time.monotonic()
    with live_site(fresh) as site, tempfile.TemporaryDirectory(prefix="operator-") as tmp:
        up = time.monotonic() - started
        stack, tmp = site["env"], Path(tmp)
        import redis

        redis.Redis.from_url(stack["CACHE_URL"]).flushdb()  # a pure cache: other runs' pages

        server_paths = {
            "/srv/pioneer": str(ROOT),
            "/etc/pioneer/env": str(tmp / "env"),
            "/srv/import": str(tmp / "import"),
            "/var/backups/pioneer": str(tmp / "backups"),
        }
        (tmp / "import").mkdir()
        (tmp / "backups").mkdir()
        web_home = Path(stack["WEB_HOME"])
        values = {
            name: stack[name]
            for name in (
                "DATABASE_URL", "CACHE_URL", "SEARCH_URL", "MEDIA_STORAGE", "S3_ENDPOINT_URL",
                "AWS_S3_REGION_NAME", "AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY", "SITE_URL", "TASKS_BACKEND", "FRONTEND_CACHE_PURGE_URL",
                "SEARCH_INDEX_PREFIX",
            )
        }  # fmt: skip
        values.update(
            # The key the stack's gunicorn has: invitations' links are signed with it.
            SECRET_KEY=(web_home / "secret_key").read_text().strip(),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            CSRF_TRUSTED_ORIGINS=stack["SITE_URL"],
            STATIC_ROOT=str(web_home / "static"),  # what the stack's nginx serves
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(tmp / "mail"),
        )
        env_file(tmp / "env", values)
        terminal = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "TERM": "dumb",
            "DJANGO_COLORS": "nocolor",
        }

        def on_server(text):
            for path, here in server_paths.items():
                text = text.replace(path, here)
            return text

        session, ran, skipped, files = "", [], [], {}
        password = "Guide-" + secrets.token_urlsafe(12)
        for language, kind, body in guide_blocks():
            if language == "jsonl":
                files[kind] = body
                (tmp / "import" / kind).write_text(body, encoding="utf-8")
                for record in map(json.loads, body.splitlines()):
                    for name in [record.get("image"), *record.get("attachments", [])]:
                        if name and not (tmp / "import" / name).exists():
                            maker = make_video if name.endswith(".mp4") else make_image
                            maker(tmp / "import" / name)
            elif kind == "server":
                skipped += commands(body)
            elif kind == "session":
                session += on_server(body)
            else:
                for command in commands(body):
                    began = time.monotonic()
                    code, output = run_in_terminal(
                        session + "\n" + on_server(command), terminal, password
                    )
                    seconds = time.monotonic() - began
                    print(f"[{seconds:5.1f} s] {command}")
                    assert code == 0, f"{command}\nexit {code}\n{output[-3000:]}"
                    ran.append({"command": command, "output": output, "seconds": seconds})
        print(f"stack up in {up:.0f} s; guide: {len(ran)} commands in "
              f"{sum(r['seconds'] for r in ran):.0f} s")  # fmt: skip
        print("not run (real server only):\n  " + "\n  ".join(skipped))
        yield {
            "base": site["base"],
            "stack": stack,
            "ran": ran,
            "skipped": skipped,
            "files": files,
            "tmp": tmp,
            "password": password,
        }


def outputs(operated, pattern):
    return [r["output"] for r in operated["ran"] if re.search(pattern, r["command"])]


def test_the_guide_builds_the_site_and_setup_site_twice_changes_nothing(operated):
    assert outputs(operated, r"manage\.py migrate\b"), "the guide must migrate"
    first, *again = outputs(operated, r"manage\.py setup_site\b")
    assert "地区：102 个" in first and operated["stack"]["SITE_URL"] in first, first
    assert again and "新增地区 0 个、页面 0 个" in again[0], again
    assert outputs(operated, r"manage\.py check --deploy"), "the guide must check the deployment"


def test_the_offices_accounts_get_invitations_that_work_through_nginx(operated):
    invited = outputs(operated, r"manage\.py invite_user\b")
    assert invited and all("邀请已发送" in output for output in invited), invited
    mails = sorted((operated["tmp"] / "mail").glob("*.log"))
    assert len(mails) == len(invited)
    site_url = operated["stack"]["SITE_URL"]
    for mail in mails:
        # The body (the Message-ID header names this machine, whatever its name is).
        message = email.message_from_bytes(mail.read_bytes(), policy=email.policy.default)
        text = message.get_content()
        assert "localhost" not in text and "先锋网" in message["Subject"], text
        link = re.search(re.escape(site_url) + r"/\S+", text)
        assert link, text
        status, headers, _ = http(operated["base"] + link.group(0)[len(site_url) :])
        # Django's password reset: the token is swapped for a session, then the form.
        assert status == 302 and "set-password" in headers["Location"], (status, link.group(0))
    created = outputs(operated, r"manage\.py createsuperuser\b")
    assert created and "Superuser created successfully" in created[0], created


def test_every_record_of_the_library_is_imported_published_and_found(operated):
    records = [
        json.loads(line) for body in operated["files"].values() for line in body.split("\n") if line
    ]  # noqa: E501
    (imported,) = outputs(operated, r"manage\.py import_content\b")
    assert f"新建 {len(records)}，" in imported and "跳过 0" in imported, imported
    base, site_url = operated["base"], operated["stack"]["SITE_URL"]
    found = {}
    for kind in ("lessons.LessonPage", "news.NewsPage", "news.PolicyPage"):
        query = urllib.parse.urlencode({"type": kind, "fields": "source_id", "limit": 50})
        status, _, body = http(f"{base}/api/v2/pages/?{query}")
        assert status == 200, body[:500]
        for item in json.loads(body)["items"]:
            found[item["source_id"]] = item["meta"]["html_url"]
    assert set(found) == {record["id"] for record in records}
    for record in records:
        url = found[record["id"]]
        assert url.startswith(site_url + "/"), url
        status, _, body = http(base + url[len(site_url) :])
        assert status == 200 and record["title"] in body.decode(), (url, status)
    lesson = next(r for r in records if r["type"] == "lesson")
    query = urllib.parse.quote(lesson["title"])
    deadline, body = time.monotonic() + 60, b""
    while time.monotonic() < deadline:  # the worker indexes the import's pages
        _, _, body = http(f"{base}/api/search/?q={query}")
        if lesson["title"] in body.decode():
            break
        time.sleep(2)
    assert lesson["title"] in body.decode(), body[:500]


def test_the_site_through_nginx_names_only_its_own_address(operated):
    """A crawl through nginx: pages, sitemap, feeds, both APIs, the widget and its
    builder, robots.txt; every absolute link names SITE_URL (media: the object store)."""
    base, site_url = operated["base"], operated["stack"]["SITE_URL"]
    media = operated["stack"]["S3_ENDPOINT_URL"]

    def answer(path):
        status, headers, body = http(base + path)
        while status in (301, 302):  # e.g. to the visitor's language: named as SITE_URL
            location = headers["Location"]
            assert location.startswith("/") or location.startswith(site_url + "/"), location
            path = location.removeprefix(site_url)
            status, headers, body = http(base + path)
        assert status == 200, (path, status)
        return body

    _, _, api = http(f"{base}/api/v2/pages/?type=lessons.LessonPage&limit=5")
    pages = ["/", "/sitemap.xml", "/robots.txt", "/feeds/zh-hans/lessons/rss.xml"]
    pages += ["/api/search/?q=%E6%9F%91", "/api/v2/pages/?type=lessons.LessonPage&limit=5"]
    pages += ["/embed/lessons/?region=quzhou", "/zh-hans/embed/", "/zh-hans/partners/"]
    pages += ["/zh-hans/search/?q=%E6%9F%91%E6%A9%98", "/en/", "/feeds/en/lessons/rss.xml"]
    pages += [item["meta"]["html_url"][len(site_url) :] for item in json.loads(api)["items"]]
    pages += sorted(set(re.findall(r'href="(/[^"#?]*/)"', answer("/").decode())))[:30]
    began, checked = time.monotonic(), 0
    for path in dict.fromkeys(pages):
        body = answer(path)
        assert b"localhost" not in body, path
        for link in absolute_links(body):
            assert link.startswith((site_url + "/", media + "/")) or link == site_url, (path, link)
            checked += 1
    print(f"crawled {len(set(pages))} addresses, {checked} absolute links, "
          f"in {time.monotonic() - began:.1f} s")  # fmt: skip
    assert len(set(pages)) > 20 and checked > len(set(pages))


def test_a_lessons_video_answers_a_range_request_through_nginx(operated):
    base = operated["base"]
    lesson = next(
        json.loads(line)
        for body in operated["files"].values()
        for line in body.split("\n")
        if line and any(a.endswith(".mp4") for a in json.loads(line).get("attachments", []))
    )
    name = next(a for a in lesson["attachments"] if a.endswith(".mp4"))
    video = (operated["tmp"] / "import" / name).read_bytes()
    query = urllib.parse.urlencode({"type": "lessons.LessonPage", "fields": "source_id"})
    items = json.loads(http(f"{base}/api/v2/pages/?{query}")[2])["items"]
    url = next(i["meta"]["html_url"] for i in items if i["source_id"] == lesson["id"])
    page = http(base + urllib.parse.urlparse(url).path)[2].decode()
    assert "<video controls" in page, "the lesson plays its video"
    link = re.search(r'src="(/documents/\d+/[^"]+\.mp4)"', page)
    assert link, "the lesson's player names its video"
    target, hops = base + link.group(1), 0
    while True:  # the site's checks, then the bytes (signed object-store URL, or nginx)
        status, headers, body = http(target, {"Range": "bytes=100-1099"})
        if status not in (301, 302, 303, 307) or hops > 3:
            break
        target, hops = urllib.parse.urljoin(target, headers["Location"]), hops + 1
    assert status == 206, (status, target)
    assert headers["Content-Range"] == f"bytes 100-1099/{len(video)}"
    assert body == video[100:1100]


def test_the_first_backup_holds_the_database_and_the_media(operated):
    (done,) = outputs(operated, r"deploy/backup\b")
    folders = sorted((operated["tmp"] / "backups").glob("pioneer-*"))
    assert len(folders) == 1, done
    manifest = json.loads((folders[0] / "manifest.json").read_text(encoding="utf-8"))
    text = json.dumps(manifest, ensure_ascii=False)
    assert "database.pgdump" in text and ".mp4" in text, text[:2000]


def test_what_the_guide_leaves_to_a_real_server_is_named(operated):
    """Every skipped command is a real server's own: packages, users, systemd, nginx, TLS."""
    server_only = re.compile(
        r"^(apt-get|sudo -u postgres|adduser|git clone|python3\.11 -m venv|chown|install |"
        r"editor |cp deploy/systemd|systemctl|sed .*deploy/nginx|ln -s /etc/nginx|certbot)"
    )
    assert operated["skipped"] and all(server_only.match(c) for c in operated["skipped"]), [
        c for c in operated["skipped"] if not server_only.match(c)
    ]
