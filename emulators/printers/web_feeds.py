"""The machine-readable variants vendors' web servers offer besides their pages: HP's LEDM XML
(``/DevMgmt/*.xml``), Samsung SyncThru's JSON (``/sws/app/information/*/*.json``) and Kyocera's
JavaScript data models (``/js/jssrc/model/...``). Lexmark and Epson models of this age have none:
their pages are read as HTML (web_pages.py). The formats are documented in the README's "Printer
web pages" section; every one lists all counters, those only the web shows marked as such.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.sax.saxutils import escape

from emulators.printers.web_data import PageData

Feed = Callable[[PageData], str]
_DD = "http://www.hp.com/schemas/imaging/con/dictionaries/1.0/"
_LEDM = "http://www.hp.com/schemas/imaging/con/ledm"


def _xml(root: str, namespace: str, body: str) -> str:
    prefix = root.split(":")[0]
    return (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns:{prefix}=\"{namespace}\" "
            f"xmlns:dd=\"{_DD}\">{body}</{root}>\n")


def _tag(name: str, value: object) -> str:
    return f"<dd:{name}>{escape(str(value))}</dd:{name}>"


def hp_product_config(data: PageData) -> str:
    body = (f"<prdcfgdyn:ProductInformation>{_tag('MakeAndModel', data.model)}"
            f"{_tag('SerialNumber', data.serial)}{_tag('HostName', data.name)}"
            f"{_tag('MACAddress', data.mac)}{_tag('IPv4Address', data.address)}"
            f"{_tag('DeviceLocation', data.location)}{_tag('Contact', data.contact)}"
            f"{_tag('Version', data.firmware)}</prdcfgdyn:ProductInformation>")
    return _xml("prdcfgdyn:ProductConfigDyn", f"{_LEDM}/productconfigdyn/2007/11/05", body)


def hp_consumables(data: PageData) -> str:
    items = "".join(
        f"<ccdyn:ConsumableInfo>{_tag('ConsumableStation', s.index)}"
        f"{_tag('ConsumableLabelCode', s.colorant or s.kind)}"
        f"{_tag('ConsumableTypeEnum', 'wasteReceptacle' if s.kind == 'receptacle' else 'ink')}"
        f"{_tag('ProductNumber', s.description.rpartition(' HP ')[2] if ' HP ' in s.description else '')}"
        f"{_tag('ConsumableSelectibilityNumber', s.description)}"
        f"{_tag('ConsumablePercentageLevelRemaining', '' if s.percent is None else s.percent)}"
        f"</ccdyn:ConsumableInfo>" for s in data.supplies)
    return _xml("ccdyn:ConsumableConfigDyn", f"{_LEDM}/consumableconfigdyn/2007/11/19", items)


def hp_usage(data: PageData) -> str:
    counters = "".join(
        f"<pudyn:Counter>{_tag('Name', c.name)}{_tag('Value', c.value)}"
        f"{_tag('WebOnly', 'true' if c.web_only else 'false')}</pudyn:Counter>"
        for c in data.counters)
    total = data.counters[0].value
    return _xml("pudyn:ProductUsageDyn", f"{_LEDM}/productusagedyn/2007/12/11",
                f"<pudyn:PrinterSubunit>{_tag('TotalImpressions', total)}</pudyn:PrinterSubunit>"
                f"<pudyn:Counters>{counters}</pudyn:Counters>")


def hp_status(data: PageData) -> str:
    alerts = "".join(
        f"<psdyn:Alert>{_tag('ProductStatusAlertID', a.code)}{_tag('Severity', a.severity)}"
        f"{_tag('AlertPriority', a.index)}{_tag('Description', a.description)}"
        f"{_tag('AlertTime', a.raised)}</psdyn:Alert>" for a in data.alerts)
    body = (f"<psdyn:Status>{_tag('StatusCategory', data.status_text)}"
            f"{_tag('StatusCode', data.status_code)}</psdyn:Status>"
            f"<psdyn:AlertTable>{alerts}</psdyn:AlertTable>")
    return _xml("psdyn:ProductStatusDyn", f"{_LEDM}/productstatusdyn/2007/10/31", body)


def hp_media(data: PageData) -> str:
    trays = "".join(
        f"<mhdyn:InputTray>{_tag('InputBin', f'Tray{t.index}')}{_tag('Name', t.name)}"
        f"{_tag('MediaSize', t.size)}{_tag('MediaType', t.media)}{_tag('Capacity', t.capacity)}"
        f"{_tag('CurrentLevel', '' if t.sheets is None else t.sheets)}"
        f"{_tag('State', t.status)}</mhdyn:InputTray>" for t in data.trays)
    return _xml("mhdyn:MediaHandlingDyn", f"{_LEDM}/mediahandlingdyn/2007/11/26", trays)


def samsung_home(data: PageData) -> str:
    home: dict[str, object] = {
        "identity": {"model_name": data.model, "serial_num": data.serial, "host_name": data.name,
                     "ip_addr": data.address, "mac_addr": data.mac, "location": data.location},
        "status": {"status1": data.status_text, "code": data.status_code,
                   "online": data.online},
        "supplies": [{"index": s.index, "name": s.description, "color": s.colorant,
                      "kind": s.kind, "remaining": s.percent} for s in data.supplies],
        "trays": [{"index": t.index, "name": t.name, "paper_size": t.size,
                   "paper_type": t.media, "capa": t.capacity, "level": t.sheets,
                   "status": t.status} for t in data.trays],
        "alerts": [{"index": a.index, "severity": a.severity, "code": a.code,
                    "message": a.description, "time": a.raised} for a in data.alerts]}
    return json.dumps(home, indent=1)


def samsung_counters(data: PageData) -> str:
    return json.dumps({"GXI_BILLING_TOTAL_IMP_CNT": data.counters[0].value,
                       "counters": [{"name": c.name, "value": c.value, "web_only": c.web_only}
                                    for c in data.counters]}, indent=1)


def kyocera_counters(data: PageData) -> str:
    lines = [f"_pp.printertotal = ('{data.counters[0].value}');"]
    lines += [f"_pp.counter[{i}] = ('{_js(c.name)}', '{c.value}', '{int(c.web_only)}');"
              for i, c in enumerate(data.counters)]
    return "_pp.counter = new Array();\n" + "\n".join(lines) + "\n"


def _js(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


#: vendor style -> path -> (content type, feed)
FEEDS: dict[str, dict[str, tuple[str, Feed]]] = {
    "hp": {"/DevMgmt/ProductConfigDyn.xml": ("text/xml", hp_product_config),
           "/DevMgmt/ConsumableConfigDyn.xml": ("text/xml", hp_consumables),
           "/DevMgmt/ProductUsageDyn.xml": ("text/xml", hp_usage),
           "/DevMgmt/ProductStatusDyn.xml": ("text/xml", hp_status),
           "/DevMgmt/MediaHandlingDyn.xml": ("text/xml", hp_media)},
    "samsung": {"/sws/app/information/home/home.json": ("application/json", samsung_home),
                "/sws/app/information/counters/counters.json": ("application/json",
                                                                 samsung_counters)},
    "kyocera": {"/js/jssrc/model/dvcinfo/dvccounter/DvcInfo_Counter_PrnCounter.model.htm": (
        "text/javascript", kyocera_counters)},
}
