"""One module per ``werobot`` command (``menu`` and ``token`` share ``api``)."""
