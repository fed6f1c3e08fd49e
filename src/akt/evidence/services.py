"""Attaching evidence to a record, and removing it; who may open it.

- :func:`attachment_add`: someone who may change a record attaches a file to it, checked by its
  content (:mod:`akt.evidence.files`), with its checksum; the audit log keeps who and when.
- :func:`attachment_remove`: the uploader or an M&E officer takes a file off, with a reason;
  the file stays in the database, marked removed, as a voided record does.
- :func:`may_open`: whoever may open the record may open its evidence, except sign-in sheets
  and photos (they show persons), which only roles that see persons open.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record, require_writable
from akt.evidence import files
from akt.evidence.models import PERSONAL_KINDS, Attachment, EvidenceKind
from akt.evidence.registry import governing, is_attachable, seen_by


def may_open(scope: Scope, attachment: Attachment) -> bool:
    """Whether the viewer may open ``attachment``: its record is theirs to open, and a sheet or
    photo showing persons only for roles that see persons."""
    if attachment.kind in PERSONAL_KINDS and not scope.may_see_persons:
        return False
    target = attachment.target
    return target is not None and scope.may_see(governing(target)) and seen_by(scope, target)


def _refusal(error: files.RefusedFile, name: str) -> str:
    details = error.details
    if error.code == "empty":
        return _("“%(name)s” is empty.") % {"name": name}
    if error.code == "too_large":
        return _("“%(name)s” is %(size)s; files up to %(limit)s are kept.") % {
            "name": name,
            "size": filesizeformat(details["size"]),
            "limit": filesizeformat(details["limit"]),
        }
    if error.code == "wrong_extension":
        return _(
            "“%(name)s” is a %(kind)s file but its name ends in %(extension)s; rename it and "
            "attach it again."
        ) % {"name": name, "kind": details["kind"], "extension": details["extension"]}
    return _(
        "“%(name)s” is not a file kind kept as evidence: attach a PDF, a photo (JPEG, PNG, "
        "TIFF, WebP) or a Word, Excel or OpenDocument file."
    ) % {"name": name}


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    target: Model,
    kind: str,
    title: str,
    file_name: str,
    data: bytes,
    description: str = "",
) -> Attachment:
    """Attaches the file ``data`` named ``file_name`` to ``target``. Refuses (``ValidationError``
    on ``file``) a file that is empty, too large, of a kind not kept, misnamed, or already
    attached to the record; nothing is stored then."""
    if not is_attachable(target._meta.label_lower):
        raise PermissionDenied
    require_writable(actor, governing(target))
    if kind in PERSONAL_KINDS and not Scope.for_user(actor).may_see_persons:
        raise PermissionDenied
    if kind not in EvidenceKind.values:
        raise ValidationError({"kind": _("Choose the kind of evidence.")})
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1][:200] or "file"
    try:
        found = files.checked(name, data)
    except files.RefusedFile as error:
        raise ValidationError({"file": _refusal(error, name)}, code=error.code) from None
    attachment = Attachment(
        target=target,
        kind=kind,
        title=title.strip() or name,
        description=description.strip(),
        file_name=name,
        media_type=found.media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_by=actor,
    )
    attachment.full_clean(exclude=["content", "target_type", "target_id"])
    try:
        with transaction.atomic():
            attachment.save()
    except IntegrityError:
        raise ValidationError(
            {"file": _("“%(name)s” is already attached to this record.") % {"name": name}},
            code="duplicate",
        ) from None
    audit_record(
        actor=actor,
        action="attachment_add",
        target=attachment,
        summary=f"{attachment.title} ({target._meta.verbose_name} {target.pk})",
        changes={
            "record": f"{target._meta.label_lower}:{target.pk}",
            "kind": kind,
            "file_name": name,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment, reason: str) -> Attachment:
    """Takes the file off its record with a reason: the uploader or an M&E officer or
    administrator. It is kept, marked removed, and no longer listed or opened."""
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    target = attachment.target
    if target is None:
        raise PermissionDenied
    require_writable(actor, governing(target))
    scope = Scope.for_user(actor)
    if attachment.uploaded_by_id != actor.pk and not scope.manages_program:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the file is removed.")})
    if attachment.removed_at is not None:
        return attachment
    attachment.removed_at = timezone.now()
    attachment.removed_by = actor
    attachment.removal_reason = reason.strip()
    attachment.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    audit_record(
        actor=actor,
        action="attachment_remove",
        target=attachment,
        summary=attachment.title,
        changes={"record": f"{target._meta.label_lower}:{target.pk}"},
        reason=reason.strip(),
    )
    return attachment
