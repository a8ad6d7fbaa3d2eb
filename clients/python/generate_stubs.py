#!/usr/bin/python3
"""Generates the gRPC stubs of ``Protos/agentcluster/v1/*.proto`` into ``agentcluster/v1/``.

The stubs are never committed (``.gitignore``): ``./build.sh`` runs this on every build and test,
so they cannot drift from the protos. ``--check`` regenerates into a scratch folder and fails when
what is in ``agentcluster/v1/`` differs (stale or edited by hand), without touching it.
"""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROTOS = HERE.parent.parent / "Protos"
TARGET = HERE / "agentcluster" / "v1"
PLUGIN = shutil.which("grpc_python_plugin") or "/usr/bin/grpc_python_plugin"
INIT = '"""Generated from Protos/agentcluster/v1 by clients/python/generate_stubs.py; do not edit."""\n'


def generate(into: Path) -> list[str]:
    """Runs protoc with the gRPC Python plugin; returns the names of the files written under ``into``."""
    protoc = shutil.which("protoc")
    if protoc is None or not Path(PLUGIN).exists():
        sys.exit("generate_stubs: protoc and grpc_python_plugin are needed "
                 "(apt-get install -y protobuf-compiler protobuf-compiler-grpc libprotobuf-dev)")
    protos = sorted(p.relative_to(PROTOS).as_posix() for p in (PROTOS / "agentcluster" / "v1").glob("*.proto"))
    subprocess.run([protoc, f"-I{PROTOS}", f"--python_out={into}", f"--pyi_out={into}", f"--grpc_python_out={into}",
                    f"--plugin=protoc-gen-grpc_python={PLUGIN}", *protos], check=True)
    out = into / "agentcluster" / "v1"
    (out / "__init__.py").write_text(INIT)
    return sorted(p.name for p in out.iterdir() if p.is_file())


def main() -> int:
    check = "--check" in sys.argv[1:]
    with tempfile.TemporaryDirectory() as scratch:
        names = generate(Path(scratch))
        fresh = Path(scratch) / "agentcluster" / "v1"
        if check:
            have = sorted(p.name for p in TARGET.glob("*") if p.is_file()) if TARGET.is_dir() else []
            _, differ, missing = filecmp.cmpfiles(fresh, TARGET, names, shallow=False)
            extra = sorted(set(have) - set(names))
            if differ or missing or extra:
                print(f"generate_stubs: {TARGET} is out of date with {PROTOS} (differ: {differ}, missing: {missing}, "
                      f"extra: {extra}): run clients/python/generate_stubs.py", file=sys.stderr)
                return 1
            print(f"generate_stubs: {len(names)} files in {TARGET} match the protos")
            return 0
        if TARGET.exists():
            shutil.rmtree(TARGET)
        shutil.copytree(fresh, TARGET)
    print(f"generate_stubs: {len(names)} files written to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
