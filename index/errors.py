"""Named errors that every interface turns into one plain sentence."""

from __future__ import annotations


class BotError(Exception):
    """Base class: the message is written for the person who caused it."""


class MalformedRelease(BotError):
    """The release cannot be parsed into exact facts; names the line at fault."""

    def __init__(self, message: str, line: int | None = None, path: str | None = None) -> None:
        self.line = line
        self.path = path
        where = ""
        if path:
            where += f"{path}"
        if line is not None:
            where += f"{':' if where else 'line '}{line}"
        super().__init__(f"{where}: {message}" if where else message)


class IndexMissing(BotError):
    """No usable index at the configured folder; tells the user how to build one."""


class IndexCorrupt(BotError):
    """The index folder exists but cannot be read; names the file at fault."""


class BadQuestion(BotError):
    """The question cannot be answered as asked (empty, too long, binary)."""


class IndexBusy(BotError):
    """Another ingest holds the index's lock for longer than this one will wait."""


class BadSetting(BotError):
    """An environment variable holds a value the bot cannot use; names the variable."""


class ReleaseRefused(BotError):
    """Ingest will not take a release as it stands (failed audit, far fewer facts than the one it
    replaces); says which flag lets a person take it anyway."""


class UnknownRelease(BotError):
    """A command names a release the index does not hold; lists the ones it does."""
