"""The container image definition and the Kubernetes manifests parse and hold what deploy/README.md promises.

The image cannot be built here (no Docker engine), so the Dockerfile is read as text: a pinned base, the runtime
requirements only, the bundled tokenizers, a non-root user, the port and a health check. The manifests are read
with PyYAML when it is installed, else with a small reader of the block-style YAML subset they are written in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HEALTH = "/_stcore/health"


def _scalar(text: str) -> object:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return {"true": True, "false": False, "null": None, "~": None}.get(text, text)


def _strip_comment(line: str) -> str:
    quote = None
    for i, char in enumerate(line):
        if char in "\"'" and quote in (None, char):
            quote = None if quote else char
        elif char == "#" and quote is None and (i == 0 or line[i - 1] == " "):
            return line[:i].rstrip()
    return line.rstrip()


def _block(lines: list[tuple[int, str]], start: int, indent: int) -> tuple[object, int]:
    """Parse the block whose lines start at `start` with indentation `indent`; returns (value, next line)."""
    if lines[start][1].startswith("- "):
        items: list[object] = []
        i = start
        while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
            rest = lines[i][1][2:]
            inner = indent + 2
            if ":" in rest and not rest.startswith(("'", '"')):
                sub = [(inner, rest), *lines[i + 1 :]]
                value, used = _block(sub, 0, inner)
                items.append(value)
                i += used
            else:
                items.append(_scalar(rest))
                i += 1
        return items, i
    mapping: dict[str, object] = {}
    i = start
    while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
        key, _, rest = lines[i][1].partition(":")
        if rest.strip():
            mapping[key.strip()] = _scalar(rest)
            i += 1
        elif i + 1 < len(lines) and lines[i + 1][0] >= indent and (lines[i + 1][0] > indent or lines[i + 1][1].startswith("- ")):
            mapping[key.strip()], i = _block(lines, i + 1, lines[i + 1][0])
        else:
            mapping[key.strip()] = None
            i += 1
    return mapping, i


def load_subset(text: str) -> list[object]:
    """YAML documents in block style (mappings, sequences, plain or quoted scalars), as the manifests are written."""
    docs = []
    for chunk in re.split(r"^---\s*$", text, flags=re.MULTILINE):
        lines = [(len(s) - len(s.lstrip()), s.strip()) for s in map(_strip_comment, chunk.splitlines()) if s.strip()]
        if lines:
            value, used = _block(lines, 0, lines[0][0])
            assert used == len(lines), f"unparsed YAML from line {used}: {lines[used]}"
            docs.append(value)
    return docs


def load_all(text: str) -> list[object]:
    """YAML documents: PyYAML's safe_load_all when installed, else `load_subset`."""
    try:
        import yaml
    except ImportError:
        return load_subset(text)
    return [doc for doc in yaml.safe_load_all(text) if doc is not None]


def manifests() -> dict[str, dict]:
    """Every Kubernetes object in deploy/k8s by kind."""
    found: dict[str, dict] = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in load_all(path.read_text()):
            assert isinstance(doc, dict) and {"apiVersion", "kind", "metadata"} <= doc.keys(), path
            found[doc["kind"]] = doc
    return found


def test_subset_reader() -> None:
    text = "a: 1\nb:\n  - x: 'y'\n    z: true\n  - plain\nc:\n  d: \"e # not a comment\"  # a comment\n---\ne: f\n"
    assert load_subset(text) == [{"a": 1, "b": [{"x": "y", "z": True}, "plain"], "c": {"d": "e # not a comment"}}, {"e": "f"}]


def test_deployment_has_replicas_probes_and_resources() -> None:
    deployment = manifests()["Deployment"]
    spec = deployment["spec"]
    assert spec["replicas"] >= 2
    pod = spec["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    (container,) = pod["containers"]
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["path"] == HEALTH, probe
    assert container["ports"][0]["containerPort"] == 8501
    assert {"cpu", "memory"} <= container["resources"]["requests"].keys()
    assert "memory" in container["resources"]["limits"]
    assert spec["selector"]["matchLabels"] == spec["template"]["metadata"]["labels"]


def test_service_and_ingress_keep_a_browser_on_one_replica() -> None:
    found = manifests()
    service, ingress = found["Service"], found["Ingress"]
    labels = found["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"] == labels
    assert service["spec"]["sessionAffinity"] == "ClientIP"
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/affinity-mode"] == "persistent"
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", (DEPLOY / "Dockerfile").read_text())
    rows = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(row.split(None, 1)[0].upper(), row.split(None, 1)[1] if " " in row else "") for row in rows]


def test_dockerfile_pins_base_runs_as_non_root_and_checks_health() -> None:
    steps = dockerfile()
    instructions = [name for name, _ in steps]
    base = next(args for name, args in steps if name == "FROM")
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?", base), base
    user = [args for name, args in steps if name == "USER"]
    assert user and user[-1].split(":")[0] not in ("root", "0"), user
    assert instructions.index("USER") > max(i for i, name in enumerate(instructions) if name == "RUN")
    assert ("EXPOSE", "8501") in steps
    health = next(args for name, args in steps if name == "HEALTHCHECK")
    assert HEALTH in health and "CMD" in health
    cmd = next(args for name, args in steps if name == "CMD")
    assert "server.py" in cmd and "streamlit" in cmd
    copied = " ".join(args for name, args in steps if name == "COPY")
    assert "requirements.txt" in copied and "requirements-dev" not in copied
    assert "data/" in copied, "the bundled tokenizer files (data/tokenizers) must be in the image"
    for needed in ("server.py", "streamlit_app.py", "calc/", "ui/", "pages/", ".streamlit/"):
        assert needed in copied, needed


def test_dockerignore_keeps_the_context_small_but_not_the_app() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines() if line.strip()}
    assert {".git", ".venv", "tests"} <= ignored
    assert not ignored & {"data", "calc", "ui", "pages", "server.py", "streamlit_app.py", "requirements.txt"}


@pytest.mark.parametrize("template", ["streamlit.conf.template", "nginx-local.conf.template"])
def test_nginx_templates_have_their_placeholders(template: str) -> None:
    text = (DEPLOY / "nginx" / template).read_text()
    wanted = {"@LISTEN_PORT@", "@UPSTREAM_SERVERS@"} if template.startswith("streamlit") else {"@RUN_DIR@"}
    assert set(re.findall(r"@[A-Z_]+@", text)) == wanted
    if template.startswith("streamlit"):
        for directive in ("hash $st_backend_key consistent", "proxy_read_timeout", "Upgrade $http_upgrade"):
            assert directive in text
