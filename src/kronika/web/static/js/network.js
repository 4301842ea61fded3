// Actor network: who acts on whom. Layout is a small deterministic force simulation so the
// same data always draws the same picture; node size = events, edge width = weight.
// Filters (dates, type, status) go to the API; the page draws the top N actors by events
// and places labels so that none overlaps another (a label that cannot be placed is left
// to the hover text, and the count of unlabelled nodes is said under the chart).
import { api, card, chartDiv, el, empty, filterBar, filterParams, header, plot, setTwin, withParams } from "./util.js";

const TOP_DEFAULT = 25;
const TOP_MAX = 150;

function normalise(data) {
  const edges = (data.edges || []).map((e) => ({ a: String(e.source), b: String(e.target), w: Number(e.weight || 1) }))
    .filter((e) => e.a && e.b && e.a !== "null" && e.b !== "null");
  const nodes = (data.nodes || []).map((n) => ({ id: String(n.id), n: Number(n.events || 0), label: String(n.label ?? n.id) }));
  return { nodes, edges };
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
  const top = Math.min(TOP_MAX, Math.max(1, parseInt(params.top || TOP_DEFAULT, 10) || TOP_DEFAULT));
  const minWeight = Math.max(1, parseInt(params.min_weight || "1", 10) || 1);
  const count = params.count === "events" ? "events" : null;  // reports unless asked (each happening once)
  const query = { level, min_weight: minWeight, count, ...filterParams(params) };
  setTwin("/api/network", query);
  const data = await api("/api/network", query);
  if (stale()) return;
  const { nodes, edges } = normalise(data);
  const levelSel = el("select", { name: "level" },
    ["country", "actor"].map((l) => el("option", { value: l, selected: l === level, text: l === "country" ? "Countries" : "Actors (country + sector)" })));
  const extra = [
    el("label", {}, "Level", levelSel),
    el("label", {}, "Top actors", el("input", { name: "top", type: "number", min: "1", max: String(TOP_MAX), value: String(top), "aria-label": "top actors" })),
    el("label", {}, "Min. events per link", el("input", { name: "min_weight", type: "number", min: "1", value: String(minWeight) })),
    el("label", {}, "Count", el("select", { name: "count", "aria-label": "count" },
      el("option", { value: "", selected: !count, text: "reports" }),
      el("option", { value: "events", selected: count === "events", text: "events (each happening once)" }))),
  ];
  const shown = nodes.slice(0, top);
  const chart = chartDiv("chart map", "chart-network");
  const note = el("p", { class: "muted", "data-testid": "network-note" });
  const title = nodes.length > shown.length ? `Top ${shown.length} of ${nodes.length} actors` : `${nodes.length} actors`;
  main.replaceChildren(...header("Actor network", "Who acts on whom. Bigger nodes take part in more events; thicker lines carry more. Click a node for its events."),
    filterBar("network", params, extra),
    card(`${title}, ${edges.length} links`, nodes.length ? chart : empty("No events with both a source and a target match these filters."), note));
  if (!nodes.length) return;
  await draw(chart, shown, edges, params);
  const drawn = chart.data[chart.data.length - 1].text || [];
  const hidden = drawn.filter((t) => !t).length;
  const rest = nodes.length - shown.length;
  note.textContent = [hidden > 0 ? `${hidden} smaller nodes have no label where it would overlap another (hover for their names).` : "",
    rest > 0 ? `${rest} more actors are not drawn: raise "Top actors" to see them.` : ""].filter(Boolean).join(" ");
}

async function draw(div, nodes, edges, params) {
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
    return { type: "scatter", mode: "lines", x, y, hoverinfo: "skip", line: { width, color: "rgba(71,85,105,0.35)" }, showlegend: false };
  });
  const maxN = Math.max(...nodes.map((n) => n.n), 1);
  const sizes = nodes.map((n) => 10 + 30 * Math.sqrt(n.n / maxN));
  traces.push({ type: "scatter", mode: "markers+text", x: nodes.map((n) => pos.get(n.id).x), y: nodes.map((n) => pos.get(n.id).y),
    text: nodes.map((n) => n.id), textposition: "top center", customdata: nodes.map((n) => [n.id, n.n, n.label]), showlegend: false,
    textfont: { size: 12, color: "#1f2933" }, cliponaxis: false,
    marker: { size: sizes, color: "#2457a6", opacity: 0.85, line: { color: "#fff", width: 1.5 } },
    hovertemplate: "%{customdata[2]} (%{customdata[0]}): %{customdata[1]} events<extra></extra>" });
  await plot(div, traces, { xaxis: { visible: false }, yaxis: { visible: false, scaleanchor: "x" }, margin: { l: 30, r: 30, t: 30, b: 30 },
    hovermode: "closest" });
  await placeLabels(div, traces.length - 1, nodes, sizes);
  div.on("plotly_click", (ev) => {
    const p = ev.points && ev.points.find((q) => q.data.mode === "markers+text");
    const id = p && ((p.customdata && p.customdata[0]) || p.text);
    if (id) location.hash = withParams("#/events", { actor: id, since: params.since, until: params.until, type: params.type, status: params.status });
  });
}

// Greedy label placement, biggest node first: each label tries above, below, right and
// left of its marker and takes the first spot that overlaps no label placed before it
// (boxes measured from the text Plotly drew, 3 px apart); a label with no free spot is
// dropped (its node keeps its hover text). Deterministic, so the same data reads the same.
async function placeLabels(div, traceIndex, nodes, sizes) {
  const texts = [...div.querySelectorAll(".scatterlayer .trace")].pop()?.querySelectorAll(".textpoint text") || [];
  if (texts.length !== nodes.length) return;
  const xa = div._fullLayout.xaxis, ya = div._fullLayout.yaxis;
  const GAP = 3;
  const boxes = [];
  const positions = [], labels = [];
  const hit = (b) => boxes.some((o) => b.x0 < o.x1 + GAP && o.x0 < b.x1 + GAP && b.y0 < o.y1 + GAP && o.y0 < b.y1 + GAP);
  const order = nodes.map((_, i) => i).sort((a, b) => nodes[b].n - nodes[a].n || (nodes[a].id < nodes[b].id ? -1 : 1));
  const trace = div.data[traceIndex];
  for (const i of order) {
    const bb = texts[i].getBBox();
    const w = bb.width, h = bb.height, r = sizes[i] / 2;
    const cx = xa.l2p(trace.x[i]) + xa._offset, cy = ya.l2p(trace.y[i]) + ya._offset;
    const spots = [
      ["top center", { x0: cx - w / 2, x1: cx + w / 2, y0: cy - r - 2 - h, y1: cy - r - 2 }],
      ["bottom center", { x0: cx - w / 2, x1: cx + w / 2, y0: cy + r + 2, y1: cy + r + 2 + h }],
      ["middle right", { x0: cx + r + 2, x1: cx + r + 2 + w, y0: cy - h / 2, y1: cy + h / 2 }],
      ["middle left", { x0: cx - r - 2 - w, x1: cx - r - 2, y0: cy - h / 2, y1: cy + h / 2 }],
    ];
    const free = spots.find(([, b]) => !hit(b));
    positions[i] = free ? free[0] : "top center";
    labels[i] = free ? nodes[i].id : "";
    if (free) boxes.push(free[1]);
  }
  await window.Plotly.restyle(div, { text: [labels], textposition: [positions] }, [traceIndex]);
}
