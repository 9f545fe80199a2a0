"""Forms of the LTI pages: registering a platform, allowing a deployment, picking work."""

from __future__ import annotations

from django import forms

from lessons.lti.registration import PlatformFields
from quizzes.models import Quiz


class PlatformForm(forms.Form):
    name = forms.CharField(max_length=255, help_text="For you: “Moodle of our school”.")
    issuer = forms.CharField(
        max_length=255,
        label="Platform ID (issuer)",
        help_text="Moodle: the site's address. Canvas: https://canvas.instructure.com.",
    )
    client_id = forms.CharField(max_length=255, label="Client ID")
    auth_url = forms.CharField(max_length=200, label="Authentication request URL")
    token_url = forms.CharField(max_length=200, label="Access token URL")
    keyset_url = forms.CharField(max_length=200, label="Public keyset URL")
    deployment_ids = forms.CharField(
        required=False,
        label="Deployment IDs",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One a line. A deployment you leave out shows below after its first "
        "launch, waiting for you to allow it.",
    )

    def platform_fields(self) -> PlatformFields:
        data = self.cleaned_data
        return PlatformFields(
            name=data["name"],
            issuer=data["issuer"],
            client_id=data["client_id"],
            auth_url=data["auth_url"],
            token_url=data["token_url"],
            keyset_url=data["keyset_url"],
            deployment_ids=tuple(data["deployment_ids"].split()),
        )

    @classmethod
    def for_registration(cls, registration) -> PlatformForm:
        return cls(
            initial={
                "name": registration.name,
                "issuer": registration.issuer,
                "client_id": registration.client_id,
                "auth_url": registration.auth_url,
                "token_url": registration.token_url,
                "keyset_url": registration.keyset_url,
            }
        )


class PickForm(forms.Form):
    choice = forms.CharField(max_length=40)
    mode = forms.ChoiceField(
        choices=[
            (Quiz.Mode.TEST, "Test: answers shown when the student finishes"),
            (Quiz.Mode.PRACTICE, "Practice: each answer shown at once"),
        ],
        initial=Quiz.Mode.TEST,
        widget=forms.RadioSelect,
    )
