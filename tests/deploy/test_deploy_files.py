"""The container files in deploy/docker/ stay in step with the code they package.

No Docker engine (nor the compose plugin) runs on the project's machines, so these files
are never built here; what can be checked without one is: the compose file parses and
holds the production shape, every variable it sets is one the settings read, every file
the Dockerfiles copy exists, and the nginx entrypoint fills every placeholder of the site
config that ``deploy/local/web`` fills. Both fill it through ``deploy/nginx/fill``, whose
output (two app servers) nginx itself checks here.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "deploy" / "docker"
SETTINGS = (ROOT / "site" / "settings.py").read_text()


def compose():
    return yaml.safe_load((DOCKER / "docker-compose.yml").read_text())


def test_compose_runs_the_production_shape():
    services = compose()["services"]
    assert {"db", "search", "cache", "objects", "web", "worker", "scheduler", "nginx"} <= set(
        services
    )
    assert services["worker"]["command"][:3] == ["python", "manage.py", "db_worker"]
    assert "publish_scheduled" in " ".join(services["scheduler"]["command"])
    for service in services.values():
        build = service.get("build")
        if build:
            assert (ROOT / "deploy" / "docker" / build["context"] / build["dockerfile"]).is_file()


def test_every_variable_compose_sets_is_read_by_the_settings():
    site = compose()["x-site"]["environment"]
    for variable in site:
        assert f'"{variable}"' in SETTINGS, f"{variable} is set in compose but never read"


def test_nothing_in_the_minio_bucket_is_public():
    """Renditions are private objects reached through the site's check (SECURITY.md): the
    bucket gets no anonymous policy, and one a former release set on images/ is removed."""
    init = " ".join(compose()["services"]["objects-init"]["entrypoint"])
    assert "mc anonymous set download" not in init and "mc anonymous set public" not in init
    assert "mc anonymous set none" in init and "/images" in init


def test_files_the_dockerfiles_copy_exist():
    for dockerfile in DOCKER.glob("*Dockerfile"):
        for line in dockerfile.read_text().splitlines():
            if line.startswith("COPY "):
                sources = line.split()[1:-1]
                for source in sources:
                    assert (ROOT / source).exists(), f"{dockerfile.name}: {source} is missing"


TEMPLATE = ROOT / "deploy" / "nginx" / "pioneer.conf"
FILL = ROOT / "deploy" / "nginx" / "fill"


def test_nginx_entrypoint_fills_every_placeholder():
    """Both callers of deploy/nginx/fill give each placeholder a value (NAME=…)."""
    placeholders = set(re.findall(r"@([A-Z_]+)@", TEMPLATE.read_text()))
    entrypoint = (DOCKER / "nginx-entrypoint.sh").read_text()
    local_web = (ROOT / "deploy" / "local" / "web").read_text()
    assert "pioneer-nginx-fill" in entrypoint and "deploy/nginx/fill" in local_web
    for name in placeholders:
        assert f"{name}=" in entrypoint, f"nginx-entrypoint.sh leaves @{name}@"
        assert f'"{name}=' in local_web, f"deploy/local/web leaves @{name}@"


VALUES = {
    "LISTEN": "127.0.0.1:8190",
    "SERVER_NAME": "_",
    "STATIC_ROOT": "/srv/pioneer/static",
    "MEDIA_ROOT": "/srv/pioneer/media",
    "CACHE_DIR": "/var/cache/nginx/pioneer",
    "PURGE_LISTEN": "127.0.0.1:8191",
}


def fill(**values):
    return subprocess.run(
        [str(FILL), str(TEMPLATE), *(f"{name}={value}" for name, value in values.items())],
        capture_output=True,
        text=True,
        timeout=30,
    )


def _upstream_block(conf):
    found = re.search(r"upstream pioneer_app \{(.*?)\}", conf, re.S)
    assert found, "no upstream pioneer_app"
    return [line.strip() for line in found.group(1).splitlines() if line.strip()]


def test_fill_writes_a_server_line_for_each_app_server():
    result = fill(**VALUES, UPSTREAM="unix:/run/pioneer/gunicorn.sock, 10.0.0.12:8000,")
    assert result.returncode == 0, result.stderr
    assert [line for line in _upstream_block(result.stdout) if line.startswith("server ")] == [
        "server unix:/run/pioneer/gunicorn.sock max_fails=1 fail_timeout=5s;",
        "server 10.0.0.12:8000 max_fails=1 fail_timeout=5s;",
    ]
    body = "\n".join(
        line for line in result.stdout.splitlines() if not line.lstrip().startswith("#")
    )
    assert "@" not in body.replace("@pioneer_media_store", "")
    # A failed app server's request goes to the next; a POST is never sent twice.
    assert "proxy_next_upstream error timeout http_502 http_503;" in result.stdout
    assert "non_idempotent" not in body


def test_fill_refuses_a_placeholder_without_value_and_an_empty_upstream_list():
    missing = fill(**{k: v for k, v in VALUES.items() if k != "CACHE_DIR"}, UPSTREAM="web:8000")
    assert missing.returncode != 0 and "@CACHE_DIR@" in missing.stderr
    empty = fill(**VALUES, UPSTREAM=" , ")
    assert empty.returncode != 0 and "UPSTREAM" in empty.stderr


NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


@pytest.mark.skipif(
    not NGINX or not PURGE_MODULE.exists(), reason="needs nginx and its cache-purge module"
)
def test_nginx_accepts_the_config_with_two_app_servers(tmp_path):
    values = dict(
        VALUES,
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        CACHE_DIR=str(tmp_path / "cache"),
        UPSTREAM="127.0.0.1:8192,127.0.0.1:8193",
    )
    result = fill(**values)
    assert result.returncode == 0, result.stderr
    (tmp_path / "site.conf").write_text(result.stdout)
    (tmp_path / "nginx.conf").write_text(
        f"load_module {PURGE_MODULE};\n"
        f"pid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"    client_body_temp_path {tmp_path}/body;\n"
        f"    proxy_temp_path {tmp_path}/proxy;\n"
        f"    fastcgi_temp_path {tmp_path}/fastcgi;\n"
        f"    uwsgi_temp_path {tmp_path}/uwsgi;\n"
        f"    scgi_temp_path {tmp_path}/scgi;\n"
        f"    access_log off;\n"
        f"    include {tmp_path}/site.conf;\n"
        "}\n"
    )
    checked = subprocess.run(
        [NGINX, "-t", "-q", "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c",
         str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
