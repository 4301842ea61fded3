// Shared helpers: fetching the JSON twins, building DOM safely, charts, empty states.
// All text from the store goes through textContent (never innerHTML): articles are untrusted.

export const QUAD = [
  ["material_conflict", "Material conflict", "#c8453b", -1],
  ["verbal_conflict", "Verbal conflict", "#f2a65a", -1],
  ["verbal_cooperation", "Verbal cooperation", "#74b49b", 1],
  ["material_cooperation", "Material cooperation", "#2e7d5b", 1],
];
export const QUAD_COLOR = Object.fromEntries(QUAD.map(([k, , c]) => [k, c]));
export const STATUS_COLOR = { occurred: "#1f6b48", planned: "#2457a6", denied: "#c8453b", hypothetical: "#8b5cf6" };

export class ApiError extends Error {
  constructor(message, status, code) { super(message); this.status = status; this.code = code; }
}

// An API error body as one sentence for a person: the server's own ``detail`` when it is
// text; a list of validation problems ("limit: Input should be ...") joined; never raw JSON.
export function sentence(detail, fallback = "The request failed.") {
  if (typeof detail === "string" && detail.trim()) return detail.trim();
  if (Array.isArray(detail)) {
    const parts = detail.map((d) => {
      if (typeof d === "string") return d;
      const where = Array.isArray(d && d.loc) ? d.loc.filter((x) => x !== "query" && x !== "path" && x !== "body").join(".") : "";
      const msg = d && (d.msg || d.message) ? String(d.msg || d.message) : "is not valid";
      return where ? `${where}: ${msg}` : msg;
    }).filter(Boolean);
    if (parts.length) return parts.join("; ");
  }
  if (detail && typeof detail === "object" && (detail.msg || detail.message)) return String(detail.msg || detail.message);
  return fallback;
}

export async function api(path, params = {}) {
  const url = withParams(path, params);
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  if (!res.ok) {
    let detail = null, code = null;
    try { const body = await res.json(); detail = body.detail; code = body.code || null; } catch (_) { /* not JSON */ }
    throw new ApiError(sentence(detail, `The server answered ${res.status} ${res.statusText || ""}`.trim() + "."), res.status, code);
  }
  return res.json();
}

export function withParams(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "href" || k === "src") { const safe = safeHref(v); if (safe !== null) node.setAttribute(k, safe); }
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

// Only web addresses become links: an article's ``url`` comes from the input, and a
// "javascript:" or "data:" address there must never run or open anything (the CSP would
// block it, but the dashboard does not rely on that). Anything else is shown as text.
const WEB_SCHEMES = new Set(["http:", "https:"]);

export function webUrl(value) {
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (!/^https?:[/][/]/i.test(text)) return null;  // absolute http(s) only, before any parsing
  try {
    const parsed = new URL(text);
    return WEB_SCHEMES.has(parsed.protocol) ? parsed.href : null;
  } catch (_) {
    return null;
  }
}

// Every href/src that ``el`` sets: a path of this server ("/api/...", "#/cluster/...",
// "?x=1"; not "//host" or "/\\host") or a web address; null (no attribute) otherwise.
export function safeHref(value) {
  if (typeof value !== "string") return null;
  if (/^(#|\?|[/](?![/\\]))/.test(value)) return value;
  return webUrl(value);
}

export function externalLink(value, attrs = {}) {
  const href = webUrl(value);
  const text = value == null ? "" : String(value);
  return href
    ? el("a", { ...attrs, href, rel: "noopener noreferrer", target: "_blank", text })
    : el("span", { ...attrs, class: "url", text });
}

export function setTwin(path, params) {
  const a = document.getElementById("twin");
  a.href = withParams(path, params);
}

export function header(title, sub) {
  return [el("h1", { text: title }), sub ? el("p", { class: "sub", text: sub }) : null];
}

export function card(title, ...body) {
  return el("section", { class: "card" }, title ? el("h2", { text: title }) : null, ...body);
}

export function empty(message) {
  return el("div", { class: "empty", text: message });
}

export function errorBox(err) {
  const what = err instanceof ApiError ? err.message : String((err && err.message) || err);
  const ref = err instanceof ApiError ? [err.code, err.status ? `HTTP ${err.status}` : null].filter(Boolean).join(", ") : "";
  return el("div", { class: "error", role: "alert", "data-testid": "error" },
    el("span", { text: `Could not load data: ${what.replace(/[.]?$/, ".")}` }),
    ref ? el("span", { class: "code", text: ` (${ref})` }) : null);
}

// The filter bar shared by the network and map pages (and any chart page): dates, type,
// status; each change rewrites the page's hash so the view (and its JSON twin) follow it.
export const STATUSES = ["occurred", "planned", "denied", "hypothetical"];

export function filterBar(view, params, extra = []) {
  const field = (name, label, attrs) => el("label", {}, label, el("input", { name, value: params[name] || "", ...attrs }));
  const status = el("select", { name: "status" }, el("option", { value: "", text: "any" }),
    STATUSES.map((s) => el("option", { value: s, selected: params.status === s, text: s })));
  return el("form", { class: "toolbar", "data-testid": "filters", onsubmit: (e) => {
    e.preventDefault();
    const q = Object.fromEntries([...new FormData(e.target).entries()].filter(([, v]) => String(v).trim() !== ""));
    location.hash = withParams(`#/${view}`, q);
  } },
  field("since", "Since", { placeholder: "2005-01", "aria-label": "since" }),
  field("until", "Until", { placeholder: "2008-12-31", "aria-label": "until" }),
  field("type", "Type", { placeholder: "ASSAULT", "aria-label": "type" }),
  el("label", {}, "Status", status), ...extra,
  el("button", { type: "submit", text: "Apply" }));
}

export function filterParams(params) {
  // The filter values the API understands, from the page's hash parameters.
  return { since: params.since, until: params.until, type: params.type, status: params.status };
}

// Charts default to the span of the articles' dates (``/api/summary``'s ``dates``): an
// event dated by a passing "in 1826" must not stretch the axis over two centuries.
export function articleRange(dates) {
  return dates && Array.isArray(dates.axis) && dates.axis.length === 2 ? dates.axis : null;
}

export function axisRange(range, interval = "month") {
  // ``range`` widened by half a period at the start: a bar is centred on its period's first
  // day, so the first period's bar would otherwise be cut in half.
  if (!range) return null;
  const half = { day: 1, week: 4, month: 16, quarter: 46, year: 183 }[interval] || 16;
  const d = new Date(`${range[0]}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - half);
  return [d.toISOString().slice(0, 10), range[1]];
}

export function outsideNote(dates, what = "events", chart = null) {
  // "160 events are dated before the articles' span (2004-11-13 – 2022-01-13) and are not on
  // the axis: 1701 (1), 1826 (1) …" with a link listing them; null when nothing lies outside.
  if (!dates || !dates.outside) return null;
  const years = (dates.by_year || []).map((y) => `${y.year} (${y.events})`);
  const shown = years.length > 12 ? [...years.slice(0, 12), `… ${years.length - 12} more years`] : years;
  const [lo, hi] = articleRange(dates) || [dates.first, dates.last];
  const before = dates.before ? el("a", { href: `#/events?until=${dayBefore(lo)}`, text: "list those before" }) : null;
  const after = dates.after ? el("a", { href: `#/events?since=${dayAfter(hi)}`, text: "list those after" }) : null;
  return el("p", { class: "muted outside", "data-testid": "outside-span" },
    `${fmtInt(dates.outside)} ${what} are dated outside the articles' span (${dates.first} – ${dates.last}) and are not on this axis: `,
    shown.join(", "), ". ", before, before && after ? " · " : null, after,
    dates.background ? `. ${fmtInt(dates.background)} events are background: dated more than ${dates.background_days} days before their own article.` : null,
    chart ? " " : null, chart ? showAll(chart) : null);
}

export function showAll(chart) {
  // A button that widens ``chart``'s time axis to every date (what lies outside included).
  return el("button", { type: "button", class: "ghost small", "data-testid": "show-all-dates", text: "Show all dates",
    onclick: () => window.Plotly.relayout(chart, { "xaxis.autorange": true }) });
}

function dayBefore(iso) { const d = new Date(`${iso}T00:00:00Z`); d.setUTCDate(d.getUTCDate() - 1); return d.toISOString().slice(0, 10); }
function dayAfter(iso) { const d = new Date(`${iso}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1); return d.toISOString().slice(0, 10); }

const BASE_LAYOUT = {
  margin: { l: 48, r: 16, t: 10, b: 40 }, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
  font: { family: "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", size: 12, color: "#334155" },
  hoverlabel: { bgcolor: "#fff", bordercolor: "#cbd5e1", font: { color: "#1f2933" } },
  xaxis: { gridcolor: "#eef1f4", zeroline: false }, yaxis: { gridcolor: "#eef1f4", zeroline: false },
};
const CONFIG = { displaylogo: false, responsive: true, displayModeBar: false };

export function plot(div, traces, layout = {}, config = {}) {
  const merged = { ...BASE_LAYOUT, ...layout,
    xaxis: { ...BASE_LAYOUT.xaxis, ...(layout.xaxis || {}) }, yaxis: { ...BASE_LAYOUT.yaxis, ...(layout.yaxis || {}) } };
  return window.Plotly.newPlot(div, traces, merged, { ...CONFIG, ...config });
}

export function chartDiv(cls = "chart", testid) {
  return el("div", { class: cls, "data-testid": testid });
}

export function fmtInt(n) {
  return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US");
}

export function pairs(data) {
  // {"CONSULT": 3} or [{"type": "CONSULT", "events": 3}] or [["CONSULT", 3]] → [["CONSULT", 3]]
  if (!data) return [];
  if (Array.isArray(data)) {
    return data.map((r) => {
      if (Array.isArray(r)) return [String(r[0]), Number(r[r.length - 1])];
      const keys = Object.keys(r);
      const label = keys.find((k) => typeof r[k] === "string");
      const num = ["events", "count", "n", "weight", "mentions"].find((k) => k in r) || keys.find((k) => typeof r[k] === "number");
      return [String(r[label]), Number(r[num])];
    });
  }
  return Object.entries(data).map(([k, v]) => [k, Number(v)]);
}

export function sideLabel(side) {
  if (!side) return "—";
  const items = Array.isArray(side) ? side : [side];
  return items.map((s) => {
    const who = s.entity || s.text || "?";
    const code = s.actor || s.country;
    return code && code !== who ? `${who} (${code})` : who;
  }).join(" + ");
}

export function statusPill(status) {
  return el("span", { class: `pill ${status || ""}`, text: status || "?" });
}

export function eventTable(rows, onPick) {
  const head = el("thead", {}, el("tr", {}, ["Date", "Type", "Status", "Source", "Target", "Where", "Evidence"]
    .map((h) => el("th", { text: h }))));
  const body = el("tbody", {}, rows.map((r) => el("tr", {
    "data-event": r.event_id, "data-article": r.article_id, tabindex: "0",
    onclick: () => onPick(r), onkeydown: (e) => { if (e.key === "Enter") onPick(r); },
  },
  el("td", {}, (r.date && r.date.value) || r.date || "", r.background
    ? el("span", { class: "pill background", title: "dated more than a year before its article: history the article mentions",
      text: "background" }) : null),
  el("td", {}, el("span", { class: "pill", style: `background:${QUAD_COLOR[r.quad_class] || "#eef1f4"}22`, text: r.type })),
  el("td", {}, statusPill(r.status)),
  el("td", { text: sideLabel(r.source) }),
  el("td", { text: sideLabel(r.target) }),
  el("td", { text: (r.location && r.location.name) || "—" }),
  el("td", { class: "ev", text: r.evidence || "" }))));
  return el("table", { class: "events", "data-testid": "event-table" }, head, body);
}

export function openEvent(r) {
  location.hash = `#/article/${encodeURIComponent(r.article_id)}/${encodeURIComponent(r.event_id)}`;
}

export function periodRange(period, interval) {
  // "2019-05" (month) → [since, until] ISO strings understood by the API.
  const p = String(period);
  if (interval === "day") return [p.slice(0, 10), p.slice(0, 10)];
  const d = new Date(p.length === 4 ? `${p}-01-01` : p.length === 7 ? `${p}-01` : p.slice(0, 10));
  if (isNaN(d)) return [null, null];
  const end = new Date(d);
  if (interval === "week") end.setUTCDate(end.getUTCDate() + 6);
  else if (interval === "quarter") { end.setUTCMonth(end.getUTCMonth() + 3); end.setUTCDate(0); }
  else if (interval === "year") { end.setUTCFullYear(end.getUTCFullYear() + 1); end.setUTCDate(0); }
  else if (interval === "month") { end.setUTCMonth(end.getUTCMonth() + 1); end.setUTCDate(0); }
  return [d.toISOString().slice(0, 10), end.toISOString().slice(0, 10)];
}

export function dateAxis(count, interval = "month") {
  // One labelled tick per period while they fit; Plotly's automatic ticks beyond that.
  const spec = { month: ["M1", "%b %Y", 24], quarter: ["M3", "%b %Y", 24], year: ["M12", "%Y", 30] }[interval];
  if (!spec || count > spec[2]) return { type: "date" };
  return { type: "date", dtick: spec[0], tickformat: spec[1] };
}
