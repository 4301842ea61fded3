// Clusters: one real happening reported by many articles. The list ranks clusters by how
// many reports they have; a cluster's page lists every mention (click → its article).
import { QUAD_COLOR, api, card, el, empty, eventTable, header, openEvent, setTwin, withParams } from "./util.js";

const PAGE = 50;

export async function clusters(main, _parts, params, stale) {
  const offset = Math.max(0, parseInt(params.offset || "0", 10) || 0);
  const query = { limit: PAGE, offset, ...(params.actor ? { actor: params.actor } : {}) };
  setTwin("/api/clusters", query);
  const res = await api("/api/clusters", query);
  if (stale()) return;
  const items = res.items || [];
  const nav = (o) => { location.hash = withParams("#/clusters", { actor: params.actor, offset: o }); };
  const pager = el("div", { class: "pager" },
    el("button", { class: "ghost", disabled: offset === 0, onclick: () => nav(Math.max(0, offset - PAGE)), text: "← Previous" }),
    el("span", { text: items.length ? `${offset + 1}–${offset + items.length}` : "0 clusters" }),
    el("button", { class: "ghost", disabled: items.length < PAGE, onclick: () => nav(offset + PAGE), text: "Next →" }));
  main.replaceChildren(...header("Clusters", "The same happening reported by several articles is one cluster. Click one to see every report."),
    card(null, items.length ? clusterTable(items) : empty("No clusters yet."), pager));
}

function reported(c) {
  return `reported by ${c.articles} article${c.articles === 1 ? "" : "s"}`;
}

function clusterTable(items) {
  const head = el("thead", {}, el("tr", {}, ["When", "Type", "Who → whom", "Where", "Reports", "First report"]
    .map((h) => el("th", { text: h }))));
  const open = (c) => { location.hash = `#/cluster/${encodeURIComponent(c.cluster_id)}`; };
  const body = el("tbody", {}, items.map((c) => el("tr", {
    "data-cluster": c.cluster_id, tabindex: "0", onclick: () => open(c), onkeydown: (e) => { if (e.key === "Enter") open(c); },
  },
  el("td", { text: c.date_value || c.date_start || "—" }),
  el("td", {}, el("span", { class: "pill", text: c.type })),
  el("td", { text: `${c.source_country || "?"} → ${c.target_country || "?"}` }),
  el("td", { text: c.location || "—" }),
  el("td", { class: "num", text: reported(c) }),
  el("td", { class: "ev", text: c.evidence || "" }))));
  return el("table", { class: "events", "data-testid": "cluster-table" }, head, body);
}

export async function cluster(main, parts, _params, stale) {
  const [id] = parts;
  const path = `/api/clusters/${encodeURIComponent(id || "")}`;
  setTwin(path);
  const c = await api(path);
  if (stale()) return;
  const sub = [c.type, `${c.source_country || "?"} → ${c.target_country || "?"}`, c.date_value, c.location, reported(c)]
    .filter(Boolean).join(" · ");
  main.replaceChildren(...header("Cluster", sub),
    card(`${c.mentions} mention${c.mentions === 1 ? "" : "s"} in ${c.articles} article${c.articles === 1 ? "" : "s"}`,
      el("div", { style: `border-left:4px solid ${QUAD_COLOR[c.events?.[0]?.quad_class] || "#e3e7ec"};padding-left:8px`, "data-testid": "cluster-mentions" },
        (c.events || []).length ? eventTable(c.events, openEvent) : empty("This cluster has no mentions."))));
}
