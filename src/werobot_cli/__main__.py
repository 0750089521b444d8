"""``python -m werobot_cli``: the ``werobot`` command."""

from werobot_cli.main import main

main()
