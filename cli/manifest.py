"""`pacer manifest --url https://your.host` (HTTP) or `pacer manifest --socket` (Socket Mode): the
app manifest to paste into Slack's "Create New App → From an app manifest", made from the
repository's manifest.yml (the one source of the commands, scopes and events). It is shipped
inside the ``cli`` package (cli/manifest.yml links to it; pyproject.toml package-data), so a
pip-installed Pacer reads it through importlib.resources, with no checkout beside it.

The template's host, https://pacer.example.com, is a real URL shape and accepted as ``--url``
like any other host. Refused as placeholders: a host with a label ``your`` or starting
``your-`` (``https://YOUR-HOST``, ``https://your.host``), with ``<`` ``>`` ``{`` ``}`` in it
(``https://<host>``), or under the reserved ``.invalid`` top-level domain."""

import re
import sys
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import yaml

PLACEHOLDER = "https://pacer.example.com"
HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d{1,5})?$")
URL_LINE = re.compile(r"^\s*(url|request_url):\s*(\S+)")


class ManifestError(ValueError):
    """A --url that can't be used, or a manifest.yml that can't be read: says what would work."""


def base_url(url: str) -> str:
    """``https://host[:port]`` from what was typed; a trailing slash is dropped."""
    typed = url.strip()
    example = "e.g. --url https://pacer.yourcompany.com"
    if "://" not in typed:
        raise ManifestError(
            f"--url {typed!r} needs the scheme: --url https://{typed.strip('/')} "
            "(Slack only sends to HTTPS addresses)."
        )
    if _is_placeholder(typed):
        raise ManifestError(
            f"--url {typed!r} is a placeholder: give the address where Slack reaches your Pacer "
            f"server; {example}."
        )
    parts = urlsplit(typed)
    if parts.scheme.lower() != "https":
        raise ManifestError(
            f"--url {typed!r} must start with https:// (Slack only sends to HTTPS addresses); "
            f"{example}."
        )
    if not parts.hostname or not HOST.match(parts.netloc) or "." not in parts.hostname:
        raise ManifestError(f"--url {typed!r} has no valid host name; {example}.")
    if parts.path.rstrip("/") or parts.query or parts.fragment:
        raise ManifestError(
            f"--url {typed!r} must be just the host: Pacer adds /slack/events itself. "
            f"Use --url https://{parts.netloc}"
        )
    return f"https://{parts.netloc.lower()}"


def _is_placeholder(typed: str) -> bool:
    host = typed.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    labels = host.lower().strip(".").split(".")
    return (
        any(mark in typed for mark in "<>{}")
        or labels[-1] == "invalid"
        or any(label == "your" or label.startswith(("your-", "your_")) for label in labels)
    )


def read_template(path: Path | None = None) -> str:
    """manifest.yml as shipped in the ``cli`` package (or the file at ``path``)."""
    source = path if path is not None else resources.files("cli").joinpath("manifest.yml")
    try:
        return source.read_text(encoding="utf-8")
    except OSError as error:
        raise ManifestError(
            f"can't read the manifest template {source} ({error.strerror}). Reinstall Pacer "
            "(pip install --force-reinstall pacer): its manifest.yml is missing."
        ) from error


def _body(template: str) -> list[str]:
    """The manifest without its opening comment (the instructions for doing this by hand)."""
    lines = template.splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return lines


def http_manifest(template: str, url: str) -> str:
    host = base_url(url)
    head = [
        f"# Slack app manifest for Pacer at {host} (HTTP mode),",
        f"# made by `pacer manifest --url {host}`. Create the app at https://api.slack.com/apps",
        "# → Create New App → From an app manifest, paste this, install it, then run",
        f"# `pacer serve` so {host}/slack/events reaches it.",
    ]
    text = "\n".join(head + _body(template)).replace(PLACEHOLDER, host) + "\n"
    return _checked(text, template, host)


def socket_manifest(template: str) -> str:
    head = [
        "# Slack app manifest for Pacer in Socket Mode (no public URL), made by",
        "# `pacer manifest --socket`. Create the app at https://api.slack.com/apps → Create New",
        "# App → From an app manifest, paste this, install it, make an app-level token with",
        "# connections:write (Basic Information → App-Level Tokens), then run `pacer socket`.",
    ]
    body = []
    for line in _body(template):
        if re.match(r"^\s*(url|request_url):", line):
            continue  # Socket Mode: Slack sends everything over the socket
        if re.match(r"^\s*(redirect_urls:|- \S+/slack/oauth_redirect)", line):
            continue  # OAuth installs need a public URL (`pacer serve`): give it by hand
        body.append(re.sub(r"^(\s*socket_mode_enabled:)\s*false\b", r"\1 true", line))
    return _checked("\n".join(head + body) + "\n", template, None)


def _checked(text: str, template: str, host: str | None) -> str:
    """The result parses, keeps every command, scope and event, and points nowhere else: every
    url at ``host`` (HTTP), or no url at all (Socket Mode, ``host`` None)."""
    socket = host is None
    urls = [m.group(2) for m in map(URL_LINE.match, text.splitlines()) if m]
    pointed = urls == [] if socket else bool(urls) and all(u.startswith(f"{host}/") for u in urls)
    made, source = yaml.safe_load(text), yaml.safe_load(template)

    def names(manifest, *path):
        node = manifest
        for key in path:
            node = (node or {}).get(key) or {}
        return node

    commands = [c["command"] for c in names(made, "features").get("slash_commands", [])]
    expected = [c["command"] for c in names(source, "features").get("slash_commands", [])]
    same = (
        commands == expected
        and names(made, "oauth_config", "scopes") == names(source, "oauth_config", "scopes")
        and names(made, "settings", "event_subscriptions").get("bot_events")
        == names(source, "settings", "event_subscriptions").get("bot_events")
        and names(made, "settings").get("socket_mode_enabled") is socket
        and pointed
    )
    if not same:
        raise ManifestError(
            "manifest.yml is not in the shape `pacer manifest` expects (slash commands with url "
            f"lines, settings.socket_mode_enabled, {PLACEHOLDER} as the host): fix it, or edit "
            "the manifest by hand."
        )
    return text


def run(url: str | None, socket: bool, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        template = read_template()
        text = socket_manifest(template) if socket else http_manifest(template, url or "")
    except ManifestError as error:
        print(f"pacer manifest: {error}", file=err)
        return 2
    out.write(text)
    return 0
