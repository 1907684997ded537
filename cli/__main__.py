"""`python -m cli`: the same as the `pacer` command."""

from cli.main import main

main()
