"""Write a capture into a policy file's ``[capture] text``, byte for byte.

Usage: python tools/embed_capture.py CAPTURE.txt POLICY.toml

The policy file must end with a ``[capture]`` table whose last key is ``text``; everything
from ``text = '''`` to the end of the file is replaced. Used when a vendor's capture changes.
"""

import sys
from pathlib import Path


def main() -> None:
    capture, policy = Path(sys.argv[1]), Path(sys.argv[2])
    text = capture.read_text(encoding="utf-8")
    if "'''" in text:
        sys.exit(f"{capture}: contains ''' and cannot be embedded as a TOML literal string")
    head, marker, _ = policy.read_text(encoding="utf-8").partition("text = '''")
    if not marker:
        sys.exit(f"{policy}: expected a line \"text = '''\" in its [capture] table")
    policy.write_text(f"{head}text = '''\n{text}'''\n", encoding="utf-8")


if __name__ == "__main__":
    main()
