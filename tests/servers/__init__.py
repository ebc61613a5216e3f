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
import tempfile
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


def start(command: list, log: Path, **options) -> subprocess.Popen:
    """Start a server with its output in a file (a pipe nobody reads could fill and stall it)."""
    with log.open("w") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, text=True, **options)


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {log.read_text()}")
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
        "clients": [
            {
                "client_id": provider.client_id,
                "client_secret": provider.client_secret,
                "redirect_uris": redirect_uris,
            }
        ],
        "accounts": accounts,
    }
    log = Path(tempfile.mkdtemp(prefix="luoshi-oidc-")) / "provider.log"
    process = start([node, "provider.mjs", str(port), json.dumps(config)], log, cwd=folder)
    try:
        wait_for_port(port, process, log)
        yield provider
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(log.parent, ignore_errors=True)


SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SCHEMAS = Path("/etc/ldap/schema")
SLAPD_CONF = """\
include {schemas}/core.schema
include {schemas}/cosine.schema
include {schemas}/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{admin}"
rootpw {admin_password}
directory {folder}/data
"""


@dataclass
class Directory:
    uri: str
    base: str
    admin: str
    admin_password: str

    def settings(self, attribute: str = "uid", person_field: str = "username") -> dict:
        """The Django settings Luoshi's LUOSHI_LDAP_* variables would give for this directory."""
        import ldap
        from django_auth_ldap.config import LDAPSearch

        return {
            "LDAP_ENABLED": True,
            "AUTH_LDAP_SERVER_URI": self.uri,
            "AUTH_LDAP_BIND_DN": self.admin,
            "AUTH_LDAP_BIND_PASSWORD": self.admin_password,
            "AUTH_LDAP_USER_SEARCH": LDAPSearch(
                f"ou=people,{self.base}", ldap.SCOPE_SUBTREE, "(uid=%(user)s)"
            ),
            "LDAP_ATTRIBUTE": attribute,
            "LDAP_PERSON_FIELD": person_field,
        }


@contextmanager
def slapd(tmp_path: Path, people: list[dict[str, str]]) -> Iterator[Directory]:
    """Debian's slapd on a free port, with a throw-away config and database holding `people` under ou=people."""
    if not SLAPD.exists() or not SLAPADD.exists():
        missing("slapd is missing: install the Debian packages slapd and ldap-utils (./run tests does).")
    directory = Directory(
        uri="",
        base="dc=park,dc=example,dc=gov,dc=cn",
        admin="cn=admin,dc=park,dc=example,dc=gov,dc=cn",
        admin_password="directory-admin",
    )
    folder = tmp_path / "slapd"
    (folder / "data").mkdir(parents=True)
    conf = folder / "slapd.conf"
    conf.write_text(
        SLAPD_CONF.format(
            schemas=SCHEMAS,
            folder=folder,
            base=directory.base,
            admin=directory.admin,
            admin_password=directory.admin_password,
        )
    )
    entries = [
        f"dn: {directory.base}\nobjectClass: dcObject\nobjectClass: organization\ndc: park\no: park",
        f"dn: ou=people,{directory.base}\nobjectClass: organizationalUnit\nou: people",
    ]
    for person in people:
        attributes = "\n".join(f"{name}: {value}" for name, value in person.items())
        entries.append(
            f"dn: uid={person['uid']},ou=people,{directory.base}\nobjectClass: inetOrgPerson\n{attributes}"
        )
    ldif = folder / "people.ldif"
    ldif.write_text("\n\n".join(entries) + "\n", encoding="utf-8")
    subprocess.run([SLAPADD, "-f", conf, "-l", ldif], check=True, capture_output=True)
    port = free_port()
    directory.uri = f"ldap://127.0.0.1:{port}"
    # -d 0: stay in the foreground, so the test owns the process and ends it.
    process = start([SLAPD, "-f", conf, "-h", f"{directory.uri}/", "-d", "0"], folder / "slapd.log")
    try:
        wait_for_port(port, process, folder / "slapd.log")
        yield directory
    finally:
        process.terminate()
        process.wait(10)
