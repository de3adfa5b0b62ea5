from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "collections_app"
    verbose_name = "Collections"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .display_zone import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="dunwell_display_time_zone")
