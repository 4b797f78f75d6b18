"""Under the language prefix (site/urls.py): /<lang>/messages/…"""

from django.urls import path

from station_messages import views

app_name = "station_messages"

urlpatterns = [
    path("", views.answers, name="answers"),
    path("new/", views.message_form, name="new"),
    path("sent/", views.message_sent, name="sent"),
]
