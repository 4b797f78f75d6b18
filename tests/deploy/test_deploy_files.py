"""The container files in deploy/docker/ stay in step with the code they package.

No Docker engine (nor the compose plugin) runs on the project's machines, so these files
are never built here; what can be checked without one is: the compose file parses and
holds the production shape, every variable it sets is one the settings read, every file
the Dockerfiles copy exists, and the nginx entrypoint fills every placeholder of the site
config that ``deploy/local/web`` fills.
"""

import re
from pathlib import Path

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


def test_nginx_entrypoint_fills_every_placeholder():
    template = (ROOT / "deploy" / "nginx" / "pioneer.conf").read_text()
    placeholders = set(re.findall(r"@[A-Z_]+@", template))
    entrypoint = (DOCKER / "nginx-entrypoint.sh").read_text()
    local_web = (ROOT / "deploy" / "local" / "web").read_text()
    for placeholder in placeholders:
        assert placeholder in entrypoint, f"nginx-entrypoint.sh leaves {placeholder}"
        assert placeholder in local_web, f"deploy/local/web leaves {placeholder}"
