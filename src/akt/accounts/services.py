"""What every record service shares: the scope check on writes, updates and the audit entry."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Field, ForeignObjectRel, Model
from django.utils.translation import gettext as _

from akt.accounts.models import AuditEntry, User
from akt.accounts.scope import Scope

M = TypeVar("M", bound=Model)

WriteGuard = Callable[..., dict[str, Any]]
"""``guard(target=, changes=, reason=)``: raises ``ValidationError`` to refuse a write, or
returns what the audit entry should add about it (``{}`` when nothing)."""

_WRITE_GUARDS: list[WriteGuard] = []

_STATED_REASON: ContextVar[str] = ContextVar("akt_stated_reason", default="")


@contextmanager
def change_reason(reason: str) -> Iterator[None]:
    """The reason a person gave for the writes made inside the block.

    A page's or command's reason for a change (a record of an approved quarter changes only with
    one) travels to the audit entries of the services it calls, without every service spelling
    out a ``reason`` parameter; a reason a service passes itself takes precedence.
    """
    token = _STATED_REASON.set((reason or "").strip())
    try:
        yield
    finally:
        _STATED_REASON.reset(token)


def register_write_guard(guard: WriteGuard) -> None:
    """Adds a rule every audited write passes, such as "an approved period's records change only
    with a reason". Apps register theirs when they are ready; registering twice is harmless."""
    if guard not in _WRITE_GUARDS:
        _WRITE_GUARDS.append(guard)


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: Model,
    summary: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Appends one entry to the audit log. Call inside the service's transaction.

    Every write is audited, so this is where the registered write guards run: a guard that
    refuses raises inside the service's transaction, and the write is undone with it.
    """
    reason = reason or _STATED_REASON.get()
    changes = dict(changes or {})
    for guard in _WRITE_GUARDS:
        changes.update(guard(target=target, changes=changes, reason=reason.strip()))
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:300],
        changes=changes,
        reason=reason,
    )


def records_version() -> str:
    """A token that changes whenever a record does, for caching what is worked out from the
    records: the latest audit entry, its number and time (every write leaves one, see
    :func:`audit_record`). Read it before reading the records, so that what is cached under a
    version is never older than that version. One query, on the primary key."""
    latest = AuditEntry.objects.order_by("-pk").values_list("pk", "at").first()
    if latest is None:
        return "0"
    number, at = latest
    return f"{number}-{at.timestamp():.6f}"


def require_writable(actor: User, record: Model) -> None:
    """Refuses a write outside the actor's scope.

    The rule is the read rule: a role that may edit may write exactly the records its scope lets
    it see. Services call this before a change and again after it, inside the transaction, so a
    focal point can neither touch another municipality's record nor move one of theirs away.
    A voided record is refused too (``ValidationError``): it changes only by being restored.
    """
    scope = Scope.for_user(actor)
    if not scope.may_edit or not scope.may_see(record):
        raise PermissionDenied
    refuse_voided(record)


def refuse_voided(record: Model) -> None:
    """Refuses a change to a voided record (an activity's roster and tallies included, whose
    services check the activity): it is kept as it was voided, so that restoring it brings
    back exactly that (see :mod:`akt.accounts.voiding`). Restore it first."""
    if getattr(record, "voided_at", None) is not None:
        raise ValidationError(
            _("“%(record)s” is voided; restore it before changing it.") % {"record": record},
            code="voided",
        )


def require_editor(actor: User) -> None:
    """Refuses early, before anything is written, when the actor's role only reads."""
    if not Scope.for_user(actor).may_edit:
        raise PermissionDenied


def model_field(model: Model | type[Model], name: str) -> Field[Any, Any]:
    """The field ``name`` of ``model`` (a record or its class): one of its own, holding a value
    or a relation, never a relation from another model to it (which has no value here)."""
    field = model._meta.get_field(name)
    if isinstance(field, ForeignObjectRel):
        raise FieldDoesNotExist(f"{model._meta.label}.{name} is another model's relation to it")
    return field


def audit_values(record: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields as JSON-ready values for the audit log (related records by id)."""
    values = {name: model_field(record, name).value_from_object(record) for name in fields}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def changed_values(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    return {name: [before[name], value] for name, value in after.items() if before[name] != value}


def record_update(
    *,
    actor: User,
    record: M,
    data: Mapping[str, Any],
    fields: Sequence[str],
) -> tuple[M, dict[str, list[Any]]]:
    """The shared body of the ``<entity>_update`` services; call it inside their transaction.

    Works on the stored row (locked where the database can), not on the caller's object: a
    ModelForm has already copied its input onto that object, and the audit entry must show what
    was stored before. Sets the fields in ``data``, validates, checks the scope before and after,
    and saves only the changed fields. Returns the saved record and ``{field: [old, new]}`` for
    the caller's audit entry; when nothing changed, nothing is saved.
    """
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    model = type(record)
    stored = model._default_manager.select_for_update().get(pk=record.pk)
    require_writable(actor, stored)
    before = audit_values(stored, fields)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.full_clean()
    changes = changed_values(before, audit_values(stored, fields))
    if changes:
        automatic = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
        stored.save(update_fields=[*changes, *automatic])
        require_writable(actor, stored)
    return stored, changes


USER_AUDIT_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "municipality",
    "component",
    "is_active",
    "is_staff",
    "is_superuser",
)
"""What a user's audit entry records; the password never (whether it changed, not its hash)."""

_PASSWORD_KEY = "__password__"


def user_audit_values(user: User) -> dict[str, Any]:
    """A user's role, scope, state, groups and permissions as the audit log records them.

    The password hash is held under a private key only so that :func:`user_audit_change` can
    tell whether it changed; it is never written to the log.
    """
    values = audit_values(user, USER_AUDIT_FIELDS)
    if user.pk:
        values["groups"] = sorted(user.groups.values_list("name", flat=True))
        values["user_permissions"] = sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
    values[_PASSWORD_KEY] = user.password
    return values


def _password_note(password: str) -> str:
    return "unusable" if not password or password.startswith("!") else "set"


@transaction.atomic
def user_audit_change(
    *, actor: User | None, user: User, before: Mapping[str, Any] | None
) -> AuditEntry | None:
    """Audits a change an administrator made to ``user`` outside a service (the admin site):
    ``before`` is :func:`user_audit_values` read before the change, None for a new user.

    The entry holds the old and new role, scope, state, groups and permissions, and whether the
    password was set or changed, never its hash. Nothing is written when nothing changed.
    """
    after = user_audit_values(user)
    password = after.pop(_PASSWORD_KEY)
    changes: dict[str, Any]
    if before is None:
        changes = dict(after)
        changes["password"] = _password_note(password)
        action = "user_create"
    else:
        before = dict(before)
        old_password = before.pop(_PASSWORD_KEY, "")
        changes = dict(changed_values({**dict.fromkeys(after), **before}, after))
        if password != old_password:
            changes["password"] = (
                "changed" if _password_note(password) == "set" else _password_note(password)
            )
        action = "user_update"
        if not changes:
            return None
    return audit_record(
        actor=actor, action=action, target=user, summary=user.get_username(), changes=changes
    )


@transaction.atomic
def user_audit_delete(*, actor: User | None, user: User) -> AuditEntry:
    """Audits the deletion of ``user`` (call before deleting): what the account was."""
    values = user_audit_values(user)
    del values[_PASSWORD_KEY]
    return audit_record(
        actor=actor,
        action="user_delete",
        target=user,
        summary=user.get_username(),
        changes={name: [value, None] for name, value in values.items()},
    )


def record_create(*, actor: User, record: M, fields: Sequence[str], action: str, summary: str) -> M:
    """The shared body of the ``<entity>_create`` services; call it inside their transaction.

    Validates and saves the new record, refuses it when it falls outside the actor's scope (the
    transaction then stores nothing), and audits its values.
    """
    record.full_clean()
    record.save()
    require_writable(actor, record)
    audit_record(
        actor=actor,
        action=action,
        target=record,
        summary=summary,
        changes=audit_values(record, fields),
    )
    return record
