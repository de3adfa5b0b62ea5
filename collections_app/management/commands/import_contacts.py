from collections_app.importing import import_contacts

from ._importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import contact history from a previous system (loan_ref, channel, at, outcome, destination)."
    importer = staticmethod(import_contacts)
