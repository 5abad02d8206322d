"""``python -m tokenreach.scanner.cli``: the same as the ``tokenreach`` command."""

from tokenreach.scanner.cli.app import main

main()
