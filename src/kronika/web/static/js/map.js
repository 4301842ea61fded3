// Map: events by place on an offline Natural Earth base map (equirectangular).
// Markers are places, sized by events and coloured by the dominant quad class.
import { QUAD, QUAD_COLOR, api, card, chartDiv, el, empty, filterBar, filterParams, header, plot, setTwin, withParams } from "./util.js";

let world = null;

async function baseMap() {
  if (!world) world = await (await fetch("/static/world-110m.json")).json();
  const x = [], y = [];
  for (const c of world.countries) for (const ring of c.rings) {
    for (const [lon, lat] of ring) { x.push(lon); y.push(lat); }
    x.push(null); y.push(null);
  }
  return { type: "scatter", mode: "lines", x, y, fill: "toself", fillcolor: "#e9edf2", hoverinfo: "skip",
    line: { color: "#b8c2cc", width: 0.6 }, showlegend: false, connectgaps: false };
}

function byPlace(points) {
  const places = new Map();
  for (const p of points) {
    if (p.lat === null || p.lon === null || p.lat === undefined) continue;
    const key = p.geonameid || `${p.place}@${p.lat},${p.lon}`;
    const e = places.get(key) || { name: p.place, lat: p.lat, lon: p.lon, n: 0, context: 0, quads: {} };
    e.n += 1;
    if (p.place_origin === "context") e.context += 1;  // placed by the story, not its own sentence
    e.quads[p.quad_class] = (e.quads[p.quad_class] || 0) + 1;
    places.set(key, e);
  }
  return [...places.values()].sort((a, b) => b.n - a.n);
}

export async function worldMap(main, _parts, params, stale) {
  const count = params.count === "events" ? "events" : null;  // reports unless asked (each happening once)
  const query = { ...filterParams(params), actor: params.actor, count, limit: 1000 };
  setTwin("/api/map", query);
  const [data, land] = await Promise.all([api("/api/map", query), baseMap()]);
  if (stale()) return;
  const places = byPlace(data.points || []);
  const n = (data.points || []).length;
  const chart = chartDiv("chart map", "chart-map");
  const legend = el("div", { class: "legend" }, QUAD.map(([, name, color]) => el("span", {}, el("span", { class: "sw", style: `background:${color}` }), name)));
  const actor = el("label", {}, "Actor", el("input", { name: "actor", value: params.actor || "", placeholder: "JPN, Japan", "aria-label": "actor" }));
  const counter = el("label", {}, "Count", el("select", { name: "count", "aria-label": "count" },
    el("option", { value: "", selected: !count, text: "reports" }),
    el("option", { value: "events", selected: count === "events", text: "events (each happening once)" })));
  const unit = count ? "located happenings" : "located events";
  main.replaceChildren(...header("Map", "Where events happened (or are planned). Marker size = events; colour = the most common kind. Click a place for its events."),
    filterBar("map", params, [actor, counter]),
    card(`${places.length} places · ${n} ${unit}${n >= data.limit ? ` (the newest ${data.limit} shown)` : ""}`, chart, legend));
  const maxN = Math.max(...places.map((p) => p.n), 1);
  const dominant = (q) => Object.entries(q).sort((a, b) => b[1] - a[1])[0][0];
  const markers = { type: "scatter", mode: "markers", x: places.map((p) => p.lon), y: places.map((p) => p.lat),
    text: places.map((p) => p.name),  // the place filter a click sets
    customdata: places.map((p) => [p.n, p.context ? ` (${p.context} placed by the article's context, not their sentence)` : ""]),
    marker: { size: places.map((p) => 8 + 26 * Math.sqrt(p.n / maxN)), color: places.map((p) => QUAD_COLOR[dominant(p.quads)] || "#64748b"),
      opacity: 0.85, line: { color: "#fff", width: 1 } },
    hovertemplate: "%{text}: %{customdata[0]} events%{customdata[1]}<extra></extra>", showlegend: false };
  plot(chart, [land, markers], {
    xaxis: { range: [-180, 180], visible: false, fixedrange: false }, yaxis: { range: [-58, 84], visible: false, scaleanchor: "x" },
    margin: { l: 0, r: 0, t: 0, b: 0 }, hovermode: "closest", dragmode: "pan",
  }, { scrollZoom: true, displayModeBar: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toImage"] });
  if (!places.length) chart.after(empty("No located event matches these filters."));
  chart.on("plotly_click", (ev) => {
    const p = ev.points && ev.points.find((q) => q.data.mode === "markers");
    if (p) location.hash = withParams("#/events", { place: p.text, ...filterParams(params), actor: params.actor });
  });
}
