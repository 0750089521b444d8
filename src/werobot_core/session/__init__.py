"""Session storage: one ``dict`` per user, kept between that user's messages.

Backends live in ``werobot_core.session.<name>storage`` (``sqlitestorage``,
``filestorage``, ``memorystorage``, ``redisstorage``, ``mysqlstorage``,
``postgresqlstorage``, ``mongodbstorage``), as in WeRoBot.
"""

from werobot_core.session.base import SessionStorage

__all__ = ["SessionStorage"]
