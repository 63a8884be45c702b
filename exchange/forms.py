from django import forms
from django.utils.translation import gettext_lazy as _

from exchange.safety import MAX_FILE_BYTES


class UploadForm(forms.Form):
    workbook = forms.FileField(
        label=_("数据报送工作簿（.xlsx）"),
        help_text=_("不超过 20 MB；先预览，确认后才写入。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("文件大小 %(size).1f MB，超过 20 MB 的上限，请分街道或分表报送。") % {"size": upload.size / 1024 / 1024}
            )
        return upload


class ConfirmForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
