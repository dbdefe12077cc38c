// mha's read-only page: every cluster from /api/v1/clusters, each one's servers from
// /api/v1/clusters/{app}, drawn as a tree (master -> replicas) and refreshed every few seconds.
// Text only goes through textContent: nothing the servers report is parsed as HTML.
"use strict";

const params = new URLSearchParams(location.search);
const REFRESH_SECONDS = Math.max(1, Number(params.get("refresh")) || 3);
let refreshes = 0;

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

async function getJson(path) {
  const response = await fetch(path, { cache: "no-store", headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const why = body && body.message ? body.message : response.statusText;
    throw new Error(`${path}: ${response.status} ${why}`);
  }
  return body;
}

function stateClass(state) {
  if (state === "PING_OK") return "ok";
  if (state === "STANDBY") return "info";  // another manager is the active one (etcd HA)
  if (["PING_FAILING", "INITIALIZING_MONITOR", "RETRYING_MONITOR", "FAILOVER_RUNNING"].includes(state)) return "warn";
  return "bad";
}

function address(server) {
  return `${server.hostname}:${server.port}`;
}

function replicates(child, parent) {
  const r = child.replication;
  return r && (r.master_host === parent.hostname || r.master_host === parent.ip) &&
         r.master_port === parent.port;
}

function yesNo(value) {
  return value === "Yes" ? h("span", { class: "tag ok" }, "Yes") : h("span", { class: "tag bad" }, value || "?");
}

function serverLine(server) {
  const tags = [h("span", { class: "tag" }, server.role)];
  if (server.alive && server.read_only) tags.push(h("span", { class: "tag" }, "read_only"));
  if (server.fence === "fenced") tags.push(h("span", { class: "tag bad" }, "fenced"));
  if (server.agent && server.agent.checked && !server.agent.reachable) {
    tags.push(h("span", { class: "tag bad", title: server.agent.error || "" }, "agent unreachable"));
  }
  const parts = [h("span", { class: "host" }, address(server)),
                 server.node_label ? h("span", { class: "detail" }, server.node_label) : null, tags];
  const r = server.replication;
  if (r) {
    const lag = r.seconds_behind_master === null ? "unknown" : `${r.seconds_behind_master} s`;
    parts.push(h("span", { class: "detail lag" }, `lag ${lag}`),
               h("span", { class: "detail" }, "IO "), yesNo(r.slave_io_running),
               h("span", { class: "detail" }, "SQL "), yesNo(r.slave_sql_running));
  } else if (server.binlog) {
    parts.push(h("span", { class: "detail" }, `${server.binlog.file}:${server.binlog.position}`));
  }
  if (!server.alive) parts.push(h("span", { class: "detail bad" }, server.error || "down"));
  return parts;
}

function serverNode(server, servers, seen) {
  seen.add(server);
  const children = servers.filter((s) => !seen.has(s) && replicates(s, server));
  children.forEach((s) => seen.add(s));
  const node = h("li", { class: `server ${server.role}`, "data-host": address(server), "data-role": server.role },
                 serverLine(server));
  if (children.length) node.append(h("ul", {}, children.map((c) => serverNode(c, servers, seen))));
  return node;
}

function tree(servers) {
  const seen = new Set();
  const roots = servers.filter((s) => s.role === "master");
  const items = roots.map((s) => serverNode(s, servers, seen));
  for (const s of servers) {
    if (!seen.has(s)) items.push(serverNode(s, servers, seen));  // orphans, down, standalone
  }
  return h("ul", { class: "tree" }, items);
}

function seconds(value) {
  return value === null || value === undefined ? null : `${Number(value.toFixed(3))} s`;
}

function failoverSummary(f) {
  if (!f) return h("p", { class: "empty" }, "No failover in the journal.");
  const row = (term, value) => (value === null || value === undefined ? [] : [h("dt", {}, term), h("dd", {}, value)]);
  return h("dl", {},
    row("started", f.started), row("result", f.result),
    row("dead master", f.dead_master), row("new master", f.new_master),
    row("duration", seconds(f.duration_s)),
    row("detection", seconds(f.detection_seconds)),
    row("saved", f.saved), row("lost", f.lost),
    row("phases", f.phases && f.phases.length ? f.phases.join(" → ") : null),
    row("re-plans", f.replans && f.replans.length ? f.replans.join("; ") : null),
    row("error", f.error));
}

function clusterCard(summary, detail, error) {
  const state = summary.state;
  const card = h("section", { class: "cluster", id: `cluster-${summary.app}`, "data-app": summary.app,
                              "data-state": state, "data-master": summary.master || "" },
    h("h2", {}, summary.app, h("span", { class: `state ${stateClass(state)}` }, state)),
    h("p", { class: "facts" }, "master ", h("b", {}, summary.master || "none"),
      ` · pings ${summary.pings_ok} ok, ${summary.pings_failed} failed · last good ping `,
      summary.last_ping_ok || "never", summary.running ? "" : " · not running"));
  const why = summary.detection || summary.reason;
  if (why) card.append(h("p", { class: "reason" }, why));
  if (error) card.append(h("p", { class: "reason" }, error));
  if (detail && detail.config_error) card.append(h("p", { class: "reason" }, detail.config_error));
  if (detail && detail.servers) card.append(tree(detail.servers));
  card.append(h("div", { class: "failover" }, h("h3", {}, "Last failover"), failoverSummary(summary.last_failover)));
  return card;
}

async function refresh() {
  const problem = document.getElementById("fetch-error");
  try {
    const list = await getJson("/api/v1/clusters");
    const details = await Promise.all(list.clusters.map((c) =>
      getJson(`/api/v1/clusters/${encodeURIComponent(c.app)}`).then((d) => ({ d }), (e) => ({ e: e.message }))));
    const cards = list.clusters.map((c, i) => clusterCard(details[i].d || c, details[i].d, details[i].e));
    const main = document.getElementById("clusters");
    main.replaceChildren(...(cards.length ? cards : [h("p", { class: "empty" }, "No cluster is watched.")]));
    refreshes += 1;
    const stamp = document.getElementById("refreshed");
    stamp.textContent = `refreshed at ${new Date().toLocaleTimeString()} (every ${REFRESH_SECONDS} s)`;
    stamp.dataset.refreshes = String(refreshes);
    problem.hidden = true;
  } catch (e) {
    problem.textContent = `not refreshed: ${e.message}`;
    problem.hidden = false;
  } finally {
    setTimeout(refresh, REFRESH_SECONDS * 1000);
  }
}

refresh();
