"""The generated stubs are those of the protos in this checkout (./build.sh generates them on every build)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def test_generated_stubs_match_the_protos() -> None:
    run = subprocess.run([sys.executable, str(HERE / "generate_stubs.py"), "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "match the protos" in run.stdout


def test_a_stub_edited_by_hand_fails_the_check(tmp_path: Path) -> None:
    target = HERE / "agentcluster" / "v1" / "grants_pb2.py"
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\n# edited by hand\n")
        run = subprocess.run([sys.executable, str(HERE / "generate_stubs.py"), "--check"], capture_output=True, text=True)
    finally:
        target.write_bytes(original)
    assert run.returncode == 1
    assert "out of date" in run.stderr


def test_the_package_is_typed() -> None:
    assert (HERE / "agentcluster" / "py.typed").is_file()
