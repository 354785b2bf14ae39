"""The release as printed, one anchored line each (`/release/<id>#L493`), so every citation in
the chat can open the very line it stands on.

A plain server-rendered page: no script, no outside fonts or images, light and dark alike.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

ROUTE = "release"  # the page lives at /release/<id>, beside the chat on the same server


@dataclass(frozen=True)
class ReleaseSummary:
    """What the chat header says about one loaded release: whose, which period, where to read it."""

    id: str
    title: str
    latest_period: str | None
    periods: int


def release_href(release: str, line: int | None = None) -> str:
    """A link relative to the chat page, so it works under any mount path or proxy prefix."""
    anchor = f"#L{line}" if line is not None else ""
    return f"{ROUTE}/{quote(release, safe='')}{anchor}"


def release_html(release: str, title: str, lines: Sequence[str]) -> str:
    """The whole release, line numbers as links to themselves, the target line highlighted."""
    width = len(str(len(lines)))
    rows = "\n".join(
        f'<span class="line" id="L{n}"><a href="#L{n}" class="n">{n:>{width}}</a>  '
        f"{html.escape(text.rstrip())}</span>"
        for n, text in enumerate(lines, start=1)
    )
    name = html.escape(title or release)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{name}</title>
<style>
:root {{ color-scheme: light dark; --bg: #ffffff; --fg: #1f2328; --dim: #6e7781;
  --hit: #fff3b0; --hit-fg: #1f2328; }}
@media (prefers-color-scheme: dark) {{
  :root {{ --bg: #0d1117; --fg: #e6edf3; --dim: #7d8590; --hit: #5a4a00; --hit-fg: #fff8d6; }}
}}
body {{ margin: 0; background: var(--bg); color: var(--fg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }}
header {{ padding: 12px 16px; border-bottom: 1px solid var(--dim); }}
header h1 {{ font-size: 17px; margin: 0 0 4px; }}
header p {{ margin: 0; color: var(--dim); font-size: 13px; }}
pre {{ margin: 0; padding: 8px 0 40vh; overflow-x: auto;
  font: 13px/1.5 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }}
.line {{ display: block; padding: 0 16px; white-space: pre; }}
.line:target {{ background: var(--hit); color: var(--hit-fg); }}
.n {{ color: var(--dim); text-decoration: none; user-select: none; }}
</style>
</head>
<body>
<header><h1>{name}</h1><p>Release <code>{html.escape(release)}</code>, {len(lines)} lines,
as ingested. Line numbers are the ones the chat cites.</p></header>
<pre>{rows}</pre>
</body>
</html>
"""


def not_found_html(release: str) -> str:
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Not found</title>'
        f"<p>No release <code>{html.escape(release)}</code> is loaded.</p></html>"
    )
