"""Upload (preview → confirm), export and the blank template.

A workbook is judged first (``exchange.safety``, ``exchange.limits``: bounded work,
whatever the file). A small one is previewed and imported in the request; one
above ``EXCHANGE_MAX_INLINE_CELLS`` cells goes to the task worker
(``exchange.tasks``) and the user follows it on the job's page.
"""

import hashlib
import logging
from types import SimpleNamespace
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import may_export, may_import
from exchange import annotate, limits, pending, tasks
from exchange.exporter import XLSX_CONTENT_TYPE, export_file_name, export_workbook, template_workbook
from exchange.forms import ConfirmForm, UploadForm
from exchange.importer import ImportResult, import_workbook
from exchange.models import ImportJob
from exchange.plan import applicable, apply_plan
from exchange.safety import FileRefused, check_workbook_bytes

logger = logging.getLogger(__name__)


def _xlsx(data, name):
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


def _page(request, **context):
    return render(request, "exchange/upload.html", {
        "form": UploadForm(), "can_export": may_export(request.user), **context,
    })


def _inline_cells():
    return getattr(settings, "EXCHANGE_MAX_INLINE_CELLS", limits.DEFAULTS["INLINE_CELLS"])


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    if not may_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "can_export": may_export(request.user)}
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["workbook"]
        data = upload_file.read()
        try:
            check_workbook_bytes(data)
            shape = limits.measure(data)
        except FileRefused as exc:
            result = ImportResult(file_name=upload_file.name, sha256=hashlib.sha256(data).hexdigest(), dry_run=True)
            result.errors.append(str(exc))
            context["result"] = result
            return render(request, "exchange/upload.html", context)
        if shape.cells > _inline_cells():
            return _enqueue(request, data, upload_file.name, confirm=False, total_rows=shape.total_rows)
        result = import_workbook(data, file_name=upload_file.name, user=request.user, dry_run=True)
        context["result"] = result
        try:
            if result.ok:
                context["confirm"] = ConfirmForm(initial={"token": pending.save(request.user, result, data)})
                # Confirm on a page of its own: no upload form beside it, so Enter can't import the previous file.
                return render(request, "exchange/preview.html", context)
            if result.marks:
                context["annotated_token"] = pending.keep(
                    request.user, result.sha256, data, upload_file.name, marks=result.marks)
        except OSError:
            logger.exception("could not keep the previewed workbook")
            result.errors.append(_("服务器暂时无法保存待确认的文件，请稍后重新上传；如问题仍在，请联系管理员。"))
    return render(request, "exchange/upload.html", context)


@login_required
@require_GET
def annotated(request, token):
    """The uploaded workbook with its problems marked (red cells, the reason in each cell's comment)."""
    if not may_import(request.user):
        raise PermissionDenied
    stored = pending.load(request.user, token)
    if stored is None:
        raise Http404
    data, file_name, _versions = stored
    marks = pending.marks(request.user, token)
    if marks is None:  # kept before its marks were: check it again
        marks = import_workbook(data, file_name=file_name, user=request.user, dry_run=True).marks
    stem = file_name[:-5] if file_name.lower().endswith(".xlsx") else file_name
    return _xlsx(annotate.annotated(data, marks), f"{stem}-问题标注.xlsx")


def _enqueue(request, data, file_name, *, confirm, total_rows=0):
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        pending.keep(request.user, sha256, data, file_name)
    except OSError:
        logger.exception("could not keep the uploaded workbook for the background import")
        messages.error(request, _("服务器暂时无法保存上传的文件，请稍后重新上传；如问题仍在，请联系管理员。"))
        return redirect("exchange:upload")
    job = ImportJob.objects.create(
        user=request.user, file_name=file_name[:255], sha256=sha256, confirm=confirm, total_rows=total_rows,
    )
    tasks.run_import.enqueue(str(job.pk))
    return redirect("exchange:job", job_id=job.pk)


@login_required
@require_POST
def confirm(request):
    """Write what the preview planned (the workbook is not read again), refused if a record changed since."""
    if not may_import(request.user):
        raise PermissionDenied
    form = ConfirmForm(request.POST)
    kept = pending.plan(request.user, form.cleaned_data["token"]) if form.is_valid() else None
    if kept is None or not applicable(kept[0]):
        messages.error(request, _("找不到待确认的文件（可能已导入或已过期），请重新上传预览。"))
        return redirect("exchange:upload")
    plan, file_name = kept
    token = form.cleaned_data["token"]
    # Previewed in the background: confirmed there too (the job's page offers this same form).
    if ImportJob.objects.filter(user=request.user, sha256=token, confirm=False).exists():
        job = ImportJob.objects.create(user=request.user, file_name=file_name[:255], sha256=token, confirm=True)
        tasks.run_import.enqueue(str(job.pk))
        return redirect("exchange:job", job_id=job.pk)
    result = apply_plan(plan, file_name=file_name, sha256=token, user=request.user)
    pending.discard(request.user, token)
    if not result.ok:
        return _page(request, result=result, refused=True)
    messages.success(request, _imported_message(file_name, result.sheets))
    return redirect("exchange:upload")


def _imported_message(file_name, sheets):
    def total(name):
        return sum(getattr(counts, name) for counts in sheets)

    return _("已导入 %(file)s：新增 %(created)s 条，更新 %(updated)s 条，未变 %(unchanged)s 条。") % {
        "file": file_name, "created": total("created"), "updated": total("updated"), "unchanged": total("unchanged"),
    }


@login_required
@require_GET
def job(request, job_id):
    """A background import's page: a progress bar while it runs (the page reloads itself), then its result."""
    found = ImportJob.objects.filter(pk=job_id, user=request.user).first()
    if found is None:
        raise Http404
    context = {"job": found}
    if not found.finished:
        done, total = tasks.progress(found.pk) or (0, found.total_rows)
        total = max(total, found.total_rows, 1)
        context.update(done=min(done, total), total=total, percent=min(100, done * 100 // total))
        return render(request, "exchange/job.html", context)
    stored = found.result
    result = SimpleNamespace(
        file_name=found.file_name, sha256=found.sha256, ok=stored.get("ok", False),
        errors=stored.get("errors", []), hidden=stored.get("hidden", 0), warnings=stored.get("warnings", []),
        sheets=[SimpleNamespace(**counts) for counts in stored.get("sheets", [])],
        changes=stored.get("changes", []), more_changes=stored.get("more_changes", 0),
    )
    result.problem_count = len(result.errors) + result.hidden
    if found.confirm:
        if result.ok:
            messages.success(request, _imported_message(found.file_name, result.sheets))
            return redirect("exchange:upload")
        return _page(request, result=result, refused=True, job=found)
    if result.ok:
        # The same confirm page as a small workbook's: what will be created, each field from → to.
        return render(request, "exchange/preview.html", {
            "result": result, "job": found, "confirm": ConfirmForm(initial={"token": found.sha256}),
            "can_export": may_export(request.user),
        })
    context = {"result": result, "job": found}
    if stored.get("marks"):
        context["annotated_token"] = found.sha256
    return _page(request, **context)


@login_required
@require_GET
def export(request):
    if not may_export(request.user):
        raise PermissionDenied
    include_personal = request.GET.get("personal") != "0"
    data = export_workbook(request.user, include_personal=include_personal)
    return _xlsx(data, export_file_name(request.user))


@login_required
@require_GET
def template(request):
    """A street clerk's template comes filled with their street, communities and records: they edit, not type."""
    user = request.user
    if user.is_clerk and user.division_id and may_export(user):
        return _xlsx(export_workbook(user), f"数据报送模板-{user.division.name}.xlsx")
    return _xlsx(template_workbook(), "数据报送模板.xlsx")
