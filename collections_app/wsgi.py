import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")
application = get_wsgi_application()

# What start-up loaded (Django, the apps, the rule packs) lives as long as the process. Frozen,
# the garbage collector's full collections stop walking it: unfrozen they cost 20-60 ms each,
# landing on whichever request happens to trigger one (see bench/bench_queue.py).
gc.freeze()
