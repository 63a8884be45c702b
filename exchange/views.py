"""Upload (preview → confirm), export and the blank template."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exchange import pending
from exchange.exporter import XLSX_CONTENT_TYPE, export_file_name, export_workbook, may_export, template_workbook
from exchange.forms import ConfirmForm, UploadForm
from exchange.importer import import_workbook, may_import


def _xlsx(data, name):
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


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
        result = import_workbook(data, file_name=upload_file.name, user=request.user, dry_run=True)
        context["result"] = result
        if result.ok:
            context["confirm"] = ConfirmForm(initial={"token": pending.save(request.user, result, data)})
    return render(request, "exchange/upload.html", context)


@login_required
@require_POST
def confirm(request):
    if not may_import(request.user):
        raise PermissionDenied
    form = ConfirmForm(request.POST)
    stored = pending.load(request.user, form.data.get("token")) if form.is_valid() else None
    if stored is None:
        messages.error(request, _("找不到待确认的文件（可能已导入或已过期），请重新上传预览。"))
        return redirect("exchange:upload")
    data, file_name, versions = stored
    result = import_workbook(data, file_name=file_name, user=request.user, expected_versions=versions)
    pending.discard(request.user, form.cleaned_data["token"])
    if not result.ok:
        return render(request, "exchange/upload.html", {
            "form": UploadForm(), "result": result, "refused": True, "can_export": may_export(request.user),
        })
    messages.success(request, _("已导入 %(file)s：新增 %(created)s 条，更新 %(updated)s 条，未变 %(unchanged)s 条。") % {
        "file": file_name,
        "created": sum(counts.created for counts in result.sheets),
        "updated": sum(counts.updated for counts in result.sheets),
        "unchanged": sum(counts.unchanged for counts in result.sheets),
    })
    return redirect("exchange:upload")


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
    return _xlsx(template_workbook(), "数据报送模板.xlsx")
