"""`python -m clusterkit`: the command line."""

from clusterkit.cli import main

raise SystemExit(main())
