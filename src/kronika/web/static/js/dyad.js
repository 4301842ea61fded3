// Dyad explorer: cooperation above the axis, conflict below, over time, for any pair.
// Click a bar to list that period's events; click an event to read its evidence.
import { QUAD, api, articleRange, axisRange, card, chartDiv, dateAxis, el, empty, errorBox, eventTable, header, openEvent, periodRange, plot,
  setTwin, showAll } from "./util.js";

const INTERVALS = ["week", "month", "quarter", "year"];

async function suggestions() {
  // The busiest pair is the default; the actors of the top dyads and top actors are offered.
  try {
    const s = await api("/api/summary");
    const dyads = (s.top_dyads || []).map((d) => [d.a, d.b]);
    const names = new Set([...dyads.flat(), ...(s.top_actors || []).map((r) => r.actor)].filter(Boolean));
    return { pair: dyads[0] || ["", ""], names: [...names], dates: s.dates || null };
  } catch (_) {
    return { pair: ["", ""], names: [], dates: null };  // a blank form still works
  }
}

function form(a, b, interval, names, count) {
  const list = el("datalist", { id: "actor-names" }, names.map((n) => el("option", { value: n })));
  const ia = el("input", { name: "a", value: a, placeholder: "e.g. JPN", "aria-label": "first actor", list: "actor-names" });
  const ib = el("input", { name: "b", value: b, placeholder: "e.g. RUS", "aria-label": "second actor", list: "actor-names" });
  const iv = el("select", { name: "interval" }, INTERVALS.map((i) => el("option", { value: i, selected: i === interval, text: i })));
  const ic = el("select", { name: "count", "aria-label": "count" }, el("option", { value: "reports", selected: count !== "events", text: "reports" }),
    el("option", { value: "events", selected: count === "events", text: "events (each happening once)" }));
  const go = () => {
    location.hash = `#/dyad/${encodeURIComponent(ia.value.trim())}/${encodeURIComponent(ib.value.trim())}?interval=${iv.value}`
      + (ic.value === "events" ? "&count=events" : "");
  };
  return el("form", { class: "toolbar", onsubmit: (e) => { e.preventDefault(); go(); } },
    el("label", {}, "Actor A", ia), el("label", {}, "Actor B", ib), el("label", {}, "Interval", iv), el("label", {}, "Count", ic),
    el("button", { type: "submit", text: "Show" }),
    el("span", { class: "muted", text: "Names (Japan), country codes (JPN), actor codes (RUSGOV) or people (Kono)." }), list);
}

export async function dyad(main, parts, params, stale) {
  let [a, b] = parts;
  const interval = INTERVALS.includes(params.interval) ? params.interval : "month";
  const count = params.count === "events" ? "events" : undefined;  // reports unless asked
  const hints = await suggestions();
  if (!a || !b) [a, b] = hints.pair;
  if (stale()) return;
  main.replaceChildren(...header("Dyad explorer", "How relations between two actors moved: cooperation up, conflict down."),
    form(a || "", b || "", interval, hints.names, count));
  if (!a || !b) { setTwin("/api/summary"); main.append(card(null, empty("Pick two actors to compare."))); return; }
  // What the user typed goes to the API as typed: the API resolves names, codes and people
  // alike, and its refusal ("no actor named ...") is shown as a sentence under the form.
  const path = `/api/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}`;
  setTwin(path, { interval, count });
  let data;
  try {
    data = await api(path, { interval, count });
  } catch (err) {
    if (stale()) return;
    main.append(errorBox(err));
    return;
  }
  if (stale()) return;
  const rows = data.series || [];
  const chart = chartDiv("chart tall", "chart-dyad");
  const list = el("div", { "data-testid": "dyad-events" }, el("p", { class: "muted", text: "Click a bar to list the events of that period." }));
  // The API says whom the typed names resolved to ("Japan (JPN)"); the page shows that.
  const [la, lb] = [data.a_label || a, data.b_label || b];
  main.append(card(`${la} ↔ ${lb}: ${count ? "happenings" : "events"} per ${interval}`, rows.length ? chart : empty(`No events between ${la} and ${lb} yet.`)),
    card("Events", list));
  if (!rows.length) return;
  chart.dataset.interval = interval;
  drawDyad(chart, rows, articleRange(hints.dates));
  const off = outside(rows, articleRange(hints.dates));
  if (off) chart.after(el("p", { class: "muted outside", "data-testid": "outside-span" }, off, showAll(chart)));
  chart.on("plotly_click", async (ev) => {
    const p = ev.points && ev.points[0];
    if (!p) return;
    const [since, until] = periodRange(p.x, interval);
    const quad = p.data.meta;
    list.replaceChildren(el("p", { class: "muted", text: "Loading…" }));
    const res = await api("/api/events", { dyad: `${a},${b}`, since, until, quad_class: quad, limit: 100 });
    list.replaceChildren(
      el("p", { class: "muted", text: `${res.total} ${quad ? quad.replace("_", " ") : ""} events, ${since === until ? since : `${since} – ${until}`}` }),
      res.items.length ? eventTable(res.items, openEvent) : empty("No events."));
    list.scrollIntoView({ block: "nearest", behavior: "smooth" });
  });
}

function outside(rows, range) {
  // "3 events dated outside the articles' span are not on this axis: 1990 (2), 2001 (1)."
  if (!range) return null;
  const years = new Map();
  let n = 0;
  for (const r of rows) {
    const p = String(r.period);
    if (r.events && (p < range[0] || p > range[1])) { n += r.events; years.set(p.slice(0, 4), (years.get(p.slice(0, 4)) || 0) + r.events); }
  }
  if (!n) return null;
  return `${n} events dated outside the articles' span (${range[0]} – ${range[1]}) are not on this axis: `
    + `${[...years].map(([y, k]) => `${y} (${k})`).join(", ")}. `;
}

function drawDyad(div, rows, range) {
  const x = rows.map((r) => String(r.period));
  const fmt = { year: "%Y", quarter: "%Y-%m", month: "%Y-%m" }[div.dataset.interval] || "%Y-%m-%d";
  const n = (r, key) => Number((r.by_quad || r)[key] || 0);
  const traces = QUAD.map(([key, name, color, sign]) => ({
    type: "bar", name, meta: key, x, y: rows.map((r) => sign * n(r, key)), marker: { color },
    customdata: rows.map((r) => n(r, key)),
    hovertemplate: `%{x|${fmt}}: %{customdata} ${name.toLowerCase()}<extra></extra>`,
  }));
  const balance = rows.map((r) => r.balance ?? null);
  if (balance.some((v) => v !== null)) {
    traces.push({ type: "scatter", mode: "lines+markers", name: "Balance (coop − conflict) / events", x, y: balance, yaxis: "y2",
      connectgaps: true, line: { color: "#14213d", width: 2 }, hovertemplate: `%{x|${fmt}}: balance %{y:.2f}<extra></extra>` });
  }
  const up = Math.max(...rows.map((r) => n(r, "verbal_cooperation") + n(r, "material_cooperation")), 0);
  const down = Math.max(...rows.map((r) => n(r, "verbal_conflict") + n(r, "material_conflict")), 0);
  const step = Math.max(1, Math.ceil(Math.max(up, down, 1) / 5));  // whole events on the axis
  plot(div, traces, {
    barmode: "relative", bargap: 0.2, legend: { orientation: "h", x: 0, y: 1.1 }, margin: { l: 60, r: 50, t: 30, b: 40 },
    xaxis: { ...dateAxis(range ? x.filter((p) => p >= range[0] && p <= range[1]).length : x.length, div.dataset.interval),
      ...(range && x.some((p) => p >= range[0] && p <= range[1])
        ? { range: axisRange(range, div.dataset.interval), autorange: false } : {}) },
    yaxis: { title: { text: "← conflict   events   cooperation →" }, zeroline: true, zerolinecolor: "#94a3b8", tick0: 0, dtick: step },
    yaxis2: { overlaying: "y", side: "right", showgrid: false, range: [-1.05, 1.05], dtick: 0.5, title: { text: "balance" }, zeroline: false },
  });
}
