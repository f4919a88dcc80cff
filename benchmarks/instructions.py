"""App instructions per request of one page, counted by valgrind: a repeatable A/B on a noisy machine.

CPU time per request swings by tens of percent between runs here; instruction counts do not
(callgrind counts the same total for the same program and inputs, whatever else the machine
is doing). This runs `benchmarks/cpu_per_request.py` under `valgrind --tool=callgrind` twice,
with few and with more requests, and divides the difference by the extra requests, so start-up
and warm-up cancel out. Only the app's process is counted, not PostgreSQL's (see
cpu_per_request.py for that). Needs Debian's valgrind; takes a few minutes (valgrind runs
Python some fifty times slower). Not a PERFORMANCE.md figure.

    .venv/bin/python -m benchmarks.instructions --path /team
    BENCH_APP_ROOT=/tmp/base-tree .venv/bin/python -m benchmarks.instructions --path /team   # the other side
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def instructions(path: str, role: str, size: str, requests: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "callgrind.out")
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, "-m",
                   "benchmarks.cpu_per_request", "--size", size, "--path", path, "--role", role,
                   "--requests", str(requests), "--clients", "2"]
        # A fixed hash seed: Python's string hashing is randomised per process otherwise.
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        with open(out) as f:
            return int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/team")
    parser.add_argument("--role", choices=["supervisor", "worker"], default="supervisor")
    parser.add_argument("--size", choices=["small", "municipality", "national"], default="national")
    parser.add_argument("--few", type=int, default=30)
    parser.add_argument("--more", type=int, default=90)
    args = parser.parse_args()
    few = instructions(args.path, args.role, args.size, args.few)
    more = instructions(args.path, args.role, args.size, args.more)
    app_root = os.environ.get("BENCH_APP_ROOT", ROOT)
    print(f"{app_root} {args.path} ({args.size}): {(more - few) // (args.more - args.few):,} instructions per request "
          f"(app process only; {args.more} - {args.few} requests)")


if __name__ == "__main__":
    main()
