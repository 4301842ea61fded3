// Overview: volume over time by quad class, top actors, top dyads, status mix.
import { QUAD, STATUS_COLOR, api, articleRange, axisRange, card, chartDiv, dateAxis, el, empty, fmtInt, header, outsideNote, pairs, plot,
  setTwin } from "./util.js";

function kpi(label, value, testid, size = "", note = null) {
  return el("div", { class: "card kpi", "data-testid": testid }, el("div", { class: `v ${size}`, text: value }), el("div", { class: "l", text: label }),
    note ? el("div", { class: "n muted", text: note }) : null);
}

export async function overview(main, _parts, params, stale) {
  // ``count``: reports (every stored report) or events (each happening once: clusters).
  const count = params.count === "events" ? "events" : "reports";
  setTwin("/api/summary", count === "events" ? { count } : {});
  const [s, vol] = await Promise.all([api("/api/summary", { count }), api("/api/volume", { interval: "month", count })]);
  if (stale()) return;
  const nEvents = Number(s.events || 0);
  const status = pairs(s.by_status);
  const planned = status.find(([k]) => k === "planned");
  // The articles' span: what the corpus reports on (event dates reach back to whatever
  // year an article mentions; those are listed under the chart, not drawn).
  const dates = s.dates || {};
  const span = [dates.first || s.first_date, dates.last || s.last_date].filter(Boolean).join(" – ");
  const volume = chartDiv("chart", "chart-volume");
  const actors = chartDiv("chart tall", "chart-actors");
  const dyads = chartDiv("chart tall", "chart-dyads");
  const mix = chartDiv("chart", "chart-status");
  const types = chartDiv("chart", "chart-types");
  main.replaceChildren(...[
    ...header("Overview", "What the store holds: how much, when, between whom, and how sure."),
    el("div", { class: "toolbar" }, el("label", {}, "Count", el("select", { name: "count", "data-testid": "count",
      onchange: (e) => { location.hash = e.target.value === "events" ? "#/overview?count=events" : "#/overview"; } },
    el("option", { value: "reports", selected: count === "reports", text: "reports (every article's mention)" }),
    el("option", { value: "events", selected: count === "events", text: "events (each happening once)" })))),
    el("div", { class: "kpis" },
      kpi("Articles", fmtInt(s.articles), "kpi-articles"), kpi(count === "events" ? "Events (happenings)" : "Events", fmtInt(nEvents), "kpi-events", "",
        count === "reports" && s.clusters !== undefined && s.clusters !== nEvents
          ? `reports of ${fmtInt(s.clusters)} distinct happenings (clusters)` : null),
      kpi("Planned or announced", nEvents ? `${Math.round((100 * (planned ? planned[1] : 0)) / nEvents)} %` : "–", "kpi-planned"),
      kpi("Article dates", span || "–", "kpi-span", "small")),
    s.ingest_errors ? el("p", { class: "muted", text: `${fmtInt(s.ingest_errors)} input records could not be read (see the ingest_errors table).` }) : null,
  ].filter(Boolean));
  if (!nEvents) {
    main.append(card("No events yet", empty("The store has no events. Ingest articles with `kronika ingest FILE` or POST /api/articles, then reload.")));
    return;
  }
  main.append(
    card("Events over time, by quad class", volume, outsideNote(dates, "events", volume)),
    el("div", { class: "grid g2" }, card("Top actors (click for their events)", actors), card("Top dyads (click to explore)", dyads)),
    el("div", { class: "grid g2" }, card("Status mix", mix), card("Event types", types)),
  );
  drawVolume(volume, vol.series || [], articleRange(dates));
  drawTop(actors, topActors(s), (name) => { location.hash = `#/events?actor=${encodeURIComponent(name)}`; }, "#2457a6");
  const dy = topDyads(s);
  drawTop(dyads, dy.map(([a, b, n]) => [`${a} – ${b}`, n]), (label) => {
    const [a, b] = label.split(" – ");
    location.hash = `#/dyad/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
  }, "#fca311");
  plot(mix, [{ type: "pie", hole: 0.55, labels: status.map(([k]) => k), values: status.map(([, n]) => n),
    marker: { colors: status.map(([k]) => STATUS_COLOR[k] || "#94a3b8") }, textinfo: "label+percent", sort: false }],
  { showlegend: false, margin: { l: 10, r: 10, t: 10, b: 10 } });
  const ty = pairs(s.by_type).sort((a, b) => b[1] - a[1]);
  drawTop(types, ty, (t) => { location.hash = `#/events?type=${encodeURIComponent(t)}`; }, "#64748b");
}

function topActors(s) {
  const rows = s.top_actors || s.actors || [];
  return rows.map((r) => (Array.isArray(r) ? [String(r[0]), Number(r[1])]
    : [String(r.actor || r.label || r.country || r.entity || r.name), Number(r.events ?? r.count ?? r.n ?? 0)]));
}

function topDyads(s) {
  return (s.top_dyads || []).map((r) => (Array.isArray(r) ? r
    : [r.a || r.source, r.b || r.target, Number(r.events ?? r.count ?? r.n ?? 0)])).filter(([a, b]) => a && b);
}

function drawTop(div, rows, onClick, color) {
  if (!rows.length) { div.replaceWith(empty("Nothing to rank yet.")); return; }
  const top = rows.slice(0, 15).reverse();
  plot(div, [{ type: "bar", orientation: "h", y: top.map(([k]) => k), x: top.map(([, n]) => n), marker: { color },
    hovertemplate: "%{y}: %{x} events<extra></extra>" }],
  { bargap: 0.35, margin: { l: 150, r: 16, t: 6, b: 40 }, yaxis: { automargin: true }, xaxis: { title: { text: "events" } } });
  div.on("plotly_click", (ev) => { if (ev.points && ev.points[0]) onClick(String(ev.points[0].y)); });
}

function drawVolume(div, rows, range) {
  if (!rows.length) { div.replaceWith(empty("No dated events to chart.")); return; }
  const periods = rows.map((r) => String(r.period));
  // Default axis: the whole months of the articles' dates (``dates.axis``), widened by half
  // a month at the start, where the first month's bar is centred on its first day.
  const xrange = axisRange(range, "month");
  const inside = xrange ? periods.filter((p) => p >= xrange[0] && p <= xrange[1]).length : periods.length;
  const traces = QUAD.slice().reverse().map(([key, name, color]) => ({
    type: "bar", name, x: periods, y: rows.map((r) => Number(r[key] || 0)), marker: { color },
    hovertemplate: `%{x|%Y-%m}: %{y} ${name.toLowerCase()}<extra></extra>`,
  }));
  const other = rows.map((r) => Math.max(0, Number(r.events || 0) - QUAD.reduce((t, [k]) => t + Number(r[k] || 0), 0)));
  if (other.some((n) => n > 0)) traces.push({ type: "bar", name: "Unclassified", x: periods, y: other, marker: { color: "#cbd5e1" } });
  plot(div, traces, { barmode: "stack", bargap: 0.25, legend: { orientation: "h", x: 0, y: 1.12 }, margin: { l: 48, r: 16, t: 30, b: 40 },
    xaxis: { ...dateAxis(inside, "month"), ...(xrange ? { range: xrange, autorange: false } : {}) }, yaxis: { title: { text: "events" } } });
  div.on("plotly_click", (ev) => {
    const p = ev.points && ev.points[0];
    if (p) { const m = String(p.x).slice(0, 7); location.hash = `#/events?since=${m}&until=${m}`; }
  });
}
