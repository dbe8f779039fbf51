import os
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
BUILD = pathlib.Path(os.environ.get("AILEDGER_BUILD_DIR", ROOT / "build"))
