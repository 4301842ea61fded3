// Kronika dashboard: a hash router over six views, the article reader and a cluster page.
// Each view fetches its JSON twin from /api and draws it; the "JSON" link in the top bar
// always points at the exact API call behind the page.
import { overview } from "./overview.js";
import { dyad } from "./dyad.js";
import { network } from "./network.js";
import { worldMap } from "./map.js";
import { events, article } from "./events.js";
import { clusters, cluster } from "./clusters.js";
import { card, el, empty, errorBox } from "./util.js";

const ROUTES = { overview, dyad, network, map: worldMap, events, article, clusters, cluster };

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path, query = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const view = parts.shift() || "overview";
  return { view: ROUTES[view] ? view : "overview", parts, params: Object.fromEntries(new URLSearchParams(query)) };
}

let current = 0;

async function route() {
  const { view, parts, params } = parseHash();
  const token = ++current;
  for (const a of document.querySelectorAll("#nav a")) {
    a.classList.toggle("active", a.dataset.view === view || (view === "article" && a.dataset.view === "events")
      || (view === "cluster" && a.dataset.view === "clusters"));
  }
  const main = document.getElementById("main");
  main.replaceChildren(el("p", { class: "muted", text: "Loading…" }));
  main.dataset.view = view;
  main.dataset.ready = "0";
  try {
    // A view fills ``main`` itself (charts need to be in the page to size themselves);
    // ``stale()`` tells it that the user moved on while it was fetching.
    await ROUTES[view](main, parts, params, () => token !== current);
  } catch (err) {
    if (token === current) main.replaceChildren(explain(err));
    console.error(err);
  }
  if (token === current) main.dataset.ready = "1";
}

function explain(err) {
  if (err.code === "K411") {  // the server has no store file yet
    return card("No data yet", empty("This server has no event store yet. Ingest articles with `kronika ingest FILE` "
      + "(or POST /api/articles with the server's token), then reload."));
  }
  if (err.status === 503) return card("The store is busy", empty("Another process is writing to the store. Try again in a moment."));
  return errorBox(err);
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);
if (document.readyState !== "loading") route();
