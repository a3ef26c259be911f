from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "benvung.tasks"
    label = "tasks"
    verbose_name = "Nhiệm vụ của kế hoạch"
