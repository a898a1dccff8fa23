"""``/api/v3/services/`` and ``/api/v3/consultation/``: the home app's API.

``/api/v3/services/``: service cards, one service's full content, by id or path.

``/api/v3/consultation/``: the consultation form for a headless frontend.

``GET`` describes the live form (its questions, consent wording and honeypot)
so a frontend renders it without reading HTML. ``POST`` sends a request
through the very code the HTML form uses: the page's own form class
(``ConsultationFormPage.get_form``), its consent, contact and honeypot rules
(``home/consultation.py``), the same rate limit counter per client address
(``cms/core/limits.py``, group ``consultation``) and the same
``process_form_submission``, so a request stored from the API cannot differ
from one sent from the page.

Privacy: a request is health information (``docs/privacy.md``). Nothing
posted is logged or sent back: the 201 says only "received", and error
messages name fields, never values.

Origins: only browsers on the site's own origin or ``CORS_ALLOWED_ORIGINS``
may post. A request without an ``Origin`` header is refused too: modern
browsers always send one with a POST, so its absence means a server is
posting on visitors' behalf, and then every visitor would share the server's
address, and its rate limit (5 an hour for the whole site). The ``Origin``
check is not authentication (any script can claim an origin): it keeps other
sites' pages from posting in their visitors' names; the rate limit and the
honeypot deal with scripts.

There is only one consultation page (``max_count = 1``); both endpoints use
it when it is live and public on the request's site, and answer 404
otherwise.
"""

import json

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Router
from pydantic import ValidationError
from wagtail.api.v3.auth import AllowAnonymous
from wagtail.api.v3.errors import problem_response
from wagtail.rich_text import expand_db_html

from cms.api.routers import ContentType, content_router
from cms.core import limits
from cms.core.models import ClinicSettings
from cms.core.sites import request_site
from home import consultation
from home.models import ConsultationFormPage, ServicePage
from home.schemas import (
    ConsultationFieldError,
    ConsultationFieldSchema,
    ConsultationFormSchema,
    ConsultationProblem,
    ConsultationReceived,
    ConsultationRequest,
    ServiceCardSchema,
    ServiceFilters,
)

router = content_router(
    ContentType(
        singular="service",
        plural="services",
        model=ServicePage,
        card_schema=ServiceCardSchema,
        filters=ServiceFilters,
        example_path="/services/iv-ketamine/",
    )
)


PATH = "/api/v3/consultation/"
#: What the landing page says when editors wrote no thank-you text.
DEFAULT_THANKS = "<p>We will contact you soon.</p>"
#: Messages of Django validators that would repeat the visitor's answer.
ECHOING_MESSAGES = {
    "invalid_choice": "Choose one of the answers offered for this question.",
}
PROBLEM_JSON = "application/problem+json"
COMPONENTS_REF = "#/components/schemas/{model}"

consultation_router = Router(tags=["consultation"], auth=[AllowAnonymous()])


def live_form_page(request: HttpRequest) -> ConsultationFormPage:
    """The site's one live, public consultation page, or 404."""
    site = request_site(request)
    pages = ConsultationFormPage.objects.live().public()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    page = pages.first()
    if page is None:
        raise Http404("This site has no live consultation form.")
    return page


def own_origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def origin_refusal(request: HttpRequest) -> HttpResponse | None:
    """403 unless the request comes from a browser on an allowed origin."""
    origin = request.headers.get("Origin")
    if origin is None:
        return problem_response(
            status=403,
            detail="Send consultation requests from the visitor's browser: "
            "requests without an Origin header are refused, since a server "
            "posting for its visitors would put them all behind one address's "
            "rate limit.",
        )
    if origin == own_origin(request) or origin in settings.CORS_ALLOWED_ORIGINS:
        return None
    return problem_response(
        status=403,
        detail="This origin may not send consultation requests. Allowed "
        "origins are set with CORS_ALLOWED_ORIGINS.",
    )


def too_many_requests(request: HttpRequest, limited: limits.Limited) -> HttpResponse:
    """The HTML form's 429 refusal, as a problem: wait, or phone the clinic."""
    minutes = consultation.retry_minutes(limited)
    phone = ClinicSettings.for_request(request).phone
    detail = (
        "You have sent several requests in a short time. Please wait about "
        f"{minutes} minute{'s' if minutes > 1 else ''}"
        f"{f', or call us on {phone}' if phone else ''}. Your last request was "
        "not sent, so nothing you typed has been kept."
    )
    response = problem_response(status=429, detail=detail)
    response["Retry-After"] = str(limited.retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


def validation_problem(errors: list[dict]) -> HttpResponse:
    return problem_response(status=422, detail="Validation failed", errors=errors)


def read_request(request: HttpRequest, page) -> ConsultationRequest | HttpResponse:
    """The typed request body, or the 4xx problem saying what is wrong with it.

    ``APIGuardMiddleware`` has already refused bodies that are not JSON
    objects; this refuses form encodings and an empty body, then validates
    the shape. Pydantic's errors carry no input; a key the form does not have
    is reported without repeating it.
    """
    if request.content_type in (
        "multipart/form-data",
        "application/x-www-form-urlencoded",
    ):
        return problem_response(
            status=415, detail="Send the request body as application/json."
        )
    if not request.body:
        return problem_response(
            status=400, detail='Send the request as a JSON object: {"answers": …}.'
        )
    names = answer_names(page)
    try:
        payload = ConsultationRequest.model_validate(json.loads(request.body))
    except ValidationError as error:
        return validation_problem(
            [pydantic_error(item, names) for item in error.errors(include_url=False)]
        )
    unknown = set(payload.answers) - set(names)
    if unknown:
        return validation_problem(
            [
                {
                    "type": "unknown_field",
                    "loc": ["body", "answers"],
                    "msg": f"{len(unknown)} answer(s) under a name this form does "
                    f"not have. Its fields are: {', '.join(names)}.",
                }
            ]
        )
    return payload


def answer_names(page) -> list[str]:
    return [field.clean_name for field in page.get_form_fields()]


def pydantic_error(item: dict, names: list[str]) -> dict:
    loc = list(item["loc"])
    if loc[:1] == ["answers"] and len(loc) > 1 and loc[1] not in names:
        loc = loc[:1]  # a key the visitor's client made up: not repeated
    return {"type": item["type"], "loc": ["body", *loc], "msg": item["msg"]}


def form_errors(form) -> list[dict]:
    """The form's errors keyed like the request body, without the answers."""
    errors = []
    for name, field_errors in form.errors.as_data().items():
        if name == NON_FIELD_ERRORS:
            loc = ["body"]
        elif name in (consultation.CONSENT_FIELD, consultation.HONEYPOT_FIELD):
            loc = ["body", name]
        else:
            loc = ["body", "answers", name]
        for error in field_errors:
            code = error.code or "invalid"
            if code in ECHOING_MESSAGES:
                message = ECHOING_MESSAGES[code]
            else:
                message = next(iter(error))
            errors.append({"type": code, "loc": loc, "msg": message})
    return errors


def describe(request: HttpRequest, page: ConsultationFormPage) -> dict:
    form = page.get_form(page=page, user=request.user)
    fields = []
    for field in page.get_form_fields():
        form_field = form.fields[field.clean_name]
        fields.append(
            ConsultationFieldSchema(
                name=field.clean_name,
                label=field.label,
                type=field.field_type,
                required=form_field.required,
                help_text=field.help_text,
                choices=[str(value) for value, _ in getattr(form_field, "choices", [])],
                default_value=field.default_value or "",
                max_length=getattr(form_field, "max_length", None),
            )
        )
    return {
        "id": page.pk,
        "title": page.title,
        "intro": expand_db_html(page.intro or ""),
        "privacy_note": page.privacy_note,
        "fields": fields,
        "contact_fields": form.contact_fields(),
        "consent": {
            "name": consultation.CONSENT_FIELD,
            "label": form.fields[consultation.CONSENT_FIELD].label,
            "required": True,
        },
        "honeypot": {
            "name": consultation.HONEYPOT_FIELD,
            "label": form.fields[consultation.HONEYPOT_FIELD].label,
        },
        "submit_url": PATH,
    }


def problem_content() -> dict:
    return {
        PROBLEM_JSON: {
            "schema": {"$ref": COMPONENTS_REF.format(model="ConsultationProblem")}
        }
    }


POST_DOCUMENTATION = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"$ref": COMPONENTS_REF.format(model="ConsultationRequest")}
            }
        },
    },
    "responses": {
        status: {"description": description, "content": problem_content()}
        for status, description in {
            400: "The body is empty or not JSON.",
            403: "Not sent from a browser on an allowed origin (no or another "
            "`Origin`).",
            404: "The site has no live consultation form.",
            415: "The body is not `application/json`.",
            422: "An answer, the consent or the request's shape is invalid; "
            "`errors` names each field. Nothing was stored.",
            429: "Too many requests from this address (shared with the HTML "
            "form); see `Retry-After`. Nothing was stored.",
        }.items()
    },
}


@consultation_router.get(
    "/",
    response=ConsultationFormSchema,
    openapi_extra={
        "responses": {
            404: {
                "description": "The site has no live consultation form.",
                "content": problem_content(),
            }
        }
    },
    url_name="consultation_form",
    operation_id="consultation_form",
    summary="The consultation form: its questions, consent wording and honeypot",
)
def consultation_form(request: HttpRequest):
    return describe(request, live_form_page(request))


@consultation_router.post(
    "/",
    response={201: ConsultationReceived},
    url_name="consultation_request",
    operation_id="consultation_request",
    summary="Send a consultation request (browsers on allowed origins only)",
    openapi_extra=POST_DOCUMENTATION,
)
def consultation_request(request: HttpRequest):
    refused = origin_refusal(request)
    if refused is not None:
        return refused
    page = live_form_page(request)
    # Every attempt counts, valid or not, as on the HTML form (same counter).
    limited = limits.hit(request, consultation.RATE_LIMIT_GROUP)
    if limited:
        return too_many_requests(request, limited)
    payload = read_request(request, page)
    if isinstance(payload, HttpResponse):
        return payload
    data = {
        **payload.answers,
        consultation.CONSENT_FIELD: payload.consent,
        consultation.HONEYPOT_FIELD: payload.website,
    }
    form = page.get_form(data, page=page, user=request.user)
    if not form.is_valid():
        return validation_problem(form_errors(form))
    # Spam (the honeypot filled) is thanked the same way and stored nowhere.
    page.process_form_submission(form)
    received = ConsultationReceived(
        status="received",
        message=expand_db_html(page.thank_you_text or "") or DEFAULT_THANKS,
    )
    response = JsonResponse(received.model_dump(), status=201)
    response["Cache-Control"] = "private, no-store"
    return response


def with_request_schemas(document: dict) -> dict:
    """Add the schemas the POST's documentation refers to.

    The POST reads its own body (after the origin and rate checks, so every
    attempt counts before anything is parsed), so Ninja does not see its
    request or problem types; they are added here, as components, so that
    generated clients name them (and ``cms/api/guards.py`` knows the body's
    field names).
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (ConsultationRequest, ConsultationProblem, ConsultationFieldError):
        schema = model.model_json_schema(ref_template=COMPONENTS_REF)
        for name, definition in schema.pop("$defs", {}).items():
            schemas.setdefault(name, definition)
        schemas[model.__name__] = schema
    return document


def install_consultation_schemas(api) -> None:
    """Serve ``api``'s document with the POST's schemas (before its URLs are read)."""
    generate = api.get_openapi_schema

    def get_openapi_schema(*, path_prefix=None, path_params=None):
        return with_request_schemas(
            generate(path_prefix=path_prefix, path_params=path_params)
        )

    api.get_openapi_schema = get_openapi_schema
