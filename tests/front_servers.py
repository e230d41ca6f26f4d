"""The HTTP servers that stand in front of `aichr-kg serve` in production, started by the tests on
127.0.0.1 with their own configuration in a temporary folder: Debian's apache2 run as w3id.org runs
it (mod_rewrite, `AllowOverride All`, one folder per namespace under the DocumentRoot), and nginx
with the reverse-proxy configuration the repository ships. A missing binary skips its tests, saying so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from engines import free_port, stop_process, wait_until_answering

APACHE = shutil.which("apache2", path="/usr/sbin:" + os.environ.get("PATH", ""))
NGINX = shutil.which("nginx", path="/usr/sbin:" + os.environ.get("PATH", ""))
APACHE_MODULES = Path("/usr/lib/apache2/modules")
NGINX_SITE = Path(__file__).resolve().parents[1] / "docs" / "deploy" / "nginx.conf"


def readable_folder() -> Path:
    """A temporary folder the servers' unprivileged workers can read (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="aichr-front-"))
    folder.chmod(0o755)
    return folder


class Apache:
    """apache2 serving `docroot` like w3id.org: .htaccess files obeyed, redirects by mod_rewrite."""

    def __init__(self, docroot: Path) -> None:
        if APACHE is None or not (APACHE_MODULES / "mod_rewrite.so").exists():
            pytest.skip("Debian's apache2 is not installed (apt-get install apache2-bin; .ci/run does)")
        self.home, self.docroot, self.port = readable_folder(), docroot, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.home / "error.log"
        (self.home / "httpd.conf").write_text(self._config(), encoding="utf-8")
        self.process = subprocess.Popen(
            [APACHE, "-d", str(self.home), "-f", str(self.home / "httpd.conf"), "-DFOREGROUND"],
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("a"),
        )
        (docroot / "alive").write_text("ok")
        wait_until_answering(self.url + "/alive", self.process, self.log)

    def _config(self) -> str:
        modules = ("mpm_event", "authz_core", "dir", "rewrite", "headers")
        loads = [f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so" for name in modules]
        user = ["User nobody", "Group nogroup"] if os.geteuid() == 0 else []
        return "\n".join(
            [
                *loads,
                *user,
                f"ServerRoot {self.home}",
                "ServerName 127.0.0.1",
                f"Listen 127.0.0.1:{self.port}",
                f"PidFile {self.home}/httpd.pid",
                f"ErrorLog {self.log}",
                "LogLevel warn rewrite:trace2",
                f"DocumentRoot {self.docroot}",
                f'<Directory "{self.docroot}">',
                "    Options FollowSymLinks",
                "    AllowOverride All",
                "    Require all granted",
                "</Directory>",
                "",
            ]
        )

    def stop(self) -> None:
        stop_process(self.process)
        shutil.rmtree(self.home, ignore_errors=True)


class Nginx:
    """nginx with the shipped site configuration, its address, upstream and cache moved into a temporary folder."""

    def __init__(self, upstream_port: int) -> None:
        if NGINX is None:
            pytest.skip("Debian's nginx is not installed (apt-get install nginx; .ci/run does)")
        self.home, self.port = readable_folder(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.home / "error.log"
        (self.home / "site.conf").write_text(self.site(upstream_port), encoding="utf-8")
        (self.home / "nginx.conf").write_text(self._main_config(), encoding="utf-8")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(self.home), "-c", str(self.home / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("a"),
        )
        wait_until_answering(self.url + "/health", self.process, self.log)

    def site(self, upstream_port: int) -> str:
        """The shipped file with the three operator-specific values replaced: listen, upstream, cache folder."""
        text = NGINX_SITE.read_text(encoding="utf-8")
        replacements = {
            r"listen 80;": f"listen 127.0.0.1:{self.port};",
            r"server 127\.0\.0\.1:5000": f"server 127.0.0.1:{upstream_port}",
            r"/var/cache/nginx/aichr-kg": str(self.home / "cache"),
        }
        for pattern, value in replacements.items():
            text, count = re.subn(pattern, value, text)
            assert count == 1, f"{NGINX_SITE} no longer has {pattern!r} once"
        return text

    def _main_config(self) -> str:
        temp = "\n".join(
            f"    {kind}_temp_path {self.home}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        user = "user root;\n" if os.geteuid() == 0 else ""
        return (
            f"{user}worker_processes 1;\npid {self.home}/nginx.pid;\nerror_log {self.log} warn;\n"
            "events { worker_connections 256; }\n"
            f"http {{\n    access_log {self.home}/access.log;\n{temp}\n    include {self.home}/site.conf;\n}}\n"
        )

    def stop(self) -> None:
        stop_process(self.process)
        shutil.rmtree(self.home, ignore_errors=True)
