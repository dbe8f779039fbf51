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

    @staticmethod
    def spawn(argv, out):
        """Starts a server that prints "listening on HOST:PORT"; (process, address)."""
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        found, address = threading.Event(), []

        def read():
            for line in proc.stdout:
                out.append(line)
                m = re.search(r"listening on (\S+):(\d+)", line)
                if m and not found.is_set():
                    address.append(f"127.0.0.1:{m.group(2)}")
                    found.set()
        threading.Thread(target=read, daemon=True).start()
        if not found.wait(30):
            proc.kill()
            proc.wait()
            raise AssertionError(f"{argv[0]} did not start: " + "".join(out))
        return proc, address[0]

    def start(self, *extra):
        self.address = None
        self.proc, self.address = self.spawn(
            [AILEDGERD, "serve", "--data", self.path("data"), "--log-key", self.path("log.key"),
             "--listen", "127.0.0.1:0", *extra], self._out)

    def start_witness(self, name="w.example/w1"):
        """`ailedger witness serve` cosigning this log, and ailedgerd restarted to submit to
        it every 100 ms. The witness's verifier key."""
        self.cli("keygen", "--name", name, "--cosigner", "--out", self.path("w.key"),
                 server=False)
        wvkey = (self.dir / "w.key.pub").read_text().strip()
        self.witness, waddr = self.spawn(
            [AILEDGER, "witness", "serve", "--key", self.path("w.key"), "--log-vkey", self.vkey,
             "--state", self.path("witness-state"), "--listen", "127.0.0.1:0"], [])
        self.stop()
        self.start("--witness", f"http://{waddr}={wvkey}", "--witness-interval-ms", "100")
        return wvkey

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

    @staticmethod
    def _end(proc):
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop(self):
        self._end(self.proc)

    def close(self):
        self.stop()
        self._end(getattr(self, "witness", None))
        shutil.rmtree(self.dir, ignore_errors=True)


def wait_until(pred, within=10.0):
    end = time.time() + within
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.1)
    return False
