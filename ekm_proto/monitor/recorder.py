"""Batches on their way to the database: collected as devices are read, committed together
(one transaction for many batches), at most ``max_pending`` or one flush interval late."""

from __future__ import annotations

from ekm_proto.monitor.batch import Batch
from ekm_proto.monitor.store import MonitorStore


class Recorder:
    def __init__(self, store: MonitorStore, max_pending: int = 500) -> None:
        self.store = store
        self.max_pending = max_pending
        self.pending: list[Batch] = []
        self.batches = 0
        self.messages = 0

    def add(self, batch: Batch) -> None:
        if not batch.statements:
            return
        self.pending.append(batch)
        if len(self.pending) >= self.max_pending:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        self.store.commit(pending)
        self.batches += len(pending)
        self.messages += sum(b.messages for b in pending)
