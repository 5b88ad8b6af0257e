"""The portal's storage: every SQL statement the portal runs lives in this package.

SQLite today (WAL; one transaction per received batch). The statements are plain SQL with
``?`` parameters and no SQLite-only functions outside ``schema.py``, so moving to
SQLAlchemy/PostgreSQL (the web interface's issue) replaces this package, not its callers.
"""

from ekm_proto.portal.store.database import PortalStore

__all__ = ["PortalStore"]
