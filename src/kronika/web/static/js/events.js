// Event table (filters, paging, CSV) and the article reader that highlights evidence.
import { QUAD_COLOR, api, card, el, empty, eventTable, externalLink, header, openEvent, setTwin, sideLabel, statusPill, withParams } from "./util.js";

const FIELDS = [["actor", "Actor", "JPN, RUSGOV, Lavrov"], ["type", "Type", "CONSULT"], ["status", "Status", "planned"],
  ["since", "Since", "2019-05"], ["until", "Until", "2019-12-31"], ["place", "Place", "Tokyo"], ["text", "Text", "summit"]];
const PAGE = 50;

export async function events(main, _parts, params, stale) {
  const offset = Math.max(0, parseInt(params.offset || "0", 10) || 0);
  const query = { ...pick(params), limit: PAGE, offset };
  setTwin("/api/events", query);
  const res = await api("/api/events", query);
  if (stale()) return;
  const inputs = FIELDS.map(([k, label, ph]) => el("label", {}, label, el("input", { name: k, value: params[k] || "", placeholder: ph })));
  const form = el("form", { class: "toolbar", onsubmit: (e) => {
    e.preventDefault();
    const q = Object.fromEntries(new FormData(e.target).entries());
    location.hash = withParams("#/events", q);
  } }, inputs, el("button", { type: "submit", text: "Filter" }),
  // Every matching event, not this page: the API streams the whole filtered query as CSV.
  el("a", { href: withParams("/api/events", { ...pick(params), format: "csv" }), "data-testid": "download-csv",
    title: "All matching events as CSV (every row, not just this page)", text: `Download CSV (${res.total} events)` }));
  const to = Math.min(offset + res.items.length, res.total);
  const nav = (o) => { location.hash = withParams("#/events", { ...pick(params), offset: o }); };
  const pager = el("div", { class: "pager" },
    el("button", { class: "ghost", disabled: offset === 0, onclick: () => nav(Math.max(0, offset - PAGE)), text: "← Previous" }),
    el("span", { text: res.total ? `${offset + 1}–${to} of ${res.total}` : "0 events" }),
    el("button", { class: "ghost", disabled: res.next_offset === null || res.next_offset === undefined, onclick: () => nav(res.next_offset), text: "Next →" }));
  main.replaceChildren(...header("Events", "Every event with its evidence sentence. Click a row to read it in its article."), form,
    card(null, res.items.length ? eventTable(res.items, openEvent) : empty("No events match these filters."), pager));
}

function pick(params) {
  return Object.fromEntries(FIELDS.map(([k]) => [k, params[k]]).filter(([, v]) => v));
}

export async function article(main, parts, _params, stale) {
  const [id, eventId] = parts;
  const path = `/api/articles/${encodeURIComponent(id || "")}`;
  setTwin(path);
  const a = await api(path);
  if (stale()) return;
  const evs = a.events || [];
  const selected = evs.find((e) => e.event_id === eventId) || null;
  const text = el("div", { class: "text", "data-testid": "article-text" }, highlighted(a.text || "", evs, selected, id));
  const list = el("div", { "data-testid": "article-events" }, evs.length ? evs.map((e) => evCard(e, e === selected, id)) : empty("No events were found in this article."));
  main.replaceChildren(...header(a.title || "Article", [a.date, a.source, a.doc_id].filter(Boolean).join(" · ")),
    el("div", { class: "article" }, card(null, a.url ? el("p", {}, externalLink(a.url, { "data-testid": "article-url" })) : null, text),
      card(`${evs.length} events`, list)));
  const mark = text.querySelector("mark.sel");
  if (mark) mark.scrollIntoView({ block: "center" });
}

function spanOf(e, text) {
  if (Number.isInteger(e.evidence_start) && e.evidence_end > e.evidence_start) return [e.evidence_start, e.evidence_end];
  const at = e.evidence ? text.indexOf(e.evidence) : -1;
  return at >= 0 ? [at, at + e.evidence.length] : null;
}

function highlighted(text, evs, selected, articleId) {
  // Non-overlapping evidence spans in order; the selected event's span wins an overlap.
  const spans = [];
  for (const e of evs) { const s = spanOf(e, text); if (s) spans.push({ s: s[0], t: s[1], e }); }
  spans.sort((p, q) => (p.e === selected ? -1 : q.e === selected ? 1 : p.s - q.s));
  const chosen = [];
  for (const sp of spans) if (!chosen.some((c) => sp.s < c.t && c.s < sp.t)) chosen.push(sp);
  chosen.sort((p, q) => p.s - q.s);
  const out = [];
  let at = 0;
  for (const sp of chosen) {
    out.push(text.slice(at, sp.s));
    out.push(el("mark", { class: sp.e === selected ? "sel" : null, "data-event": sp.e.event_id, title: `${sp.e.type} (${sp.e.status})`,
      onclick: () => { location.hash = `#/article/${articleId}/${sp.e.event_id}`; } }, text.slice(sp.s, sp.t)));
    at = sp.t;
  }
  out.push(text.slice(at));
  return out;
}

function evCard(e, isSel, articleId) {
  const loc = e.location ? e.location.name : "—";
  return el("div", { class: `evcard${isSel ? " sel" : ""}`, "data-event": e.event_id, style: `border-left-color:${isSel ? "#e0a800" : QUAD_COLOR[e.quad_class] || "#e3e7ec"}`,
    onclick: () => { location.hash = `#/article/${articleId}/${e.event_id}`; } },
  el("div", { class: "t" }, `${e.type} `, statusPill(e.status)),
  el("dl", { class: "kv" },
    el("dt", { text: "who" }), el("dd", { text: sideLabel(e.source) }),
    el("dt", { text: "whom" }), el("dd", { text: sideLabel(e.target) }),
    el("dt", { text: "when" }), el("dd", { text: e.date ? `${e.date.value}${e.date.text && e.date.text !== e.date.value ? ` (“${e.date.text}”)` : ""}` : "—" }),
    el("dt", { text: "where" }), el("dd", { text: loc }),
    el("dt", { text: "confidence" }), el("dd", { text: e.confidence ?? "—" }),
    el("dt", { text: "reports" }), el("dd", {}, e.cluster_id
      ? el("a", { href: `#/cluster/${encodeURIComponent(e.cluster_id)}`, "data-testid": "cluster-link",
        onclick: (ev) => ev.stopPropagation(),
        text: `reported by ${e.cluster_articles || 1} article${(e.cluster_articles || 1) === 1 ? "" : "s"} →` }) : "—")));
}

export { openEvent };
