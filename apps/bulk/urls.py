from django.urls import path

from apps.bulk import views

app_name = "bulk"

urlpatterns = [
    path("", views.PushListView.as_view(), name="list"),
    path("new/", views.push_new, name="new"),
    path("<int:pk>/", views.push_detail, name="detail"),
    path("<int:pk>/progress/", views.push_progress, name="progress"),
    path("<int:pk>/retry/", views.push_retry, name="retry"),
]
