"""The exception tree.

Every error a *user* can cause (a bad seed, a bad annotation, a bad setting) is a
:class:`DigestError`. The CLI prints those as one clear line and never shows a
traceback; anything else is a bug in Digest and is allowed to crash loudly.

    DigestError
    ├── ConfigError        a setting in digest.yml is wrong (names the key)
    ├── SeedError          a seed cannot be read or makes no document (names the file)
    ├── AnnotationError    a file in annotations/ is malformed (names file and line)
    └── BuildError         the build cannot complete (e.g. a published URL would vanish)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class DigestError(Exception):
    """Base class for errors caused by the user's input or settings."""


class ConfigError(DigestError):
    def __init__(self, key: str, message: str, file: str | Path = "digest.yml") -> None:
        self.key, self.file = key, str(file)
        super().__init__(f"Config value '{key}' in {self.file}: {message}")


class SeedError(DigestError):
    def __init__(self, file: str | Path, message: str, line: int | None = None) -> None:
        self.file, self.line, self.message = str(file), line, message
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"Error reading seed '{where}': {message}")

    def __reduce__(self) -> tuple[type[SeedError], tuple[str, str, int | None]]:
        return (SeedError, (self.file, self.message, self.line))  # pickled: from a worker process


class AnnotationError(DigestError):
    def __init__(self, file: str | Path, message: str, line: int | None = None) -> None:
        self.file, self.line = str(file), line
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"Error in annotation '{where}': {message}")


class BuildError(DigestError):
    pass


@dataclass(frozen=True)
class Warning_:
    """A non-fatal problem, counted by the build; ``--strict`` turns any into failure."""

    source: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"
