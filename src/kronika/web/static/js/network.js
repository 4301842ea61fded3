// Actor network: who acts on whom. Layout is a small deterministic force simulation so the
// same data always draws the same picture; node size = events, edge width = weight.
import { api, card, chartDiv, el, empty, header, plot, setTwin } from "./util.js";

function normalise(data) {
  const edges = (data.edges || data.links || (Array.isArray(data) ? data : [])).map((e) => ({
    a: String(e.source ?? e.a ?? e.from), b: String(e.target ?? e.b ?? e.to), w: Number(e.weight ?? e.events ?? e.count ?? 1),
  })).filter((e) => e.a && e.b && e.a !== "null" && e.b !== "null");
  const size = new Map();
  const labels = new Map();
  for (const n of data.nodes || []) {
    size.set(String(n.id ?? n.actor ?? n.label), Number(n.events ?? n.weight ?? n.count ?? 0));
    labels.set(String(n.id ?? n.actor ?? n.label), String(n.label ?? n.id));
  }
  for (const e of edges) for (const k of [e.a, e.b]) if (!size.has(k) || !(data.nodes || []).length) size.set(k, (size.get(k) || 0) + e.w);
  return { nodes: [...size.entries()].map(([id, n]) => ({ id, n, label: labels.get(id) || id })), edges };
}

function layout(nodes, edges) {
  const N = nodes.length;
  const pos = new Map(nodes.map((n, i) => [n.id, { x: Math.cos((2 * Math.PI * i) / N), y: Math.sin((2 * Math.PI * i) / N) }]));
  const k = 1.6 / Math.sqrt(Math.max(N, 1));
  for (let it = 0, t = 0.12; it < 250; it++, t *= 0.985) {
    const disp = new Map(nodes.map((n) => [n.id, { x: 0, y: 0 }]));
    for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) {
      const p = pos.get(nodes[i].id), q = pos.get(nodes[j].id);
      const dx = p.x - q.x, dy = p.y - q.y, d = Math.max(Math.hypot(dx, dy), 0.01), f = (k * k) / d;
      const di = disp.get(nodes[i].id), dj = disp.get(nodes[j].id);
      di.x += (dx / d) * f; di.y += (dy / d) * f; dj.x -= (dx / d) * f; dj.y -= (dy / d) * f;
    }
    for (const e of edges) {
      const p = pos.get(e.a), q = pos.get(e.b);
      const dx = p.x - q.x, dy = p.y - q.y, d = Math.max(Math.hypot(dx, dy), 0.01), f = (d * d) / k;
      const da = disp.get(e.a), db = disp.get(e.b);
      da.x -= (dx / d) * f; da.y -= (dy / d) * f; db.x += (dx / d) * f; db.y += (dy / d) * f;
    }
    for (const n of nodes) {
      const p = pos.get(n.id), d = disp.get(n.id), len = Math.max(Math.hypot(d.x, d.y), 0.01);
      p.x += (d.x / len) * Math.min(len, t) - p.x * 0.01; p.y += (d.y / len) * Math.min(len, t) - p.y * 0.01;
    }
  }
  return pos;
}

export async function network(main, _parts, params, stale) {
  const level = ["country", "actor"].includes(params.level) ? params.level : "country";
  const query = { level, min_weight: params.min_weight || 1, since: params.since, until: params.until, type: params.type };
  setTwin("/api/network", query);
  const data = await api("/api/network", query);
  if (stale()) return;
  const { nodes, edges } = normalise(data);
  const levelSel = el("select", { name: "level", onchange: (e) => { location.hash = `#/network?level=${e.target.value}&min_weight=${query.min_weight}`; } },
    ["country", "actor"].map((l) => el("option", { value: l, selected: l === level, text: l === "country" ? "Countries" : "Actors (country + sector)" })));
  const minW = el("input", { name: "min_weight", type: "number", min: "1", value: query.min_weight,
    onchange: (e) => { location.hash = `#/network?level=${level}&min_weight=${Math.max(1, parseInt(e.target.value, 10) || 1)}`; } });
  const chart = chartDiv("chart map", "chart-network");
  main.replaceChildren(...header("Actor network", "Who acts on whom. Bigger nodes take part in more events; thicker lines carry more. Click a node for its events."),
    el("div", { class: "toolbar" }, el("label", {}, "Level", levelSel), el("label", {}, "Min. events per link", minW)),
    card(`${nodes.length} actors, ${edges.length} links`, nodes.length ? chart : empty("No events with both a source and a target yet.")));
  if (!nodes.length) return;
  draw(chart, nodes.slice(0, 150), edges);
}

function draw(div, nodes, edges) {
  const keep = new Set(nodes.map((n) => n.id));
  const es = edges.filter((e) => keep.has(e.a) && keep.has(e.b));
  const pos = layout(nodes, es);
  const maxW = Math.max(...es.map((e) => e.w), 1);
  const buckets = [[0, 0.34, 1], [0.34, 0.67, 2.5], [0.67, 1.01, 4.5]];
  const traces = buckets.map(([lo, hi, width]) => {
    const x = [], y = [];
    for (const e of es) {
      const r = e.w / maxW;
      if (r > lo && r <= hi) { const p = pos.get(e.a), q = pos.get(e.b); x.push(p.x, q.x, null); y.push(p.y, q.y, null); }
    }
    return { type: "scatter", mode: "lines", x, y, hoverinfo: "skip", line: { width, color: "rgba(71,85,105,0.45)" }, showlegend: false };
  });
  const maxN = Math.max(...nodes.map((n) => n.n), 1);
  traces.push({ type: "scatter", mode: "markers+text", x: nodes.map((n) => pos.get(n.id).x), y: nodes.map((n) => pos.get(n.id).y),
    text: nodes.map((n) => n.id), textposition: "top center", customdata: nodes.map((n) => [n.n, n.label]), showlegend: false,
    marker: { size: nodes.map((n) => 10 + 30 * Math.sqrt(n.n / maxN)), color: "#2457a6", opacity: 0.85, line: { color: "#fff", width: 1.5 } },
    hovertemplate: "%{customdata[1]} (%{text}): %{customdata[0]} events<extra></extra>" });
  plot(div, traces, { xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" }, margin: { l: 10, r: 10, t: 10, b: 10 }, hovermode: "closest" });
  div.on("plotly_click", (ev) => {
    const p = ev.points && ev.points.find((q) => q.data.mode === "markers+text");
    if (p) location.hash = `#/events?actor=${encodeURIComponent(p.text)}`;
  });
}
