"""A toy gateway for Kantech controllers, written against protolab's public API only."""

from toy_gateway.watcher import DoorWatcher

__all__ = ["DoorWatcher"]
