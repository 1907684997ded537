"""`python -m cli`: the same as the `pacer` command, exit status included."""

from cli.main import main

raise SystemExit(main())
