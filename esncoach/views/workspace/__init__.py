"""The workspace file itself: welcome, passphrase, backups, archives and the Data menu."""
