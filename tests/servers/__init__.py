"""Real local servers the single sign-on tests talk to: an OpenID Connect provider and slapd.

Each is started by the test on 127.0.0.1 with a free port and stopped after it. A server that cannot be
started here (no Node.js, no slapd) skips the test with the reason — except in CI (CI=true), where
that is a failure.
"""

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {process.stdout.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"the server did not listen on 127.0.0.1:{port} within {seconds} s")


@dataclass
class OidcProvider:
    issuer: str
    client_id: str = "luoshi"
    client_secret: str = "luoshi-test-secret"

    def settings(self, claim: str = "preferred_username", person_field: str = "username") -> dict:
        """The Django settings Luoshi's LUOSHI_OIDC_* variables would give for this provider."""
        return {
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/auth",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/me",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_RP_SCOPES": "openid profile email",
            "OIDC_USE_PKCE": True,
            "OIDC_TIMEOUT": 10,
            "OIDC_CLAIM": claim,
            "OIDC_PERSON_FIELD": person_field,
        }


@contextmanager
def oidc_provider(redirect_uris: list[str], accounts: dict[str, dict]) -> Iterator[OidcProvider]:
    """node's oidc-provider (tests/servers/oidc, installed by ./run tests with npm ci) on a free port."""
    node = shutil.which("node")
    folder = HERE / "oidc"
    if node is None:
        missing("Node.js is missing: the OpenID Connect provider of the SSO tests runs on it.")
    if not (folder / "node_modules" / "oidc-provider").exists():
        missing("tests/servers/oidc/node_modules is missing: ./run tests installs it (npm ci).")
    port = free_port()
    provider = OidcProvider(issuer=f"http://127.0.0.1:{port}")
    config = {
        "clients": [{"client_id": provider.client_id, "client_secret": provider.client_secret,
                     "redirect_uris": redirect_uris}],
        "accounts": accounts,
    }
    process = subprocess.Popen([node, "provider.mjs", str(port), json.dumps(config)], cwd=folder,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for_port(port, process)
        yield provider
    finally:
        process.terminate()
        process.wait(10)
