from importlib.util import find_spec

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.accounts.views import LoginView
from apps.fleet.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/", include("apps.accounts.urls")),
    path("fleet/", include("apps.fleet.urls")),
    path("vouchers/", include("apps.vouchers.urls")),
    path("certificates/", include("apps.certificates.urls")),
    path("bulk/", include("apps.bulk.urls")),
    path("audit/", include("apps.audit.urls")),
    path("admin/", admin.site.urls),
]

# The REST API (apps/api) joins when its URL module exists.
if find_spec("apps.api.urls"):
    urlpatterns.append(path("api/", include("apps.api.urls")))
