"""Progress bars for the commands that do the jobs' work: the same callbacks the jobs report to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A bar counting to `total`; yields the callback told how many are done so far."""
    with click.progressbar(length=max(total, 1), label=label, show_pos=True, show_percent=True) as bar:
        seen = 0

        def advance(done: int) -> None:
            nonlocal seen
            step = min(done, total) - seen
            if step > 0:
                bar.update(step)
                seen += step

        yield advance
        advance(total)
