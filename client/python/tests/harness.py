"""A real log on loopback for end-to-end tests, as tests/testing/e2e_fixture.cc makes one:
keys from `ailedger keygen`, a genesis from `ailedger genesis`, a store from `ailedgerd init`,
`ailedgerd serve --listen 127.0.0.1:0`, and keys granted with `ailedger key request/grant`."""
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import threading
import time

from conftest import BUILD

AILEDGERD = os.environ.get("AILEDGERD", str(BUILD / "server" / "ailedgerd"))
AILEDGER = os.environ.get("AILEDGER_CLI", str(BUILD / "client" / "ailedger"))


def binaries_present():
    return os.path.exists(AILEDGERD) and os.path.exists(AILEDGER)


class LocalLog:
    def __init__(self, origin, organisation="Acme AI", rules_version=2):
        self.origin, self.organisation = origin, organisation
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="ailedger-py-e2e-"))
        self.proc, self.address, self._out = None, None, []
        self.cli("keygen", "--name", origin, "--out", self.path("log.key"), server=False)
        self.cli("keygen", "--name", "admin", "--out", self.path("admin.key"), server=False)
        self.vkey = (self.dir / "log.key.pub").read_text().strip()
        self.cli("genesis", "--origin", origin, "--admin-key", self.path("admin.key"),
                 "--log-vkey", self.vkey, "--out", self.path("genesis.json"),
                 "--organisation", organisation, "--rules-version", str(rules_version),
                 server=False)
        self.run([AILEDGERD, "init", "--data", self.path("data"), "--genesis",
                  self.path("genesis.json"), "--log-key", self.path("log.key")])
        self.start()

    def path(self, name):
        return str(self.dir / name)

    @staticmethod
    def run(argv, check=True, stdin=None):
        r = subprocess.run(argv, capture_output=True, text=True, input=stdin, timeout=60)
        if check and r.returncode != 0:
            raise AssertionError(f"{' '.join(argv)} exited {r.returncode}: {r.stderr}")
        return r

    def cli(self, *args, check=True, server=True, stdin=None):
        argv = [AILEDGER, *args]
        if server and self.address:
            argv += ["--server", self.address]
        return self.run(argv, check=check, stdin=stdin)

    def start(self):
        self.proc = subprocess.Popen(
            [AILEDGERD, "serve", "--data", self.path("data"), "--log-key", self.path("log.key"),
             "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        found = threading.Event()

        def read():
            for line in self.proc.stdout:
                self._out.append(line)
                m = re.search(r"listening on (\S+):(\d+)", line)
                if m and not found.is_set():
                    self.address = f"127.0.0.1:{m.group(2)}"
                    found.set()
        threading.Thread(target=read, daemon=True).start()
        if not found.wait(30):
            self.stop()
            raise AssertionError("ailedgerd did not start: " + "".join(self._out))

    def grant(self, name, key_text=None, role="publisher", kind="service"):
        """Grants NAME.key (written from key_text, else made by keygen) through the CLI."""
        key = self.path(name + ".key")
        if key_text is not None:
            pathlib.Path(key).write_text(key_text)
            os.chmod(key, 0o600)
        else:
            self.cli("keygen", "--name", name, "--out", key, server=False)
        flags = ["--organisation", self.organisation, "--role", role, "--kind", kind]
        self.cli("key", "request", "--key", key, "--out", self.path(name + ".request"), *flags)
        self.cli("key", "grant", self.path(name + ".request"), "--key", self.path("admin.key"),
                 *flags)
        return key

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def close(self):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_until(pred, within=10.0):
    end = time.time() + within
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.1)
    return False
