"""Generates the gRPC stubs from ../../proto with protoc and grpc_python_plugin (Debian's
protobuf-compiler and protobuf-compiler-grpc) into the package while building, so that
`pip install --no-deps --no-build-isolation client/python` needs no package index."""
import os
import pathlib
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent
PROTO = HERE.parent.parent / "proto"


class BuildWithStubs(build_py):
    def run(self):
        super().run()
        out = pathlib.Path(self.build_lib)
        protoc = shutil.which("protoc")
        plugin = shutil.which("grpc_python_plugin")
        if not (protoc and plugin and PROTO.is_dir()):
            raise SystemExit("ailedger: needs protoc, grpc_python_plugin and proto/ "
                             f"(looked in {PROTO})")
        protos = [f"ailedger/{m}.proto" for m in ("event", "bundle", "ledger")]
        subprocess.run([protoc, "-I", str(PROTO), f"--python_out={out}",
                        f"--grpc_python_out={out}",
                        f"--plugin=protoc-gen-grpc_python={plugin}", *protos], check=True)


os.chdir(HERE)
setup(cmdclass={"build_py": BuildWithStubs})
