"""A cap on the PDFs rendered at the same time on one machine, whatever the number of processes (web
workers and job consumers): each render holds one of PORTAL_RENDER_SLOTS lock files in the instance
folder (an advisory `flock`, released by the system if the process dies)."""

from __future__ import annotations

import fcntl
import time
from pathlib import Path
from typing import IO

from flask import current_app


class Busy(RuntimeError):
    """Every render slot of this machine is taken."""


class RenderSlot:
    """`with RenderSlot(folder, slots, wait=…):` holds a slot for the block; Busy if none frees up in
    time (`wait=0`: do not wait at all)."""

    def __init__(self, folder: Path, slots: int, wait: float = 0.0):
        self.folder, self.slots, self.wait = folder, slots, wait
        self.handle: IO | None = None

    def _try_once(self) -> bool:
        for index in range(self.slots):
            handle = (self.folder / f"render-{index}.lock").open("a+")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            self.handle = handle
            return True
        return False

    def __enter__(self) -> RenderSlot:
        self.folder.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.wait
        while not self._try_once():
            if time.monotonic() >= deadline:
                raise Busy("every render slot is taken")
            time.sleep(0.1)
        return self

    def __exit__(self, *_exc) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def render_slot(wait: float = 0.0) -> RenderSlot:
    """A slot of this machine, as the app's settings say."""
    settings = current_app.config["PORTAL_SETTINGS"]
    return RenderSlot(settings.instance_dir / "render-slots", settings.render_slots, wait)
