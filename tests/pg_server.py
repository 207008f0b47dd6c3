"""A throwaway PostgreSQL server for tests: initdb into a temporary directory, listen on loopback.

    with PostgresServer.start() as server:
        url = server.create_database("t1")   # postgresql://postgres@127.0.0.1:PORT/t1

The server binaries come from Debian's packages (/usr/lib/postgresql/*/bin; `.ci/postgres.sh`
installs them). Running as root, initdb and postgres run as the unprivileged `postgres` user
(they refuse root). `PostgresServer.start()` raises `PostgresUnavailable` when there are no
binaries (tests skip on it); any other failure is an error with the server log attached.
Set PIPELINE_TEST_PG_URL=postgresql://... to use an existing server instead (a database of your
own: the tests create and drop databases in it).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ENV_URL = "PIPELINE_TEST_PG_URL"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bin_dir() -> Path | None:
    """The bin directory of the newest installed PostgreSQL server, if any."""

    def version(path: str) -> tuple[int, ...]:
        m = re.search(r"/postgresql/([\d.]+)/bin", path)
        return tuple(int(x) for x in m.group(1).split(".")) if m else (0,)

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(on_path)
    for initdb in candidates:
        bin_dir = Path(initdb).parent
        if (bin_dir / "pg_ctl").exists() and (bin_dir / "postgres").exists():
            return bin_dir
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self, bin_dir: Path | None, base_dir: Path | None, port: int, admin_url: str):
        self.bin_dir = bin_dir
        self.base_dir = base_dir  # None for an external server (nothing to stop)
        self.port = port
        self.admin_url = admin_url
        self._user: str | None = None

    # ---------------------------------------------------------------- lifecycle

    @classmethod
    def start(cls) -> PostgresServer:
        external = os.environ.get(ENV_URL)
        if external:
            return cls(None, None, 0, external)
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise PostgresUnavailable(
                "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin or on PATH "
                f"(install them with .ci/postgres.sh, or set {ENV_URL})"
            )
        user = None
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError as e:
                raise PostgresUnavailable(
                    "running as root and there is no `postgres` user to run the server"
                ) from e
        base = Path(tempfile.mkdtemp(prefix="pipeline-pg-"))
        os.chmod(base, 0o700)
        if user:
            os.chown(base, user.pw_uid, user.pw_gid)
        port = _free_port()
        server = cls(bin_dir, base, port, f"postgresql://postgres@127.0.0.1:{port}/postgres")
        server._user = user.pw_name if user else None
        try:
            server._run("initdb", "-D", str(base / "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                        "--no-locale", "--no-sync")  # fmt: skip
            options = f"-k {base} -h 127.0.0.1 -p {port} -F -c shared_buffers=16MB -c max_connections=20"
            server._run("pg_ctl", "-D", str(base / "data"), "-l", str(base / "server.log"), "-w", "-t", "60",
                        "-o", options, "start")  # fmt: skip
        except BaseException:
            server.stop()
            raise
        return server

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if self._user and shutil.which("runuser"):
            command = ["runuser", "-u", self._user, "--", *command]
        elif self._user:
            command = ["su", self._user, "-s", "/bin/sh", "-c", shlex.join(command)]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.base_dir)
        if result.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({result.returncode}): {result.stderr.strip()}\n{self.log_tail()}"
            )

    def log_tail(self, lines: int = 30) -> str:
        log = self.base_dir / "server.log" if self.base_dir else None
        if log and log.exists():
            return "server.log:\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def stop(self) -> None:
        if self.base_dir is None:
            return
        if (self.base_dir / "data" / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.base_dir / "data"), "-m", "immediate", "-w", "stop")
            except RuntimeError:
                pass
        shutil.rmtree(self.base_dir, ignore_errors=True)
        self.base_dir = None

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---------------------------------------------------------------- databases

    def url(self, dbname: str) -> str:
        head, _, _ = self.admin_url.rpartition("/")
        return f"{head}/{dbname}"

    def create_database(self, dbname: str) -> str:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
        return self.url(dbname)

    def drop_database(self, dbname: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
