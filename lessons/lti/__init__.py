"""Thaw inside a school's LMS: an IMS LTI 1.3 tool with LTI Advantage (docs/lti.md).

The protocol (OIDC login initiation, the signed id_token checked against the
platform's JWKS, deep-linking responses, the service tokens of NRPS and AGS) is
pylti1p3's, through django-lti (`lti_tool`: platform registrations, deployments,
Thaw's own keys and JWKS). This package is Thaw's side of it:

* `launch`: a launch checked (with what pylti1p3 leaves out: a nonce used once,
  `exp` and `iat` required, the deployment allowed by a curator) and turned into a
  signed-in Thaw user in the Thaw class of the LMS course (`courses`, `identity`);
* `deep_linking`: a teacher's pick of a lesson, a quiz or a source, made a class
  assignment and placed in the course as a link with a gradable line item;
* `roster`: the class's students kept as the LMS lists them (NRPS);
* `grades`: a finished attempt's score sent once to its line item (AGS) from an
  outbox row, retried with backoff;
* `registration`: platforms registered by curators, Thaw's URLs and keys;
* `framing`: cookies and headers that let Thaw's pages work in the LMS's iframe.

Models live in `lessons.lti.models`, imported by `lessons.models`, so they are the
lessons app's (label `lessons`, migrations in lessons/migrations): LTI links
lessons' own rows (classes, assignments) and needs no app of its own.
"""
