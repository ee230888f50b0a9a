"""Every lint suppression in the repository's Python names its code and says why (part of `make lint`).

ruff (PGH004, RUF100) and mypy (ignore-without-code, warn_unused_ignores) already refuse blanket
and unused suppressions; neither asks for a reason. This does: after ``# noqa: CODE`` or
``# type: ignore[code]`` the same comment goes on with the reason, for example
``# noqa: E402 - imported after the hook on purpose`` or ``# type: ignore[arg-type]  # wrong on purpose``.

Usage: ``python tools/check_suppressions.py [PATH ...]`` (default: the Python files git knows);
prints ``file:line: ...`` for each suppression without a reason and exits 1 if there is one.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The suppression, then what follows it in the same comment: that is where the reason goes.
SUPPRESSION = re.compile(r"#\s*(?:noqa(?::\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)?|type:\s*ignore(?:\[[^\]]*\])?)"
                         r"(?P<rest>.*)$")
REASON = re.compile(r"^\s*(?:#|-|—|:)?\s*\w")


def comments(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of each comment: strings that merely mention noqa are not comments."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string


def unexplained(path: Path) -> Iterator[str]:
    for line, comment in comments(path.read_text(encoding="utf-8")):
        found = SUPPRESSION.search(comment)
        if found is not None and not REASON.match(found["rest"]):
            yield f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{line}: " \
                  f"suppression without a reason after it: {comment.strip()}"


def python_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or python_files()
    problems = [problem for path in paths for problem in unexplained(path)]
    for problem in problems:
        print(problem)
    print(f"suppressions: {len(problems)} without a reason" if problems else "suppressions: each one gives its reason")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
