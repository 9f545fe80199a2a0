"""Register an LMS platform with Thaw (LTI 1.3), or change one: what /lti/platforms/ does.

Idempotent: the issuer and client ID name the platform, so running it again updates it.
Prints the URLs and the keyset address to paste into the LMS (docs/lti.md).
"""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from lessons.lti.registration import PlatformFields, RegistrationError, register_platform


class Command(BaseCommand):
    help = (
        "Register (or update) an LMS platform: issuer, client ID, its auth, token and JWKS "
        "URLs, and the deployment IDs to allow. Prints what to paste into the LMS."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--name", required=True, help="For curators: “Moodle of our school”.")
        parser.add_argument("--issuer", required=True, help="The platform ID (iss).")
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--auth-url", required=True, help="Authentication request URL.")
        parser.add_argument("--token-url", required=True, help="Access token URL.")
        parser.add_argument("--jwks-url", required=True, help="The platform's public keyset URL.")
        parser.add_argument(
            "--deployment", action="append", default=[], help="A deployment ID to allow (repeat)."
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Thaw's address as the LMS reaches it (https://thaw.example.org), for the "
            "URLs printed.",
        )

    def handle(self, *args, **options) -> None:
        fields = PlatformFields(
            name=options["name"],
            issuer=options["issuer"],
            client_id=options["client_id"],
            auth_url=options["auth_url"],
            token_url=options["token_url"],
            keyset_url=options["jwks_url"],
            deployment_ids=tuple(options["deployment"]),
        )
        try:
            registration = register_platform(fields=fields)
        except RegistrationError as error:
            raise CommandError(str(error)) from error
        deployments = ", ".join(
            registration.deployments.filter(is_active=True).values_list("deployment_id", flat=True)
        )
        self.stdout.write(
            f"Registered “{registration.name}” (issuer {registration.issuer}, client ID "
            f"{registration.client_id}); deployments allowed: {deployments or 'none yet'}."
        )
        base = options["base_url"].rstrip("/")
        for label, name in (
            ("Tool URL / redirection URI / deep-linking URL", "lti:lti_launch"),
            ("Initiate login URL", "lti:lti_login"),
            ("Public keyset URL", "lti:lti_jwks"),
        ):
            self.stdout.write(f"  {label}: {base}{reverse(name)}")
