"""Production settings behind a real HTTPS reverse proxy (nginx on 127.0.0.1): `luoshi serve` believes the
proxy's X-Forwarded-Proto, so pages load without a redirect loop, HSTS is sent, and a browser-style login
passes the CSRF origin check."""

import http.cookiejar
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
pytestmark = pytest.mark.skipif(
    NGINX is None and not os.environ.get("CI"),
    reason="nginx is not installed (CI installs it and never skips)",
)
LUOSHI = [sys.executable, "-m", "luoshi.cli"]
PASSWORD = "proxy-login-2026-ok"
SETUP = f"""
from luoshi.orgs.models import Person, Role, Unit
unit = Unit.objects.create(name="党政办督查室")
person = Person(username="wang", role=Role.SUPERVISOR, unit=unit, full_name="王主任")
person.set_password("{PASSWORD}")
person.save()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"exited with {process.returncode}: {process.stderr.read().decode()[-3000:]}"
            )
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


NGINX_CONF = """
{user}
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fcgi;
  uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  client_max_body_size 60m;
  server {{
    listen 127.0.0.1:{port} ssl;
    server_name localhost;
    ssl_certificate {dir}/cert.pem;
    ssl_certificate_key {dir}/key.pem;
    location / {{
      proxy_pass http://127.0.0.1:{app};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A production Luoshi (SQLite) behind nginx terminating HTTPS with a self-signed certificate."""
    folder = tmp_path_factory.mktemp("proxy")
    env = {
        **os.environ,
        "LUOSHI_DATA_DIR": str(folder),
        "LUOSHI_PRODUCTION": "true",
        "LUOSHI_SECRET_KEY": secrets.token_urlsafe(50),
        "LUOSHI_ALLOWED_HOSTS": "localhost",
        "LUOSHI_DATABASE_URL": f"sqlite:///{folder / 'luoshi.sqlite3'}",
        "LUOSHI_DEBUG": "false",
    }
    # The API docs' and the admin's static files are left out: compressing them takes a minute, and no page
    # opened here uses them.
    collect = ["collectstatic", "--noinput", "-v", "0", "-i", "ninja", "-i", "admin"]
    for command in (["migrate", "-v", "0"], collect, ["shell", "-c", SETUP]):
        subprocess.run([*LUOSHI, *command], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    app_port, proxy_port = free_port(), free_port()
    app = subprocess.Popen(
        [*LUOSHI, "serve", "--port", str(app_port), "--workers", "2", "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        NGINX_CONF.format(user=user, dir=folder, port=proxy_port, app=app_port)
    )
    proxy = subprocess.Popen(
        [NGINX or "nginx", "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(app_port, app)
        wait_for(proxy_port, proxy)
        yield {"proxy": f"https://localhost:{proxy_port}", "app": f"http://127.0.0.1:{app_port}"}
    finally:
        for process in (proxy, app):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browser(follow: bool = True) -> urllib.request.OpenerDirector:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
    handlers = [
        urllib.request.HTTPSHandler(context=context),
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
    ]
    return urllib.request.build_opener(*handlers, *([] if follow else [NoRedirect()]))


def test_pages_load_over_the_proxy_with_hsts_and_the_content_security_policy(site):
    response = browser(follow=False).open(site["proxy"] + "/accounts/login/", timeout=30)
    assert response.status == 200  # not a redirect to https for ever
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Secure" in response.headers["Set-Cookie"] and "csrftoken" in response.headers["Set-Cookie"]


def test_a_browser_signs_in_through_the_proxy(site):
    opener = browser()
    page = opener.open(site["proxy"] + "/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "wang", "password": PASSWORD, "next": "/"}
    ).encode()
    request = urllib.request.Request(
        site["proxy"] + "/accounts/login/",
        data=form,
        headers={"Origin": site["proxy"], "Referer": site["proxy"] + "/accounts/login/"},
    )
    response = opener.open(request, timeout=30)
    assert response.status == 200 and response.url.startswith(site["proxy"])
    assert "王主任" in response.read().decode()  # signed in: the page names the person


def test_plain_http_to_luoshi_itself_is_sent_to_https(site):
    with pytest.raises(urllib.error.HTTPError) as redirected:
        direct = urllib.request.Request(site["app"] + "/accounts/login/", headers={"Host": "localhost"})
        browser(follow=False).open(direct, timeout=30)
    assert redirected.value.code == 301 and redirected.value.headers["Location"].startswith("https://")
