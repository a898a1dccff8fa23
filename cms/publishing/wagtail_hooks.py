"""Admin for webhooks: endpoints (Settings → Webhooks) and their delivery log."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from cms.publishing import tasks
from cms.publishing.forms import WebhookEndpointForm
from cms.publishing.models import WebhookDelivery, WebhookEndpoint

# Webhooks: endpoints (Settings → Webhooks) and their delivery log.


class WebhookEndpointCreateView(generic.CreateView):
    def save_action(self):
        return secret_once(self.request, self.object, self.form.new_secret)


class WebhookEndpointEditView(generic.EditView):
    def save_action(self):
        if self.form.new_secret:
            return secret_once(self.request, self.object, self.form.new_secret)
        return super().save_action()


def secret_once(request, endpoint, secret):
    """Show a new secret on this one page only: never stored in a message or
    cookie, never shown again (the edit form shows its last four characters)."""
    response = TemplateResponse(
        request,
        "publishing/webhooks/secret.html",
        {
            "page_title": f"Secret for {endpoint.name}",
            "header_icon": "key",
            "endpoint": endpoint,
            "secret": secret,
            "done_url": reverse("webhook_endpoints:index"),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


class WebhookEndpointIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission(self.request.user, "change"):
            url = reverse("webhook_endpoints:send_test", args=[instance.pk])
            buttons.append(MenuItem("Send test", url=url, icon_name="mail"))
        return buttons


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    name = "webhook_endpoints"
    icon = "link-external"
    menu_label = "Webhooks"
    add_to_settings_menu = True
    index_view_class = WebhookEndpointIndexView
    add_view_class = WebhookEndpointCreateView
    edit_view_class = WebhookEndpointEditView
    list_display = ["name", "url", "is_active", "masked_secret"]
    list_filter = ["is_active"]

    def get_form_class(self, for_update=False):
        return WebhookEndpointForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/send-test/", self.send_test_view, name="send_test"),
        ]

    def send_test_view(self, request, pk):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
        if request.method == "POST":
            tasks.send_test(endpoint)
            if endpoint.is_active:
                messages.success(
                    request,
                    f"A test notice is on its way to {endpoint.name}. "
                    "See how it went under Settings → Webhook deliveries.",
                )
            else:
                messages.warning(request, paused_message(endpoint, "The test notice"))
            return redirect("webhook_deliveries:index")
        return confirm(
            request,
            title=f"Send a test notice to {endpoint.name}",
            message=f"A signed test notice will be sent to {endpoint.url}.",
            button_label="Send test",
            cancel_url=reverse("webhook_endpoints:index"),
        )


def paused_message(endpoint, what: str) -> str:
    return (
        f"Sending to {endpoint.name} is paused. {what} waits in the delivery log "
        "and is sent when “Sending” is ticked again for the endpoint."
    )


def confirm(request, *, title, message, button_label, cancel_url):
    return TemplateResponse(
        request,
        "publishing/webhooks/confirm.html",
        {
            "page_title": title,
            "header_icon": "mail",
            "message": message,
            "button_label": button_label,
            "cancel_url": cancel_url,
        },
    )


class DeliveryLogPermissionPolicy(ModelPermissionPolicy):
    """The log is written by the system: people may read it, never edit it."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class WebhookDeliveryIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if endpoint_policy.user_has_permission(self.request.user, "change"):
            url = reverse("webhook_deliveries:redeliver", args=[instance.pk])
            buttons.append(MenuItem("Redeliver", url=url, icon_name="resubmit"))
        return buttons


endpoint_policy = ModelPermissionPolicy(WebhookEndpoint)
delivery_policy = DeliveryLogPermissionPolicy(WebhookDelivery)
register_permission_policy(WebhookDelivery, delivery_policy)


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    name = "webhook_deliveries"
    icon = "history"
    menu_label = "Webhook deliveries"
    add_to_settings_menu = True
    index_view_class = WebhookDeliveryIndexView
    inspect_view_enabled = True
    list_display = [
        "event",
        "endpoint",
        "status",
        "response_code",
        "attempts",
        "last_error",
        "created_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    form_fields = []

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/redeliver/", self.redeliver_view, name="redeliver"),
        ]

    def redeliver_view(self, request, pk):
        if not endpoint_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        delivery = get_object_or_404(WebhookDelivery, pk=pk)
        if request.method == "POST":
            tasks.redeliver(delivery)
            if delivery.endpoint.is_active:
                messages.success(request, f"Sending again: {delivery}.")
            else:
                messages.warning(request, paused_message(delivery.endpoint, "It"))
            return redirect("webhook_deliveries:index")
        return confirm(
            request,
            title="Send this notice again",
            message=(
                f"{delivery} will be sent again, with a fresh signature and a "
                "new set of retries. Receivers may see it twice."
            ),
            button_label="Redeliver",
            cancel_url=reverse("webhook_deliveries:index"),
        )


@hooks.register("register_admin_viewset")
def register_webhook_viewsets():
    return [WebhookEndpointViewSet(), WebhookDeliveryViewSet()]
