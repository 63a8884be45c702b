"""What an import's rows refer to: divisions and elders by code, closed lists and service fields by name.

Each is looked up in memory, loaded once per import for the codes the workbook names (``exchange.lookups``),
never queried row by row. A street clerk's references stay in their own street.
"""

from django.utils.translation import gettext as _

from core.bulk import chunks
from eldercare.models import Elder
from exchange import rules
from exchange.lookups import IN_CHUNK
from volunteers.models import ServiceField


class References:
    """The lookups of an import run (``exchange.run._Run``)."""

    def resolve(self, sheet, row, column):
        code = row.values.get(column.header)
        if column.target == "elder":
            return self.resolve_elder(sheet, row, column, code)
        if not code:
            self.error(sheet, row, column.header, _("不能为空。"))
            return None
        division = self.divisions.get(code)
        if division is None or division.pk is None:
            if code in self.failed["division"]:
                row.failed = True
            else:
                self.error(sheet, row, column.header, _("找不到区划代码 %(code)s（既不在本工作簿中，也不在系统里）。") % {"code": code})
            return None
        return division

    def resolve_elder(self, sheet, row, column, code):
        elder = self.elders.get(code)
        if elder is None:
            if code in self.failed["elder"]:
                row.failed = True
            else:
                self.error(sheet, row, column.header, _("找不到老人编号 %(code)s（既不在本工作簿中，也不在系统里）。") % {"code": code})
            return None
        if self.street is not None:
            community = self.divisions.by_pk.get(elder.community_id) or elder.community
            self.check_street(sheet, row, column.header, community)
        return elder

    def preload_elders(self, codes):
        missing = sorted(code for code in codes if code and code not in self.elders)
        for chunk in chunks(missing, IN_CHUNK):
            for elder in Elder.objects.filter(code__in=chunk):
                self.elders[elder.code] = elder
        self.divisions.load_pks({elder.community_id for elder in self.elders.values()})

    def resolve_many(self, sheet, row, column):
        names = row.values.get(column.header) or []
        if column.required and not names:
            self.error(sheet, row, column.header, _("不能为空，至少填一项（多项用“;”分隔）。"))
            return []
        if column.choices:
            return self.resolve_closed(sheet, row, column, names)
        ids = []
        for name in names:
            pk = self.service_field(name)
            if pk is None:
                self.error(sheet, row, column.header, rules.unknown_value_message(
                    name, column.header, sorted(self._service_fields)))
            else:
                ids.append(pk)
        return ids

    def resolve_closed(self, sheet, row, column, names):
        """Values of a closed list loaded by a migration (十助, elder categories): labels or codes → pks."""
        by_name, labels = self.closed_list(sheet, column)
        ids = []
        for name in names:
            pk = by_name.get(name)
            if pk is None:
                self.error(sheet, row, column.header, rules.unknown_value_message(name, column.header, labels))
            elif pk not in ids:
                ids.append(pk)
        return ids

    def closed_list(self, sheet, column):
        """``({label or code: pk}, [labels])`` of a closed list in the database, read once per import."""
        if id(column) not in self._closed_lists:
            model = sheet.model._meta.get_field(column.field).related_model
            by_code = dict(model.objects.values_list("code", "pk"))
            by_name = {}
            for value, label in column.choices:
                if value in by_code:
                    by_name.setdefault(str(label), by_code[value])
                    by_name.setdefault(value, by_code[value])
            labels = [str(label) for value, label in column.choices if value in by_code]
            self._closed_lists[id(column)] = (by_name, labels)
        return self._closed_lists[id(column)]

    def service_field(self, name):
        """A volunteer service field by name (None: not on the list).

        The list is the bureau's (admin “服务领域”): a clerk's unknown name is an error suggesting the nearest
        one, never a new entry beside it in the public filter. A bureau administrator's import (or the command,
        run without a user) may still add one.
        """
        if self._service_fields is None:
            self._service_fields = dict(ServiceField.objects.values_list("name", "pk"))
        if name not in self._service_fields:
            if self.user is not None and not self.user.is_bureau_admin:
                return None
            self._service_fields[name] = ServiceField.objects.create(name=name[:30]).pk
            if self.plan is not None:
                self.plan.created(ServiceField, self._service_fields[name], name[:30])
                self.plan.service_fields.append(name[:30])
        return self._service_fields[name]

    # -- clerks: their own street only ---------------------------------------------------------------------

    def street_of(self, division):
        return self.divisions.street_of(division)

    def check_street(self, sheet, row, header, division):
        if division is None:
            return
        street = self.street_of(division)
        if street is None or street.pk != self.street.pk:
            self.error(sheet, row, header, _("属于%(other)s，您只能导入%(own)s的数据。") % {
                "other": street.name if street is not None else division.name, "own": self.street.name})
