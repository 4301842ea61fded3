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

export async function api(path, params = {}) {
  const url = withParams(path, params);
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  if (!res.ok) {
    let detail = res.statusText, code = null;
    try { const body = await res.json(); detail = body.detail || detail; code = body.code || null; } catch (_) { /* not JSON */ }
    throw new ApiError(`${res.status}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`, res.status, code);
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
  return el("div", { class: "error", role: "alert", text: `Could not load data — ${err.message || err}` });
}

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
  el("td", { text: (r.date && r.date.value) || r.date || "" }),
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
