// The fleet: each host's health, load and warm pool, with drain and undrain (cluster admins only;
// the server refuses anyone else). A host's row stays where it is while it changes, and a host's
// button keeps the keyboard's focus through the refresh.
"use strict";

const body = document.querySelector("#hosts tbody");

async function change(name, verb) {
  try { const host = await post(`/console/api/hosts/${encodeURIComponent(name)}/${verb}`); say(`${host.name} is ${host.draining ? "draining" : "taking sessions"}.`, false); }
  catch (e) { say(`Could not ${verb} ${name}: ${e.message}`, true); }
  await load();
}

async function load() {
  let hosts;
  try { hosts = await api("/console/api/hosts"); }
  catch (e) { say(e.status === 403 ? "The fleet is shown to cluster-admin keys only." : `Cannot list hosts: ${e.message}`, true); return; }
  redraw(body, () => body.replaceChildren(...hosts.map(x => h("tr", { "data-host": x.name },
    h("td", { class: "mono" }, x.name, h("br"), h("span", { class: "note" }, x.endpoint)),
    h("td", { class: x.health === "Healthy" ? "ok" : "error" }, x.health),
    h("td", {}, x.health === "Healthy" ? "" : x.why || ""),
    h("td", {}, x.capacity), h("td", {}, x.running), h("td", {}, x.warm),
    h("td", {}, x.draining ? "yes" : "no"),
    h("td", {}, x.lastCheckAt ? when(x.lastCheckAt) : "never"),
    h("td", {}, x.draining
      ? h("button", { type: "button", class: "undrain", "data-focus": `host:${x.name}`, onclick: () => change(x.name, "undrain") }, `Undrain ${x.name}`)
      : h("button", { type: "button", class: "drain", "data-focus": `host:${x.name}`, onclick: () => change(x.name, "drain") }, `Drain ${x.name}`))))));
}

load();
setInterval(() => { if (document.visibilityState === "visible") load(); }, 5000);
