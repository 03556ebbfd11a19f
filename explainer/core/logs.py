"""The one collector of log records: MkDocs and Markdown speak only through `logging`, and the
build turns what they say into located problems (or, for a page's conversion, into "do not keep
this one") instead of letting it print."""

from __future__ import annotations

import logging
from types import TracebackType


class LogCollector(logging.Handler):
    """The records the named loggers emit at `level` or above while the `with` block runs.

    `keep_printing=False` holds them back from the console (the build reports them itself, at
    their file and line); `True` only listens, as when a page's conversion is watched for any
    word at all."""

    def __init__(self, *names: str, level: int = logging.WARNING, keep_printing: bool = False) -> None:
        super().__init__(level=level)
        self.names = names
        self.keep_printing = keep_printing
        self.records: list[logging.LogRecord] = []
        self._propagate: dict[str, bool] = {}

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def messages(self) -> list[str]:
        return [record.getMessage() for record in self.records]

    def __enter__(self) -> LogCollector:
        for name in self.names:
            logger = logging.getLogger(name)
            logger.addHandler(self)
            if not self.keep_printing:
                self._propagate[name], logger.propagate = logger.propagate, False
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        for name in self.names:
            logger = logging.getLogger(name)
            logger.removeHandler(self)
            if name in self._propagate:
                logger.propagate = self._propagate.pop(name)
