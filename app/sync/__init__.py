"""Offline-first sync with the county server (docs/sync-protocol.md): outbox, HTTP client, runner.

No widgets here; the window drives `SyncRunner` from a worker thread.
"""
