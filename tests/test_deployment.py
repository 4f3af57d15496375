"""The shipped deployment files agree with each other and with the service's own settings.

These are configuration checks, read from the files with PyYAML and plain text parsing: no
Docker engine, no `docker compose config`, no Caddy and no network are involved, so they
cannot show that the stack starts, that Caddy gets a certificate, or that a webhook arrives.
They catch the mistakes that are easy to make when editing the files: a TRUSTED_PROXIES that
no longer names the proxy (every web visitor would then share one new-chat allowance) or that
trusts more than the proxy, a published service port, an upstream port that is not the one
Svoi listens on, webhook URLs that miss the paths the channels serve, a Caddyfile that blocks
them, a lock file that lags behind pyproject.toml or is not hash-pinned.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot.channels.telegram.channel import WEBHOOK_PATH as TELEGRAM_WEBHOOK_PATH
from bot.channels.viber.channel import WEBHOOK_PATH as VIBER_WEBHOOK_PATH
from bot.config import Settings, TelegramSettings, ViberSettings, parse_networks

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
DOCKERFILE = ROOT / "Dockerfile"
LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
DEPLOY_DOC = ROOT / "docs" / "deploy.md"

APP, PROXY, DATABASE = "svoi", "caddy", "db"
# Compose interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ...
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}")
TELEGRAM_WEBHOOK_PORTS = {443, 80, 88, 8443}


def _compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _service(name: str) -> dict[str, Any]:
    service = _compose()["services"][name]
    assert isinstance(service, dict)
    return service


def _environment(name: str) -> dict[str, str]:
    env = _service(name).get("environment", {})
    if isinstance(env, list):  # the KEY=value list form
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def _interpolate(text: str, values: dict[str, str]) -> str:
    """What compose makes of `text` given `values` (the subset of its rules this file uses)."""

    def substitute(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if values.get(name):
            return values[name]
        if operator in (":-", "-"):
            return argument
        raise AssertionError(f"{name} is required here: {argument or 'no message'}")

    return INTERPOLATION.sub(substitute, text)


def _networks_of(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    networks = service.get("networks", {})
    if isinstance(networks, list):
        return {name: {} for name in networks}
    return {name: options or {} for name, options in networks.items()}


def _proxy_address() -> tuple[ipaddress.IPv4Address, ipaddress.IPv4Network]:
    """Caddy's fixed address, and the subnet of the network it shares with Svoi."""
    shared = set(_networks_of(_service(PROXY))) & set(_networks_of(_service(APP)))
    assert len(shared) == 1, f"Caddy and Svoi should share one network, not {shared}"
    (network_name,) = shared
    address = _networks_of(_service(PROXY))[network_name].get("ipv4_address")
    assert address, "Caddy needs a fixed ipv4_address for TRUSTED_PROXIES to name"
    subnets = _compose()["networks"][network_name]["ipam"]["config"]
    assert len(subnets) == 1
    subnet = ipaddress.IPv4Network(subnets[0]["subnet"])
    return ipaddress.IPv4Address(address), subnet


def _caddy_lines() -> list[str]:
    """The Caddyfile without comments and blank lines."""
    lines = []
    for raw in CADDYFILE.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def _app_port() -> int:
    return int(_environment(APP)["HTTP_PORT"])


# --- Client addresses -------------------------------------------------------------------


def test_trusted_proxies_names_the_proxy_and_nothing_else_on_its_network() -> None:
    trusted = parse_networks(_environment(APP)["TRUSTED_PROXIES"])
    proxy, subnet = _proxy_address()
    assert proxy in subnet
    assert any(proxy in network for network in trusted), "Caddy's address is not trusted"
    # Docker gives the subnet's first address to the host's bridge: connections from the host,
    # and those Docker's userland proxy relays (e.g. IPv6 clients), come from there. Trusting
    # it, or the whole subnet, would let them choose their address with X-Forwarded-For.
    gateway = next(subnet.hosts())
    assert not any(gateway in network for network in trusted)
    for network in trusted:
        assert network.num_addresses == 1, f"trust the proxy's address, not {network}"


def test_the_proxy_ignores_what_clients_write_in_x_forwarded_for() -> None:
    # Caddy keeps a client-sent X-Forwarded-For only from a trusted_proxies range; with none
    # configured it replaces the header with the connection's address (docs/deploy.md).
    lines = _caddy_lines()
    assert not any("trusted_proxies" in line for line in lines)
    assert not any(re.search(r"header_up\s+\+?X-Forwarded-For", line, re.I) for line in lines)


def test_the_service_listens_on_all_container_interfaces_and_publishes_no_port() -> None:
    app = _service(APP)
    assert _environment(APP)["HTTP_HOST"] == "0.0.0.0"
    assert "ports" not in app, "Svoi must be reached through Caddy only"
    assert "ports" not in _service(DATABASE)
    assert [str(port) for port in app.get("expose", [])] == [str(_app_port())]
    assert "network_mode" not in app


def test_only_the_proxy_publishes_ports_80_and_443() -> None:
    published = {str(port).rsplit(":", 1)[0].split(":")[-1] for port in _service(PROXY)["ports"]}
    targets = {str(port).split("/")[0].rsplit(":", 1)[-1] for port in _service(PROXY)["ports"]}
    assert published == {"80", "443"}
    assert targets == {"80", "443"}
    services = _compose()["services"]
    publishing = {name for name, s in services.items() if "ports" in s and not s.get("profiles")}
    assert publishing == {PROXY}
    # The optional monitoring services publish on the host's loopback only.
    for name, service in services.items():
        if service.get("profiles") and "ports" in service:
            assert all(str(port).startswith("127.0.0.1:") for port in service["ports"]), name


def test_the_database_network_has_no_way_out_and_no_proxy() -> None:
    db_networks = set(_networks_of(_service(DATABASE)))
    assert db_networks.isdisjoint(_networks_of(_service(PROXY)))
    for name in db_networks:
        assert _compose()["networks"][name].get("internal") is True


# --- Proxy ↔ service ------------------------------------------------------------------------


def test_the_proxy_forwards_to_the_port_the_service_listens_on() -> None:
    upstreams = [line.split()[1:] for line in _caddy_lines() if line.startswith("reverse_proxy")]
    assert upstreams, "the Caddyfile proxies nothing"
    for targets in upstreams:
        assert targets == [f"{APP}:{_app_port()}"]


def test_the_caddyfile_is_the_one_mounted_and_serves_the_configured_domain() -> None:
    assert CADDYFILE.is_file()
    mounts = [str(volume).split(":") for volume in _service(PROXY)["volumes"]]
    assert ["./deploy/Caddyfile", "/etc/caddy/Caddyfile", "ro"] in mounts
    assert any(line.startswith("{$SVOI_DOMAIN}") for line in _caddy_lines())
    domain = _interpolate(_environment(PROXY)["SVOI_DOMAIN"], {"SVOI_DOMAIN": "example.org"})
    assert domain == "example.org"
    # Certificates live in a named volume, or every restart would ask the CA again.
    assert any(mount[1] == "/data" for mount in mounts)


def test_the_caddyfile_names_the_webhook_paths_and_blocks_none_of_them() -> None:
    text = CADDYFILE.read_text(encoding="utf-8")
    for path in (TELEGRAM_WEBHOOK_PATH, VIBER_WEBHOOK_PATH):
        assert path in text
    for line in _caddy_lines():
        words = line.split()
        if words[0] in ("respond", "abort", "error", "redir") and len(words) > 1:
            matcher = words[1]
            assert matcher.startswith("/"), f"check by hand what {line!r} matches"
            prefix = matcher.rstrip("*")
            for path in (TELEGRAM_WEBHOOK_PATH, VIBER_WEBHOOK_PATH):
                assert not path.startswith(prefix), f"{line!r} blocks {path}"


def test_webhook_urls_are_https_on_the_domain_at_the_paths_the_channels_serve() -> None:
    env = _environment(APP)
    for variable, path in (
        ("TELEGRAM_WEBHOOK_URL", TELEGRAM_WEBHOOK_PATH),
        ("VIBER_WEBHOOK_URL", VIBER_WEBHOOK_PATH),
    ):
        url = urlsplit(_interpolate(env[variable], {"SVOI_DOMAIN": "svoi.example.org"}))
        assert (url.scheme, url.hostname, url.path) == ("https", "svoi.example.org", path)
        assert (url.port or 443) in TELEGRAM_WEBHOOK_PORTS
        assert (url.port or 443) == 443  # where Caddy listens


def test_the_healthcheck_asks_readyz_on_the_service_port() -> None:
    check = " ".join(str(part) for part in _service(APP)["healthcheck"]["test"])
    assert f"http://127.0.0.1:{_app_port()}/readyz" in check
    assert _service(APP)["depends_on"][DATABASE]["condition"] == "service_healthy"


def test_the_service_settings_in_the_compose_file_pass_svois_own_validation() -> None:
    values = {"SVOI_DOMAIN": "svoi.example.org", "POSTGRES_PASSWORD": "example"}
    env = {key: _interpolate(value, values) for key, value in _environment(APP).items()}
    # Validated as Svoi validates its environment; a .env in the working directory is ignored.
    settings = Settings(
        _env_file=None,
        database_url=env["DATABASE_URL"],
        http_host=env["HTTP_HOST"],
        http_port=int(env["HTTP_PORT"]),
        trusted_proxies=env["TRUSTED_PROXIES"],
        public_base_url=env["PUBLIC_BASE_URL"],
        telegram=TelegramSettings(_env_file=None, webhook_url=env["TELEGRAM_WEBHOOK_URL"]),
        viber=ViberSettings(_env_file=None, webhook_url=env["VIBER_WEBHOOK_URL"]),
    )
    assert settings.database_url.startswith("postgresql+asyncpg://svoi:example@db:5432/")
    assert settings.public_base_url == "https://svoi.example.org"


# --- Sanity without `docker compose config` ---------------------------------------------


def test_the_compose_file_is_self_consistent() -> None:
    compose = _compose()
    services = compose["services"]
    assert set(services) == {APP, PROXY, DATABASE, "prometheus", "grafana"}
    declared_volumes = set(compose.get("volumes") or {})
    declared_networks = set(compose.get("networks") or {})
    for name, service in services.items():
        assert ("image" in service) != ("build" in service), name
        depends = service.get("depends_on", {})
        assert set(depends) <= set(services), name
        assert set(_networks_of(service)) <= declared_networks, name
        for volume in service.get("volumes", []):
            source = str(volume).split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared_volumes, f"{name}: volume {source} is not declared"
            else:
                assert (ROOT / source).exists(), f"{name}: {source} is not in the repository"
        for key, value in (service.get("environment") or {}).items():
            # Compose wants strings (or numbers/booleans it turns into strings); a YAML
            # null or a nested map is a mistake.
            assert isinstance(value, str | int | float | bool), f"{name}: {key}"
        assert service.get("restart") == "unless-stopped", name


def test_every_interpolated_variable_is_documented_and_well_formed() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    # Every `$` starts a well-formed ${NAME...} (a bare `$NAME` or `$$` is not used here).
    assert text.count("$") == len(INTERPOLATION.findall(text))
    names = {match[0] for match in INTERPOLATION.findall(text)}
    assert names == {"POSTGRES_PASSWORD", "SVOI_DOMAIN"}
    doc = DEPLOY_DOC.read_text(encoding="utf-8")
    for name in names:
        assert f"`{name}`" in doc, f"{name} is not explained in docs/deploy.md"
        # Required: compose stops with the message instead of starting with an empty value.
        for match in INTERPOLATION.finditer(text):
            if match[1] == name:
                assert match[2] == ":?", f"{name} should be ${{{name}:?message}}"


def test_the_compose_file_names_files_that_exist() -> None:
    assert _service(APP)["build"] == "."
    assert DOCKERFILE.is_file()
    assert _service(APP)["env_file"] == ".env"  # made by the operator, never committed
    assert ".env" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


# --- The lock file ------------------------------------------------------------------------


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def test_every_pin_in_the_locks_carries_hashes() -> None:
    for path in (LOCK, DEV_LOCK):
        blocks = re.split(r"\n(?=\S)", path.read_text(encoding="utf-8"))
        pinned = [block for block in blocks if "==" in block.split("\n", 1)[0]]
        assert pinned, path.name
        for block in pinned:
            assert "--hash=sha256:" in block, f"{path.name}: {block.splitlines()[0]}"


@pytest.mark.parametrize("extra", [None, "dev"])
def test_the_locks_satisfy_pyproject(extra: str | None) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    pins = _pins(LOCK)
    if extra is not None:
        requirements += project["optional-dependencies"][extra]
        pins = _pins(DEV_LOCK)
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not locked: regenerate the lock (docs/deploy.md)"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} does not satisfy {requirement.specifier}: regenerate the lock"
        )


def test_the_runtime_lock_is_the_tested_set() -> None:
    # requirements.lock is compiled against requirements-dev.lock (docs/deploy.md), so the
    # image runs the versions the test suite ran with.
    runtime, tested = _pins(LOCK), _pins(DEV_LOCK)
    assert {name: version for name, version in runtime.items() if tested.get(name) != version} == {}


def test_the_image_installs_the_lock_by_hash() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "COPY requirements.lock" in text
    install = next(line for line in text.splitlines() if "pip install" in line)
    for option in ("--require-hashes", "--no-deps", "-r requirements.lock"):
        assert option in install


# --- monitoring: Prometheus rules, the Grafana dashboard, the compose profile ------------
PROMETHEUS = ROOT / "deploy" / "prometheus"
RULES = PROMETHEUS / "rules.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "svoi-dashboard.json"
# What PromQL calls that are not metrics: functions, aggregations, keywords, label names.
PROMQL_WORDS = {
    "sum", "max", "min", "avg", "count", "by", "without", "and", "or", "unless", "rate",
    "increase", "delta", "deriv", "histogram_quantile", "max_over_time", "le", "on",
    "ignoring", "bool", "offset",
}  # fmt: skip
BUILTIN_SERIES = {"up"}  # Prometheus's own, per scrape target


def _registry_samples() -> set[str]:
    """Every sample name the service's registry can expose (counters' `_total`, the
    histograms' `_bucket`, `_sum`, `_count`)."""
    from bot import metrics

    names: set[str] = set()
    for family in metrics.REGISTRY.collect():
        if family.type == "counter":
            names.add(family.name + "_total")
        elif family.type == "histogram":
            names.update(family.name + suffix for suffix in ("_bucket", "_sum", "_count"))
        else:
            names.add(family.name)
    return names


def _metric_names(expression: str) -> set[str]:
    without_strings = re.sub(r'"[^"]*"', '""', expression)
    without_ranges = re.sub(r"\[[^\]]*\]", "", without_strings)
    without_labels = re.sub(r"\{[^}]*\}", "", without_ranges)
    without_groupings = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", "", without_labels)
    words = set(re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", without_groupings))
    return words - PROMQL_WORDS


def _rules() -> list[dict[str, Any]]:
    data = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in data["groups"] for rule in group["rules"]]


def test_the_alert_rules_parse_and_name_only_metrics_that_exist() -> None:
    rules = _rules()
    assert {rule["alert"] for rule in rules} >= {
        "SvoiDown",
        "SvoiTurnErrors",
        "SvoiSlowTurns",
        "SvoiNotificationsNotGoingOut",
        "SvoiOutboxPendingGrowing",
        "SvoiOutboxFailedIncreasing",
        "SvoiRateLimited",
        "SvoiRemindersLate",
    }
    known = _registry_samples() | BUILTIN_SERIES
    for rule in rules:
        named = _metric_names(rule["expr"])
        assert named, rule["alert"]
        assert named <= known, (rule["alert"], named - known)


def test_the_dashboard_is_json_and_names_only_metrics_that_exist() -> None:
    import json

    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    expressions = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    assert expressions
    known = _registry_samples()
    for expression in expressions:
        assert _metric_names(expression) <= known, expression
    shown = set().union(*(_metric_names(e) for e in expressions))
    # Every family of the registry is on the dashboard.
    families = {re.sub(r"_(total|bucket|sum|count)$", "", name) for name in known}
    assert {re.sub(r"_(total|bucket|sum|count)$", "", n) for n in shown} == families


def test_monitoring_is_an_opt_in_compose_profile_with_the_shipped_files() -> None:
    services = _compose()["services"]
    for name in ("prometheus", "grafana"):
        assert services[name]["profiles"] == ["monitoring"]
    for name, service in services.items():
        if name not in ("prometheus", "grafana"):
            assert not service.get("profiles"), name
    mounts = [str(v).split(":")[0] for s in services.values() for v in s.get("volumes", [])]
    for path in (
        "./deploy/prometheus/prometheus.yml",
        "./deploy/prometheus/rules.yml",
        "./deploy/grafana/svoi-dashboard.json",
        "./deploy/grafana/provisioning",
    ):
        assert path in mounts
        assert (ROOT / path).exists()
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text(encoding="utf-8"))
    [job] = config["scrape_configs"]
    assert job["static_configs"][0]["targets"] == [f"{APP}:{_app_port()}"]
    # Prometheus reaches Svoi on a network they share (not through Caddy).
    assert set(_networks_of(services["prometheus"])) & set(_networks_of(services[APP]))
