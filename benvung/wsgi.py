"""WSGI entry point (gunicorn benvung.wsgi, waitress in `benvung serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benvung.settings")
application = get_wsgi_application()
