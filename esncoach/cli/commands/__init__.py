"""One module per subcommand; discovered by ``esncoach.cli.build_parser``."""
