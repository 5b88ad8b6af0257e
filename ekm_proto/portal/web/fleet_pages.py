"""The pages that show the fleet: customers and sites, the asset list, a device, consumable
requests, agents."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from markupsafe import Markup

from ekm_proto.page_counts import RollUp
from ekm_proto.portal.reports import alert_row, consumable_row, meters_by_month
from ekm_proto.portal.store import web_reads
from ekm_proto.portal.web import admin_pages
from ekm_proto.portal.web.context import STORE, refuse, render, session_of
from ekm_proto.portal.web.usage_svg import usage_svg

ROUTES = web.RouteTableDef()
PAGE_SIZES = (25, 50, 100, 200, 500)
DEFAULT_PAGE_SIZE = 50


@ROUTES.get("/")
async def root(request: web.Request) -> web.StreamResponse:
    if session_of(request) is None:
        return admin_pages.login_form(request)
    return await customers(request)


@ROUTES.get("/customers")
async def customers(request: web.Request) -> web.Response:
    rows = web_reads.customers_and_sites(request.app[STORE])
    return render(request, "customers.html", rows=rows)


def _int_query(request: web.Request, name: str, default: int) -> int | None:
    text = request.query.get(name)
    if text is None:
        return default
    return int(text) if text.isdigit() else None


@ROUTES.get("/assets")
async def assets(request: web.Request) -> web.Response:
    page = _int_query(request, "page", 1)
    per = _int_query(request, "per", DEFAULT_PAGE_SIZE)
    sort = request.query.get("sort", "device")
    order = request.query.get("order", "asc")
    if page is None or page < 1:
        return refuse(request, 400, "page: expected a page number from 1")
    if per not in PAGE_SIZES:
        return refuse(request, 400, "per: expected one of " + ", ".join(map(str, PAGE_SIZES)))
    if sort not in web_reads.ASSET_SORTS:
        return refuse(request, 400, "sort: expected one of " + ", ".join(web_reads.ASSET_SORTS))
    if order not in ("asc", "desc"):
        return refuse(request, 400, "order: expected asc or desc")
    customer, site = request.query.get("customer"), request.query.get("site")
    store = request.app[STORE]
    total = web_reads.asset_count(store, customer, site)
    pages = max(1, -(-total // per))
    rows = web_reads.asset_page(store, sort=sort, descending=order == "desc",
                                offset=(min(page, pages) - 1) * per, limit=per,
                                customer=customer, site=site)
    base = {k: v for k, v in (("customer", customer), ("site", site)) if v is not None}
    return render(request, "assets.html", rows=rows, total=total, page=min(page, pages),
                  pages=pages, per=per, sort=sort, order=order, base=base,
                  sizes=PAGE_SIZES, columns=_ASSET_HEADINGS)


_ASSET_HEADINGS = (("device", "Device ID"), ("zone", "Zone"), ("manufacturer", "Manufacturer"),
                   ("model", "Model"), ("serial", "Serial Number"), ("asset", "Asset Number"),
                   ("mac", "MAC Address"), ("ip", "IP Address"), ("cycles", "Engine Cycles"),
                   ("discovered", "Discovery Date"), ("location", "Device Location"))


@ROUTES.get("/devices/{serial}")
async def device(request: web.Request) -> web.Response:
    serial = request.match_info["serial"]
    store = request.app[STORE]
    found = store.device(serial)
    if found is None:
        return refuse(request, 404, f"No device with serial number {serial} has reported to "
                                    "this portal.")
    latest = web_reads.latest_reading(store, serial)
    rollup = None if latest is None else RollUp(
        latest["mono_small"], latest["colour_small"], latest["mono_large"],
        latest["colour_large"], latest["engine_cycles"])
    alerts = [{**alert_row(a, []), "open": a["cleared_at"] is None}
              for a in web_reads.device_alerts(store, serial)]
    requested = web_reads.requested_supplies(store, serial)
    supplies = [consumable_row(store, s, requested)
                for s in web_reads.device_supplies(store, serial)]
    months = meters_by_month(store, serial, found["agent"])
    title = " ".join(f"Monthly Usage History: {found['manufacturer'] or ''} "
                     f"{found['model'] or ''} {serial}".split())
    context: dict[str, Any] = {
        "device": found, "latest": latest, "rollup": None if rollup is None else rollup.table(),
        "counters": web_reads.raw_counters_with_dates(store, serial),
        "chart": Markup(usage_svg(months, title)) if months else None,
        "open_alerts": [a for a in alerts if a["open"]],
        "cleared_alerts": [a for a in alerts if not a["open"]], "supplies": supplies}
    return render(request, "device.html", **context)


@ROUTES.get("/requests")
async def requests(request: web.Request) -> web.Response:
    return render(request, "requests.html",
                  rows=web_reads.consumable_requests(request.app[STORE]))


@ROUTES.get("/agents")
async def agents(request: web.Request) -> web.Response:
    return render(request, "agents.html", rows=web_reads.agents(request.app[STORE]))
