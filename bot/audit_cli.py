"""`bot audit [PATH] [--json]`: the tie-out report of one release, and an exit code scripts use.

Exit 0 when every check passes (skipped checks and unsourced prose figures are not failures),
1 when a check fails, 2 when the release cannot be read at all.
"""

from __future__ import annotations

import sys
from pathlib import Path

from index.audit import audit
from index.config import Settings
from index.errors import MalformedRelease
from index.release import read_release


def run_audit_command(path: Path | None, as_json: bool) -> int:
    """Audit `path` (default: the configured release) and print the report as text or JSON."""
    target = path if path is not None else Settings.from_env().release
    try:
        parsed = read_release(target)
    except MalformedRelease as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    report = audit(parsed)
    sys.stdout.write((report.to_json() if as_json else report.to_text()) + "\n")
    sys.stdout.flush()
    return 0 if report.ok else 1
