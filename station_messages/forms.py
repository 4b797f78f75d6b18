"""The public form (a plain HTML form: no JavaScript, a few fields, errors in words)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from pioneer.core.models import Region
from station_messages.models import MAX_PHONE, MAX_TEXT, StationMessage, normalise_phone

HONEYPOT = "website"


def region_groups(locale):
    """Choices for the region select in ``locale``: one group per city, its own office
    first, then its counties, as the regions' order has them."""
    regions = list(
        Region.objects.filter(locale=locale, level__in=["city", "county"])
        .order_by("sort_order", "name")
        .only("pk", "name", "short_name", "level", "parent_id", "sort_order")
    )
    cities = [region for region in regions if region.level == "city"]
    counties = {}
    for region in regions:
        if region.level == "county":
            counties.setdefault(region.parent_id, []).append(region)
    groups = []
    for city in cities:
        options = [(str(city.pk), _("%(city)s（市级）") % {"city": city.name})]
        options += [(str(county.pk), county.name) for county in counties.get(city.pk, [])]
        groups.append((city.name, options))
    return groups


class MessageForm(forms.Form):
    region = forms.TypedChoiceField(
        label=_("发给哪里的远教办"),
        coerce=int,
        error_messages={
            "required": _("请选择您所在的县（市、区）。"),
            "invalid_choice": _("请从列表中选择您所在的县（市、区）。"),
        },
    )
    topic = forms.ChoiceField(
        label=_("留言类别"),
        choices=StationMessage.Topic.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择留言类别。"),
            "invalid_choice": _("请选择留言类别。"),
        },
    )
    # The length is checked in clean_text, after line breaks are counted as one character
    # (a browser's maxlength counts them so, and sends them as two).
    text = forms.CharField(
        label=_("留言内容"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
        help_text=_("最多 %(max)s 字。") % {"max": MAX_TEXT},
        error_messages={
            "required": _("请填写留言内容。"),
            "null_characters_not_allowed": _("留言里有无法识别的字符，请删去后再发送。"),
        },
    )
    phone = forms.CharField(
        label=_("联系电话（选填）"),
        required=False,
        max_length=40,  # as typed, with spaces and hyphens; stored without them
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "maxlength": 40}
        ),
        error_messages={
            "max_length": _("电话号码太长了，请检查。"),
            "null_characters_not_allowed": _("电话号码里有无法识别的字符。"),
        },
    )
    consent_to_publish = forms.BooleanField(
        label=_("同意在答复后公开我的问题和答复（不公开电话等个人信息）"), required=False
    )
    # Left empty by people (hidden from sight and from screen readers); bots fill it.
    website = forms.CharField(
        label=_("请勿填写此项"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale = locale or Locale.get_active()
        self.region_groups = region_groups(self.locale)
        self.fields["region"].choices = [("", _("请选择")), *self.region_groups]

    @property
    def is_bot(self):
        return bool(self.data.get(HONEYPOT))

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        if not text:
            raise forms.ValidationError(_("请填写留言内容。"))
        if len(text) > MAX_TEXT:
            raise forms.ValidationError(
                _("留言最多 %(max)s 字，现在是 %(count)s 字，请删减一些。")
                % {"max": MAX_TEXT, "count": len(text)}
            )
        return text

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone", ""))
        if len(phone) > MAX_PHONE:
            raise forms.ValidationError(_("电话号码太长了，请检查。"))
        for validator in StationMessage._meta.get_field("phone").validators:
            validator(phone)
        return phone

    def clean_region(self):
        """The region in the source language (the one offices' scopes and the admin use)."""
        chosen = Region.objects.filter(
            pk=self.cleaned_data["region"], locale=self.locale, level__in=["city", "county"]
        ).first()
        if chosen is None:
            raise forms.ValidationError(_("请从列表中选择您所在的县（市、区）。"))
        default = Locale.get_default()
        if chosen.locale_id == default.pk:
            return chosen
        return chosen.get_translation_or_none(default) or chosen

    def save(self):
        data = self.cleaned_data
        message = StationMessage(
            region=data["region"],
            topic=data["topic"],
            text=data["text"],
            phone=data["phone"],
            consent_to_publish=data["consent_to_publish"],
            language=(get_language() or "zh-hans")[:10],
        )
        message.full_clean()
        message.save()
        return message
