"""For the beheerder: the region's wijken (add, rename, (de)activate) and its forms at a glance."""

from __future__ import annotations

import re
import unicodedata

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from participatie import audit, db
from participatie.accounts import require_role
from participatie.filling import questionnaires
from participatie.models import Region, Signal, Submission, Wijk, signal_wijken
from participatie.signals import clean_text
from participatie.views.workforms import WijkChangeForm, WijkForm, errors
from participatie.views.workspace.common import bp, user_and_region


def slugify(name: str) -> str:
    """Turn a wijk's name into its URL part: 'Tussen de Vaarten' -> 'tussen-de-vaarten'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:64]


def _page(problems: dict[str, str], form: WijkForm, status: int = 200,
          change: tuple[int, WijkChangeForm] | None = None) -> tuple[str, int]:
    _user, region = user_and_region()
    session = db.session()
    counts = dict(session.execute(
        select(signal_wijken.c.wijk_id, func.count()).join(Signal)
        .where(Signal.region_id == region.id).group_by(signal_wijken.c.wijk_id)).all())
    used = dict(session.execute(
        select(Submission.form_id, func.count()).where(Submission.region_id == region.id)
        .group_by(Submission.form_id)).all())
    stadsdelen = sorted({w.stadsdeel for w in region.wijken})
    return render_template("workspace/wijken.html", wijken=region.wijken, counts=counts,
                           stadsdelen=stadsdelen, forms=questionnaires().values(), used=used,
                           errors=problems, form=form, change_id=change[0] if change else None,
                           change_form=change[1] if change else None,
                           blank_change=WijkChangeForm(formdata=None)), status


def _name_taken(region: Region, name: str, renamed: Wijk | None = None) -> bool:
    """Whether another wijk of the region has this name (or its address): two wijken of one
    name could not be told apart in filters, pages and CSV columns."""
    wanted = slugify(name)
    return any(w is not renamed and wanted in (w.slug, slugify(w.name)) for w in region.wijken)


@bp.get("/wijken")
@require_role("beheerder")
def wijken() -> tuple[str, int]:
    """List the region's wijken and forms."""
    return _page({}, WijkForm(formdata=None))


@bp.post("/wijken")
@require_role("beheerder")
def wijken_add() -> Response | tuple[str, int]:
    """Add a wijk to the region."""
    admin, region = user_and_region()
    form = WijkForm()
    problems = errors(form) if not form.validate() else {}
    name, stadsdeel = clean_text(form.name.data or ""), clean_text(form.stadsdeel.data or "")
    if "name" not in problems and not slugify(name):
        problems["name"] = _("Enter the name of the wijk.")
    elif "name" not in problems and _name_taken(region, name):
        problems["name"] = _("This region already has a wijk with this name.")
    if problems:
        return _page(problems, form, 400)
    wijk = Wijk(region_id=region.id, slug=slugify(name), name=name[:200],
                stadsdeel=stadsdeel[:200], active=False, postcodes=[])
    db.session().add(wijk)
    db.session().flush()
    audit.record(db.session(), admin, "add", "wijk", wijk.id, name=wijk.name)
    db.session().commit()
    flash(_("The wijk %(name)s was added.", name=wijk.name), "ok")
    return redirect(url_for("workspace.wijken"))


@bp.post("/wijken/<int:wijk_id>")
@require_role("beheerder")
def wijken_change(wijk_id: int) -> Response | tuple[str, int]:
    """Rename a wijk, or switch its kernteam on or off."""
    admin, region = user_and_region()
    wijk = db.session().get(Wijk, wijk_id)
    if wijk is None:
        abort(404)
    if wijk.region_id != region.id:
        abort(403)
    form = WijkChangeForm()
    if not form.validate():
        return _page(errors(form, {"name": f"name-{wijk.id}"}),
                     WijkForm(formdata=None), 400, (wijk.id, form))
    name = clean_text(form.name.data or "")
    if name and _name_taken(region, name, wijk):
        problems = {f"name-{wijk.id}": _("This region already has a wijk with this name.")}
        return _page(problems, WijkForm(formdata=None), 400, (wijk.id, form))
    if name:
        wijk.name = name
    if form.active.data in ("0", "1"):
        wijk.active = form.active.data == "1"
    audit.record(db.session(), admin, "change", "wijk", wijk.id, name=wijk.name,
                 active=wijk.active)
    db.session().commit()
    flash(_("The wijk %(name)s was changed.", name=wijk.name), "ok")
    return redirect(url_for("workspace.wijken"))
