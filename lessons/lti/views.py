"""The LTI pages: OIDC login, launch, Thaw's JWKS, the deep-linking picker, and the
curators' platform registration (lessons/lti explains the flow; docs/lti.md the set-up)."""

from __future__ import annotations

import logging

from django.contrib.auth import login
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lessons.lti import deep_linking, registration, roster
from lessons.lti.forms import PickForm, PlatformForm
from lessons.lti.framing import allow_framing, origin_of, remember_lms
from lessons.lti.launch import (
    LAUNCH_SESSION_KEY,
    LaunchRefused,
    frame_origins,
    log_refusal,
    restored_launch,
    sign_in,
    validated_launch,
)

logger = logging.getLogger("thaw.lti")
MANAGE = "lessons.manage_lti_platforms"


def _refused(request: HttpRequest, refusal: LaunchRefused) -> HttpResponse:
    log_refusal(request, refusal)
    response = render(
        request, "lessons/lti/refused.html", {"message": refusal.message}, status=refusal.status
    )
    allow_framing(response)  # shown inside the LMS that sent it; it holds nothing private
    return response


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    """Thaw's public keys, which the LMS checks Thaw's signatures with."""
    response = JsonResponse(registration.jwks())
    response["Cache-Control"] = "public, max-age=300"
    return response


@csrf_exempt  # the LMS starts the login from its own page (OIDC third-party initiated login)
@never_cache
@require_http_methods(["GET", "POST"])
def oidc_login(request: HttpRequest) -> HttpResponse:
    """Step 1 of a launch: send the browser back to the LMS's auth endpoint with a state
    (in a cookie) and a nonce, asking it to post the signed launch to Thaw's launch URL."""
    from lti_tool.utils import DjangoToolConfig
    from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoOIDCLogin
    from pylti1p3.exception import OIDCException

    registration.ensure_key()
    oidc = DjangoOIDCLogin(
        request, DjangoToolConfig(), launch_data_storage=DjangoCacheDataStorage()
    )
    try:
        return oidc.redirect(deep_linking.launch_url(request))
    except (OIDCException, AssertionError) as error:
        return _refused(
            request,
            LaunchRefused(
                "This address is for your LMS to start Thaw with, and what it sent does not "
                "name an LMS registered in Thaw. An administrator registers the LMS first "
                "(docs/lti.md).",
                reason=f"OIDC login refused: {error}",
            ),
        )


@csrf_exempt  # the LMS posts the launch from its own page; the signed token is the check
@never_cache
@require_http_methods(["GET", "POST"])
def launch(request: HttpRequest) -> HttpResponse:
    """Step 2: the signed launch. Checked, then the user is signed in and sent on."""
    if request.method == "GET":
        return _refused(
            request,
            LaunchRefused(
                "This address is opened by your LMS when you click a Thaw link in a course, "
                "not typed in. Go to your course and open the link there.",
                reason="launch URL opened with GET",
            ),
        )
    registration.ensure_key()
    try:
        checked = validated_launch(request)
        signed_in = sign_in(launch=checked)
    except LaunchRefused as refusal:
        return _refused(request, refusal)
    login(request, signed_in.user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[LAUNCH_SESSION_KEY] = checked.get_launch_id()
    if checked.is_resource_launch:
        roster.sync_if_due(course=signed_in.course, now=timezone.now())
    response = redirect(signed_in.destination)
    remember_lms(response, request=request, origins=frame_origins(checked))
    return response


def _picking(request: HttpRequest):
    """The deep-linking launch this teacher is picking for, and its course; LaunchRefused
    for anyone else (a student, a teacher of another course, no launch at all)."""
    from lessons.lti.courses import course_for
    from lessons.lti.people import TEACHER, thaw_role

    checked = restored_launch(request)
    if checked is None or not checked.is_deep_link_launch:
        raise LaunchRefused(
            "This page opens from your LMS, when a teacher adds Thaw work to a course "
            "(“Add an activity or resource” → Thaw).",
            reason=f"picker without a deep-linking launch (user {request.user.pk})",
        )
    course = course_for(context=checked.context)
    if thaw_role(checked.roles_claim) != TEACHER or not (
        course.school_class.teachers.filter(pk=request.user.pk).exists()
    ):
        raise LaunchRefused(
            "Only the course's teachers can add Thaw work to it.",
            reason=f"picker refused to user {request.user.pk}: not a teacher of the course",
        )
    return checked, course


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def pick(request: HttpRequest) -> HttpResponse:
    """The deep-linking picker: a lesson, a quiz or a source, placed in the LMS course."""
    try:
        checked, course = _picking(request)
    except LaunchRefused as refusal:
        return _refused(request, refusal)
    form = PickForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            placement = deep_linking.place(
                course=course,
                teacher=request.user,
                choice=form.cleaned_data["choice"],
                mode=form.cleaned_data["mode"],
            )
        except deep_linking.PickError as problem:
            error = str(problem)
        else:
            return _return_to_lms(request, checked=checked, placement=placement)
    elif request.method == "POST":
        error = "Choose what to add, and practice or test."
    return render(
        request,
        "lessons/lti/pick.html",
        {
            "form": form,
            "choices": deep_linking.choices(),
            "school_class": course.school_class,
            "error": error,
            "picked": request.POST.get("choice", ""),
        },
        status=400 if error else 200,
    )


def _return_to_lms(request: HttpRequest, *, checked, placement) -> HttpResponse:
    """The signed answer, posted back to the LMS by the browser (a script on our own static
    file submits it; without JavaScript the teacher presses the button)."""
    jwt_value = deep_linking.response_jwt(
        launch=checked, placement=placement, launch_url=deep_linking.launch_url(request)
    )
    return_url = deep_linking.return_url(checked)
    response = render(
        request,
        "lessons/lti/return.html",
        {"return_url": return_url, "jwt": jwt_value, "title": placement.assignment.title},
    )
    if origin := origin_of(return_url):
        response._csp_update = {"form-action": [origin]}
    return response


# --- Curators: platforms and keys ---------------------------------------------------------


def _platform_page(request, *, form, registration_=None, status=200, error=""):
    from lti_tool.models import LtiRegistration

    return render(
        request,
        "lessons/lti/platforms.html",
        {
            "form": form,
            "registration": registration_,
            "platforms": LtiRegistration.objects.order_by("name").prefetch_related("deployments"),
            "urls": registration.tool_urls(request),
            "jwks": registration.jwks(),
            "error": error,
        },
        status=status,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def platforms(request: HttpRequest) -> HttpResponse:
    """Registered platforms, Thaw's URLs and keys to paste into an LMS, and a new platform."""
    form = PlatformForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = registration.register_platform(fields=form.platform_fields(), user=request.user)
        except registration.RegistrationError as error:
            return _platform_page(request, form=form, status=400, error=str(error))
        return redirect("lti:lti_platform", pk=saved.pk)
    return _platform_page(request, form=form, status=400 if request.method == "POST" else 200)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def platform_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One platform: change it, allow or stop its deployments."""
    from lti_tool.models import LtiRegistration

    found = get_object_or_404(LtiRegistration, pk=pk)
    if request.method == "POST" and request.POST.get("deployment"):
        deployment = request.POST["deployment"]
        registration.set_deployment_active(
            registration=found,
            deployment_pk=int(deployment) if deployment.isdigit() else 0,
            active=request.POST.get("active") == "1",
            user=request.user,
        )
        return redirect("lti:lti_platform", pk=found.pk)
    form = PlatformForm(request.POST) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            registration.register_platform(
                fields=form.platform_fields(), user=request.user, registration=found
            )
        except registration.RegistrationError as error:
            return _platform_page(
                request, form=form, registration_=found, status=400, error=str(error)
            )
        return redirect("lti:lti_platform", pk=found.pk)
    return _platform_page(
        request,
        form=form or PlatformForm.for_registration(found),
        registration_=found,
        status=400 if form is not None else 200,
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def key_rotate(request: HttpRequest) -> HttpResponse:
    registration.rotate_key(now=timezone.now(), user=request.user)
    return redirect(reverse("lti:lti_platforms") + "#keys")
