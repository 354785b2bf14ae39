"""A resource used in a `with` block and closed on the way out, whatever happened there: the
passage stores, the ingest progress bar."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Closing:
    """`with X(...) as x:` gives `x` and calls `x.close()` at the end."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
