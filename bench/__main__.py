"""``python -m bench NAME [--quick]`` runs bench/NAME.py; ``all`` runs every one."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

# load_shape and load_work are parts of bench/load.py, not benchmarks of their own.
EXCLUDE = {"common", "settings", "urls", "__main__", "load_shape", "load_work"}


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name not in EXCLUDE)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", choices=[*available(), "all"])
    parser.add_argument("--quick", action="store_true", help="smaller data and fewer rounds (smoke run)")
    args = parser.parse_args(argv)
    from bench.common import setup_django

    setup_django()
    names = available() if args.name == "all" else [args.name]
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        path = module.run(quick=args.quick)
        print(f"{name}: {path}")
        print(Path(path).read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
