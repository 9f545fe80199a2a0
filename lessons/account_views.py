"""Account pages about privacy: a student downloads their data; a curator deletes a
student's account. Views are glue; lessons.privacy does the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from corpus.params import whole_number
from lessons import privacy


@login_required
@require_GET
@never_cache
def account_data_download(request: HttpRequest) -> HttpResponse:
    """The logged-in user's own data; there is no way to name another account here."""
    now = timezone.now()
    data = privacy.student_data(user=request.user, now=now)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    filename = f"thaw-data-{request.user.username}-{now:%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Curators: find a student by username, confirm, delete their account and data."""
    if not (request.user.is_staff and request.user.has_perm(privacy.DELETE_PERMISSION)):
        raise PermissionDenied
    if request.method == "POST":
        student_id = whole_number(request.POST.get("student"))
        try:
            if student_id is None:
                raise privacy.AccountNotDeletable("Choose an account to delete.")
            deleted = privacy.delete_student_account(curator=request.user, student_id=student_id)
        except privacy.AccountNotDeletable as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Deleted student account #{deleted.user_id} and everything about it "
                f"({sum(deleted.rows.values())} rows).",
            )
        return redirect(reverse("account_delete"))
    username = request.GET.get("username", "").strip()
    account = privacy.find_account(username=username) if username else None
    context = {
        "username": username,
        "account": account,
        "deletable": account is not None and privacy.is_student(account),
        "summary": privacy.account_summary(user=account) if account else {},
    }
    return render(request, "lessons/privacy/account_delete.html", context)
