"""Import kinds that plug into `dashboard.importing.registry`."""
