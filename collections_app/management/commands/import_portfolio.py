from collections_app.importing import import_portfolio

from ._importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import loans and debtors (CSV or JSON Lines); all or nothing."
    importer = staticmethod(import_portfolio)
