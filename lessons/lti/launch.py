"""An LTI launch: checked, then the user signed in to the Thaw class of their course.

pylti1p3 (through django-lti's `DjangoToolConfig`) checks the OIDC state, the id_token's
signature against the platform's JWKS, its issuer, audience and deployment, and the
message's claims. On top of that Thaw requires:

* `exp` and `iat` in the token (pylti1p3 accepts a token without them), with 30 s of
  leeway for the LMS's clock;
* a nonce used once (`UsedNonce`): pylti1p3 keeps a nonce it issued for a day and
  accepts the same id_token again, so a replayed launch would sign in again;
* a deployment a curator allowed: django-lti records a deployment id it has not seen
  as inactive, so a new deployment shows on the platform's page waiting for a curator;
* a course (a context claim), and a role Thaw has a use for.

Every refusal raises `LaunchRefused` with a message for the person in front of the
LMS and a reason for the log (`thaw.lti`).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

import jwt
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.exception import LtiException

from lessons.lti import courses, people
from lessons.lti.connection import lms_session
from lessons.lti.models import CourseLink, Placement, UsedNonce

logger = logging.getLogger("thaw.lti")

LEEWAY_SECONDS = 30
# The session key holding the launch's id (its claims are in the cache, pylti1p3's store):
# the deep-linking picker reads the launch back from it.
LAUNCH_SESSION_KEY = "thaw_lti_launch"
CUSTOM_ASSIGNMENT = "thaw_assignment"

GENERIC = (
    "Thaw could not check this launch from your LMS, so it did not sign you in. "
    "Please go back to your course and open the link again; if this keeps happening, "
    "tell your teacher or the LMS's administrator."
)


class LaunchRefused(Exception):
    """A launch Thaw will not act on: `message` for the user, `reason` for the log."""

    def __init__(self, message: str, *, reason: str, status: int = 403) -> None:
        super().__init__(reason)
        self.message, self.reason, self.status = message, reason, status


class ThawMessageLaunch(DjangoMessageLaunch):
    """pylti1p3's launch, with `exp` and `iat` required and leeway for the LMS's clock."""

    def validate_jwt_signature(self):
        public_key, key_alg = self.get_public_key()
        try:
            jwt.decode(
                self._get_id_token(),
                public_key,
                algorithms=[key_alg],
                leeway=LEEWAY_SECONDS,
                options={"verify_aud": False, "require": ["exp", "iat"]},
            )
        except jwt.InvalidTokenError as error:
            raise LtiException(f"Can't decode id_token: {error}") from error
        return self


def _tool_config():
    from lti_tool.utils import DjangoToolConfig

    return DjangoToolConfig()


def _explain(reason: str) -> str:
    """The user's words for pylti1p3's reasons (the log keeps pylti1p3's)."""
    lowered = reason.lower()
    if "expired" in lowered:
        return (
            "This launch from your LMS is too old to use. Go back to your course and open "
            "the link again."
        )
    if "state" in lowered or "nonce" in lowered or "session-id" in lowered:
        return (
            "This launch did not start from Thaw's sign-in step in this browser (it may have "
            "been opened twice, or your browser blocks cookies inside the LMS). Go back to "
            "your course and open the link again; if your browser blocks cookies in frames, "
            "set the link to open in a new window."
        )
    if "registration" in lowered or "client id" in lowered:
        return (
            "Thaw does not know the LMS this launch comes from (or it was meant for another "
            "tool). An administrator registers the LMS in Thaw first (docs/lti.md)."
        )
    return GENERIC


def validated_launch(request):
    """The request's launch, checked; LaunchRefused if anything is wrong with it."""
    from lti_tool.models import LtiLaunch

    message_launch = ThawMessageLaunch(
        request,
        _tool_config(),
        launch_data_storage=DjangoCacheDataStorage(),
        requests_session=lms_session(),
    )
    try:
        message_launch.validate()
    except LtiException as error:
        raise LaunchRefused(_explain(str(error)), reason=str(error)) from error
    except (AssertionError, AttributeError, KeyError, TypeError, ValueError) as error:
        # pylti1p3 asserts and indexes its way through a malformed message.
        raise LaunchRefused(GENERIC, reason=f"malformed launch: {error!r}", status=400) from error
    launch = LtiLaunch(message_launch)
    deployment = launch.deployment
    if not deployment.is_active or not deployment.registration.is_active:
        raise LaunchRefused(
            "This LMS's connection to Thaw is not switched on yet. An administrator allows "
            "it on Thaw's LMS platforms page (deployment "
            f"“{deployment.deployment_id}”).",
            reason=f"deployment {deployment.deployment_id!r} of {deployment.registration} "
            "not active",
        )
    _use_nonce(issuer=launch.get_claim("iss"), nonce=launch.get_claim("nonce"))
    return launch


def _use_nonce(*, issuer: str, nonce: str) -> None:
    try:
        with transaction.atomic():
            UsedNonce.objects.create(issuer=issuer, nonce=nonce[:255], used_at=timezone.now())
    except IntegrityError:
        raise LaunchRefused(
            "This launch was already used once, and a launch can only be used once. Go back "
            "to your course and open the link again.",
            reason=f"replayed launch (nonce {nonce[:40]!r} used before)",
        ) from None


def prune_nonces(*, now: datetime.datetime) -> int:
    """Forget nonces of launches too old to be accepted anyway (their `exp` has passed)."""
    deleted, _ = UsedNonce.objects.filter(used_at__lt=now - datetime.timedelta(days=2)).delete()
    return deleted


# --- Signing in ------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    user: object
    role: str
    course: CourseLink
    destination: str
    placement: Placement | None = None


def _ags_lineitem(launch) -> str:
    claim = launch.ags_claim or {}
    lineitem = claim.get("lineitem")
    return lineitem if isinstance(lineitem, str) and lineitem.startswith("http") else ""


def _placement(*, launch, course: CourseLink, role: str) -> Placement | None:
    """The placement the resource link opens: named by the custom parameter the deep link
    set, and only in this course's class (a course copied to another keeps the parameter)."""
    value = launch.get_custom_claim(CUSTOM_ASSIGNMENT)
    if not value:
        return None
    placement = (
        Placement.objects.select_related("assignment__quiz")
        .filter(assignment_id=str(value) if str(value).isdigit() else None, course=course)
        .first()
    )
    if placement is None:
        raise LaunchRefused(
            "This link points to Thaw work that belongs to another course (the course may "
            "have been copied). Your teacher can place the work in this course again "
            "with “Add an activity” → Thaw.",
            reason=f"custom {CUSTOM_ASSIGNMENT}={value!r} is not an assignment of "
            f"class {course.school_class_id}",
        )
    resource_link = (launch.resource_link_claim or {}).get("id", "")
    lineitem = _ags_lineitem(launch)
    changes = {}
    if resource_link and placement.resource_link_id != resource_link:
        changes["resource_link_id"] = resource_link
    if lineitem and placement.lineitem_url != lineitem:
        changes["lineitem_url"] = lineitem
    if changes:
        Placement.objects.filter(pk=placement.pk).update(**changes)
        for field, value_ in changes.items():
            setattr(placement, field, value_)
    return placement


def _destination(*, launch, role: str, course: CourseLink, placement: Placement | None) -> str:
    school_class = course.school_class
    if launch.is_deep_link_launch:
        return reverse("lti:lti_pick")
    if placement is not None:
        if role == people.TEACHER:
            return reverse("classes:teacher_gradebook", kwargs={"pk": school_class.pk})
        return reverse("quizzes:quiz_detail", kwargs={"pk": placement.assignment.quiz_id})
    if role == people.TEACHER:
        return reverse("classes:teacher_class", kwargs={"pk": school_class.pk})
    return reverse("classes:dashboard")


@transaction.atomic
def sign_in(*, launch) -> SignedIn:
    """The Thaw account, class and page for a checked launch; LaunchRefused when Thaw has
    nothing for it (no course, a role Thaw does not teach, a student deep linking)."""
    from lti_tool.utils import sync_context_from_launch, sync_resource_link_from_launch

    if not (launch.context_claim or {}).get("id"):
        raise LaunchRefused(
            "Thaw works inside a course: open it from a course of your LMS.",
            reason="launch without a context claim",
        )
    role = people.thaw_role(launch.roles_claim)
    if role is None:
        raise LaunchRefused(
            "Thaw has pages for the course's teachers and students only, and your role in "
            "this course is neither.",
            reason=f"roles {launch.roles_claim!r} are neither teaching nor learning",
        )
    if launch.is_deep_link_launch and role != people.TEACHER:
        raise LaunchRefused(
            "Only the course's teachers can add Thaw work to the course.",
            reason="deep-linking launch by a non-teacher",
        )
    context = sync_context_from_launch(launch)
    if launch.is_resource_launch:
        sync_resource_link_from_launch(launch, context)
    lti_user = people.lti_user_for(registration=launch.registration, sub=launch.get_claim("sub"))
    user = people.account_for(lti_user=lti_user, claims=launch.get_launch_data())
    course = courses.course_for(context=context)
    if role == people.TEACHER:
        courses.add_teacher(school_class=course.school_class, user=user)
    else:
        courses.add_learner(school_class=course.school_class, user=user)
    placement = (
        _placement(launch=launch, course=course, role=role) if launch.is_resource_launch else None
    )
    return SignedIn(
        user=user,
        role=role,
        course=course,
        placement=placement,
        destination=_destination(launch=launch, role=role, course=course, placement=placement),
    )


def frame_origins(launch) -> list[str]:
    """The LMS origins that frame Thaw after this launch: the issuer's, the login's and
    the return URL's (Canvas's issuer is not the school's Canvas address)."""
    from lessons.lti.framing import origin_of

    registration = launch.registration
    presentation = launch.launch_presentation_claim or {}
    candidates = [
        registration.issuer,
        registration.auth_url,
        presentation.get("return_url", ""),
        (launch.platform_instance_claim or {}).get("url", ""),
    ]
    return sorted({origin for url in candidates if (origin := origin_of(str(url or "")))})


def restored_launch(request):
    """The launch this session started from (for the deep-linking picker), or None."""
    from lti_tool.models import LtiLaunch

    launch_id = request.session.get(LAUNCH_SESSION_KEY)
    if not launch_id:
        return None
    try:
        message_launch = ThawMessageLaunch.from_cache(
            launch_id,
            request,
            _tool_config(),
            launch_data_storage=DjangoCacheDataStorage(),
            requests_session=lms_session(),
        )
    except LtiException:
        return None
    return LtiLaunch(message_launch)


def log_refusal(request, refusal: LaunchRefused) -> None:
    logger.warning(
        "LTI launch refused (%s %s): %s",
        request.method,
        request.path,
        refusal.reason,
    )
