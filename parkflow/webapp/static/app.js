/* parkflow serve — the page. Every user string goes into the DOM through textContent or
   attribute setters, never as HTML. */
"use strict";

const S = {
  lang: localStorage.getItem("pf-lang") || "zh",
  info: null, pid: null, project: null, tables: null, settings: null, catalogue: null,
  table: "enterprises", dirty: false, job: null, cmpJob: null, map: null, markers: null,
  pending: null, frame: "map", run: null,
};
const TABLES = ["enterprises", "supplies", "uses", "stockpiles", "links", "facilities"];
const $ = (sel) => document.querySelector(sel);

function t(key, vars) {
  const d = window.PF_TEXT[S.lang] || window.PF_TEXT.zh;
  let s = d[key] !== undefined ? d[key] : (window.PF_TEXT.en[key] !== undefined ? window.PF_TEXT.en[key] : key);
  for (const [k, v] of Object.entries(vars || {})) s = s.split("{" + k + "}").join(String(v));
  return s;
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

async function api(method, url, body) {
  const opts = { method, headers: {} };
  if (body instanceof FormData) opts.body = body;
  else if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers["Content-Type"] = "application/json"; }
  const r = await fetch(url, opts);
  let data = null;
  try { data = await r.json(); } catch (e) { data = { error: r.statusText }; }
  if (!r.ok) { const err = new Error((data && data.error) || r.statusText); err.data = data; throw err; }
  return data;
}

function notice(text, kind) {
  const n = $("#notice");
  n.textContent = text; n.className = "notice " + (kind || ""); n.hidden = !text;
  if (text && kind !== "error") setTimeout(() => { if (n.textContent === text) n.hidden = true; }, 4000);
}

/* ---------------------------------------------------------------- language */
function applyLang() {
  document.documentElement.lang = S.lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-i18n]").forEach((e) => { e.textContent = t(e.dataset.i18n); });
  $("#lang").textContent = S.lang === "zh" ? "English" : "中文";
  if (S.info) renderOpen();
  if (S.tables) { renderTabs(); renderGrid(); renderProblems(S.project ? S.project.problems : []); }
  if (S.settings) renderSettings();
  if (S.project) renderVariants();
  if (S.run) showRun(S.run.id, S.run.figures);
}

/* ---------------------------------------------------------------- views */
function show(view) {
  document.querySelectorAll(".view").forEach((v) => { v.hidden = v.id !== "view-" + view; });
  document.querySelectorAll("#nav button").forEach((b) => b.classList.toggle("active", b.dataset.view === view));
  if (view !== "open" && !S.pid) { notice(t("no_project"), "error"); }
  if (view === "map") drawMap();
}

/* ---------------------------------------------------------------- open */
function choice(label, onclick, testid) {
  return el("button", { class: "choice", onclick, "data-testid": testid, text: label });
}

function renderOpen() {
  const i = S.info;
  $("#ws-path").textContent = i.workspace;
  $("#upload-limit").textContent = t("upload_limit", { mb: i.max_upload_mb });
  const b = $("#bundled"); b.replaceChildren();
  i.bundled.forEach((name) => b.append(choice(name, () => openBundled(name), "open-bundled-" + name)));
  const f = $("#folders"); f.replaceChildren();
  if (!i.folders.length) f.append(el("span", { class: "hint", text: t("none") }));
  i.folders.forEach((rel) => f.append(choice(rel, () => openFolder(rel), "open-folder-" + rel)));
  const p = $("#projects"); p.replaceChildren();
  if (!i.projects.length) p.append(el("span", { class: "hint", text: t("none") }));
  i.projects.slice(0, 12).forEach((m) => p.append(choice(m.name + " · " + m.created.replace("T", " "), () => loadProject(m.id), "project-" + m.id)));
}

async function refreshInfo() { S.info = await api("GET", "/api/info"); renderOpen(); }

async function openWith(promise) {
  try {
    const r = await promise;
    await loadProject(r.project);
    await refreshInfo();
  } catch (e) { showError(e); }
}
function openBundled(name) { return openWith(api("POST", "/api/open", { bundled: name })); }
function openFolder(rel) { return openWith(api("POST", "/api/open", { folder: rel })); }

function showError(e) {
  notice(t("error") + ": " + e.message, "error");
  if (e.data && e.data.problems) renderProblems(e.data.problems);
}

async function loadProject(pid) {
  S.pid = pid;
  const [p, cat] = await Promise.all([api("GET", `/api/projects/${pid}`), api("GET", `/api/projects/${pid}/catalogue`)]);
  S.project = p; S.catalogue = cat; S.tables = p.tables; S.settings = p.settings; S.dirty = false;
  S.run = null; $("#results").hidden = true; $("#cmp-results").hidden = true;
  $("#project-name").textContent = p.meta.name;
  $("#dl-work").href = `/files/${pid}/work.xlsx`;
  renderTabs(); renderGrid(); renderProblems(p.problems); renderSettings(); renderVariants();
  if (p.runs.length) { const last = p.runs[p.runs.length - 1]; showRun(last.id, last.figures); }
  if (S.map) { S.map.remove(); S.map = null; }
  show("edit");
  setSaveState(p.valid ? t("saved_ok") : t("saved_bad", { n: p.problems.length }));
}

/* ---------------------------------------------------------------- table editor */
function renderTabs() {
  const tabs = $("#table-tabs"); tabs.replaceChildren();
  TABLES.forEach((name) => {
    const n = S.tables[name] ? S.tables[name].rows.length : 0;
    tabs.append(el("button", { class: name === S.table ? "active" : "", "data-table": name,
      onclick: () => { S.table = name; renderTabs(); renderGrid(); } }, `${t("table_" + name)} (${n})`));
  });
}

function label(item) { return item[S.lang === "zh" ? "name_zh" : "name_en"] || item.id; }

function parkIds() {
  const cp = col("enterprises", "park");
  return [...new Set(S.tables.enterprises.rows.map((r) => String(r[cp] ?? "")))].filter(Boolean);
}

function optionsFor(column, table) {
  const c = S.catalogue || {};
  const ents = () => (S.tables.enterprises.rows || []).map((r) => {
    const cols = S.tables.enterprises.columns;
    return { id: String(r[cols.indexOf("id")] ?? ""), label: String(r[cols.indexOf("name")] ?? "") };
  });
  const list = (items) => items.map((x) => ({ id: x.id, label: label(x) }));
  switch (column) {
    case "material": return list(c.materials || []);
    case "route": return list(c.routes || []);
    case "mode": return list(c.modes || []);
    case "sector": return list(c.sectors || []);
    case "enterprise": case "from": case "to": return ents();
    case "technology": return (c.technologies || []).map((x) => ({ id: x.id, label: label(x) + (x.unit ? ` [${x.unit}]` : "") }));
    case "site": return table === "facilities" ? ents() : null;
    case "park": return table === "facilities" ? parkIds().map((p) => ({ id: p, label: p })) : null;
    case "existing": return table === "facilities" ? null : [{ id: "true", label: "true" }, { id: "false", label: "false" }];
    default: return null;
  }
}

function cellEditor(table, r, c, column, value) {
  const opts = optionsFor(column, table);
  const text = value === null || value === undefined ? "" : String(value);
  let input;
  if (opts) {
    input = el("select", {});
    input.append(el("option", { value: "", text: "" }));
    let found = text === "";
    for (const o of opts) {
      const opt = el("option", { value: o.id, text: o.label && o.label !== o.id ? `${o.id} — ${o.label}` : o.id });
      if (o.id === text) { opt.selected = true; found = true; }
      input.append(opt);
    }
    if (!found) { const opt = el("option", { value: text, text }); opt.selected = true; input.append(opt); }
  } else {
    input = el("input", { value: text });
    input.value = text;
  }
  input.dataset.row = r; input.dataset.col = column;
  input.setAttribute("aria-label", `${column} ${r + 2}`);
  input.addEventListener("change", () => {
    S.tables[table].rows[r][c] = input.value === "" ? null : input.value;
    markDirty();
  });
  return input;
}

function renderGrid() {
  const grid = $("#grid"); grid.replaceChildren();
  const data = S.tables[S.table];
  if (!data) return;
  const head = el("tr", {}, el("th", { text: "#" }));
  data.columns.forEach((col) => {
    head.append(el("th", { title: col }, el("div", { text: t("col_" + col) === "col_" + col ? col : t("col_" + col) }),
      el("div", { class: "raw", text: col })));
  });
  head.append(el("th", {}));
  grid.append(el("thead", {}, head));
  const body = el("tbody", {});
  data.rows.forEach((row, r) => {
    const tr = el("tr", { id: `row-${S.table}-${r + 2}`, "data-row": r + 2 }, el("td", { class: "rownum", text: String(r + 2) }));
    data.columns.forEach((col, c) => tr.append(el("td", {}, cellEditor(S.table, r, c, col, row[c]))));
    tr.append(el("td", {}, el("button", { class: "del", title: t("delete_row"), text: "✕", onclick: () => {
      if (!confirm(t("confirm_delete"))) return;
      data.rows.splice(r, 1); markDirty(); renderTabs(); renderGrid();
    } })));
    body.append(tr);
  });
  grid.append(body);
}

function nextId(table) {
  const data = S.tables[table]; const ci = data.columns.indexOf("id");
  if (ci < 0) return null;
  const prefix = { enterprises: "E", supplies: "S", uses: "U", stockpiles: "K", links: "L", facilities: "F" }[table];
  const used = new Set(data.rows.map((r) => String(r[ci])));
  let n = data.rows.length + 1;
  while (used.has(prefix + n)) n += 1;
  return prefix + n;
}

function addRow(table, values) {
  const data = S.tables[table];
  if (!data.columns.length) data.columns = ["id"];
  const row = data.columns.map((col) => (values && values[col] !== undefined ? values[col] : null));
  const ci = data.columns.indexOf("id");
  if (ci >= 0 && row[ci] === null) row[ci] = nextId(table);
  if (!["enterprises", "facilities"].includes(table) && data.columns.includes("unit") && row[data.columns.indexOf("unit")] === null) row[data.columns.indexOf("unit")] = "t/a";
  data.rows.push(row); markDirty();
  return data.rows.length + 1;
}

function markDirty() { S.dirty = true; setSaveState(t("unsaved")); }
function setSaveState(text) { $("#save-state").textContent = text; }

function renderProblems(problems, box) {
  box = box || $("#problems");
  box.replaceChildren();
  box.hidden = !problems || !problems.length;
  if (box.hidden) return;
  box.append(el("h3", { text: `${t("problems")} (${problems.length})` }));
  const ul = el("ul", {});
  problems.forEach((p, k) => {
    const where = [p.file, p.row ? `${t("row")} ${p.row}` : null, p.column ? `${t("column")} ${p.column}` : null].filter(Boolean).join(", ");
    const li = el("li", { "data-testid": "problem-" + k },
      el("span", { class: "where", text: where }), ": ", el("span", { text: p.message }),
      p.fix ? el("span", { class: "fix", text: ` — ${t("problem_fix")}: ${p.fix}` }) : null);
    if (p.table && p.row) {
      li.classList.add("link");
      li.addEventListener("click", () => goToCell(p.table, p.row, p.column));
    }
    ul.append(li);
  });
  box.append(ul);
}

function goToCell(table, row, column) {
  S.table = table; show("edit"); renderTabs(); renderGrid();
  const tr = document.getElementById(`row-${table}-${row}`);
  if (!tr) return;
  document.querySelectorAll("tr.hit").forEach((x) => x.classList.remove("hit"));
  tr.classList.add("hit");
  tr.scrollIntoView({ block: "center" });
  const input = column ? tr.querySelector(`[data-col="${CSS.escape(column)}"]`) : tr.querySelector("input,select");
  if (input) { input.classList.add("hit"); input.focus(); }
}

async function save() {
  if (!S.pid) return null;
  const body = { tables: S.tables, settings: readSettings() };
  try {
    const r = await api("PUT", `/api/projects/${S.pid}`, body);
    S.dirty = false; S.project.problems = r.problems; S.project.valid = r.valid;
    renderProblems(r.problems);
    setSaveState(r.valid ? t("saved_ok") : t("saved_bad", { n: r.problems.length }));
    return r;
  } catch (e) { showError(e); return null; }
}

/* ---------------------------------------------------------------- map editor */
function col(table, name) { return S.tables[table].columns.indexOf(name); }

function drawMap() {
  if (!S.tables) return;
  if (!S.map) {
    const box = $("#edit-map"); box.replaceChildren();
    S.map = L.map(box, { zoomControl: true, attributionControl: false });
    L.control.scale({ imperial: false }).addTo(S.map);
    S.markers = L.layerGroup().addTo(S.map);
    S.map.on("click", (ev) => startAdd(ev.latlng));
  }
  S.map.invalidateSize();
  S.markers.clearLayers();
  const ent = S.tables.enterprises; const ci = col("enterprises", "id"), cn = col("enterprises", "name");
  const clon = col("enterprises", "lon"), clat = col("enterprises", "lat");
  const pts = [];
  const where = {};
  ent.rows.forEach((row, r) => {
    const lon = parseFloat(row[clon]), lat = parseFloat(row[clat]);
    if (!isFinite(lon) || !isFinite(lat)) return;
    where[String(row[ci])] = [lat, lon];
    pts.push([lat, lon]);
  });
  if (!S.map._pfFitted) {  // a view first: Leaflet adds markers only to a map that has one
    if (pts.length) S.map.fitBounds(pts, { padding: [40, 40], maxZoom: 15 });
    else S.map.setView([30.6, 104.0], 8);
    S.map._pfFitted = true;
  }
  const links = S.tables.links;
  if (links && links.rows.length) {
    const cf = col("links", "from"), ct = col("links", "to");
    links.rows.forEach((row) => {
      const a = where[String(row[cf])], b = where[String(row[ct])];
      if (a && b) L.polyline([a, b], { color: "#6a51a3", weight: 2, opacity: 0.7, interactive: false }).addTo(S.markers);
    });
  }
  ent.rows.forEach((row, r) => {
    const lon = parseFloat(row[clon]), lat = parseFloat(row[clat]);
    if (!isFinite(lon) || !isFinite(lat)) return;
    const icon = L.divIcon({ className: "pf-plant", iconSize: [14, 14] });
    const m = L.marker([lat, lon], { icon, draggable: true, keyboard: false }).addTo(S.markers);
    const tip = el("span", {}, el("b", { text: String(row[ci] ?? "") }), " ", String(row[cn] ?? ""));
    m.bindTooltip(tip, { direction: "top", offset: [0, -8] });
    m.getElement().dataset.enterprise = String(row[ci] ?? "");
    m.on("dragend", () => {
      const p = m.getLatLng();
      row[clon] = Math.round(p.lng * 1e6) / 1e6; row[clat] = Math.round(p.lat * 1e6) / 1e6;
      markDirty(); drawMap();
    });
  });
  drawFacilities(where);
}

/* candidate facilities (a square at their site or lon/lat; filled when the last solve opens
   them); a free site is dragged like a plant */
function drawFacilities(where) {
  const fac = S.tables.facilities;
  if (!fac || !fac.rows.length) return;
  const c = (n) => fac.columns.indexOf(n);
  const opened = new Set(((S.run && S.run.figures && S.run.figures.facilities) || []).map((r) => String(r.facility_id)));
  fac.rows.forEach((row) => {
    const id = String(row[c("id")] ?? ""), site = String(row[c("site")] ?? "");
    let pos = null, free = false;
    const lon = parseFloat(row[c("lon")]), lat = parseFloat(row[c("lat")]);
    if (site && where[site]) pos = where[site];
    else if (isFinite(lon) && isFinite(lat)) { pos = [lat, lon]; free = true; }
    if (!pos) return;
    const icon = L.divIcon({ className: "pf-facility" + (opened.has(id) ? " opened" : ""), iconSize: [12, 12], iconAnchor: [-2, 14] });
    const m = L.marker(pos, { icon, draggable: free, keyboard: false }).addTo(S.markers);
    const tech = String(row[c("technology")] ?? "");
    const techItem = ((S.catalogue && S.catalogue.technologies) || []).find((x) => x.id === tech);
    m.bindTooltip(el("span", {}, el("b", { text: id }), " ", techItem ? label(techItem) : tech,
      opened.has(id) ? el("span", { text: " · " + t("facility_opened") }) : null), { direction: "top", offset: [0, -8] });
    m.getElement().dataset.facility = id;
    if (free) m.on("dragend", () => {
      const p = m.getLatLng();
      row[c("lon")] = Math.round(p.lng * 1e6) / 1e6; row[c("lat")] = Math.round(p.lat * 1e6) / 1e6;
      markDirty(); drawMap();
    });
  });
}

function startAdd(latlng) {
  S.pending = latlng;
  const f = $("#add-plant"); f.hidden = false;
  f.elements.id.value = nextId("enterprises") || "";
  f.elements.name.value = "";
  const sector = f.elements.sector; sector.replaceChildren();
  (S.catalogue.sectors || []).forEach((s) => sector.append(el("option", { value: s.id, text: `${s.id} — ${label(s)}` })));
  const park = f.elements.park; park.replaceChildren();
  const cp = col("enterprises", "park");
  const parks = [...new Set(S.tables.enterprises.rows.map((r) => String(r[cp] ?? "")))].filter(Boolean);
  parks.forEach((p) => park.append(el("option", { value: p, text: p })));
  $("#add-plant-pos").textContent = `${t("position")}: ${latlng.lng.toFixed(5)}, ${latlng.lat.toFixed(5)}`;
  f.elements.name.focus();
}

/* ---------------------------------------------------------------- settings and solve */
function renderSettings() {
  const f = $("#settings"); const s = S.settings;
  f.elements.objective.value = s.objective; f.elements.time_limit_s.value = s.time_limit_s; f.elements.gap.value = s.gap;
  const tb = $("#targets"); tb.replaceChildren();
  tb.append(el("tr", {}, ...["target_id", "target_materials", "target_scope", "target_rate"].map((k) => el("th", { text: t(k) }))));
  s.targets.forEach((tg, k) => {
    const rate = el("input", { type: "number", min: 0, max: 100, step: 0.1, "data-target": tg.id });
    rate.value = tg.rate === null || tg.rate === undefined ? "" : String(Math.round(tg.rate * 10000) / 100);
    rate.addEventListener("change", () => { s.targets[k].rate = rate.value === "" ? null : parseFloat(rate.value) / 100; });
    const scope = el("input", {}); scope.value = tg.scope;
    scope.addEventListener("change", () => { s.targets[k].scope = scope.value; });
    const mats = Array.isArray(tg.materials) ? tg.materials.join(", ") : String(tg.materials || "");
    tb.append(el("tr", {}, el("td", { text: tg.id }), el("td", { text: mats }), el("td", {}, scope), el("td", {}, rate)));
  });
  renderExtraSettings();
}

/* the other scenario.yaml keys, one field per declaration of the schema (GET /api/projects:
   setting_schema), so that a key the schema declares (periods, discount_rate...) appears here */
function renderExtraSettings() {
  const box = $("#extra-settings"); box.replaceChildren();
  const extra = S.settings.extra || (S.settings.extra = {});
  (S.project.setting_schema || []).forEach((d) => {
    const value = extra[d.name];
    const text = value === null || value === undefined ? "" : String(value);
    let input;
    if (d.type === "choice") {
      input = el("select", { name: "x-" + d.name });
      input.append(el("option", { value: "", text: `(${d.default ?? ""})` }));
      d.choices.forEach((c) => input.append(el("option", { value: c, text: c })));
      input.value = d.choices.includes(text) ? text : "";
    } else if (["int", "float", "int_or_none"].includes(d.type)) {
      input = el("input", { name: "x-" + d.name, type: "number", step: d.type === "float" ? "any" : "1",
        min: d.minimum ?? undefined, max: d.maximum ?? undefined, placeholder: d.default ?? "" });
      input.value = text;
    } else {
      input = el("input", { name: "x-" + d.name, placeholder: d.default ?? (d.type === "list" ? "[...]" : "") });
      input.value = text;
    }
    input.dataset.setting = d.name;
    input.addEventListener("change", () => { extra[d.name] = input.value === "" ? null : input.value; markDirty(); });
    const name = t("set_" + d.name) === "set_" + d.name ? d.name : t("set_" + d.name);
    box.append(el("label", { title: d.doc }, el("span", { text: name + (d.unit ? ` (${d.unit})` : "") }), input));
  });
}

function readSettings() {
  const f = $("#settings"); if (!S.settings) return undefined;
  return { objective: f.elements.objective.value, time_limit_s: f.elements.time_limit_s.value,
    gap: f.elements.gap.value, targets: S.settings.targets, extra: S.settings.extra || {} };
}

async function startSolve() {
  if (!S.pid) return;
  $("#solve-error").hidden = true;
  const r = await save();
  if (!r) return;
  if (!r.valid) { $("#solve-error").textContent = t("invalid_cannot_solve"); $("#solve-error").hidden = false; show("edit"); return; }
  const s = readSettings();
  try {
    S.job = await api("POST", `/api/projects/${S.pid}/solve`, { objective: s.objective, time_limit_s: s.time_limit_s, gap: s.gap, lang: S.lang });
    $("#cancel").disabled = false; $("#solve").disabled = true;
    poll("job", $("#progress"), onSolveDone);
  } catch (e) { showError(e); }
}

/* the job's phase; in Chinese the solver's English message is replaced by its numbers
   (iteration and multiplier of a decomposed solve; the solver line below has the rest) */
function phaseText(phase, e) {
  if (!phase) return "";
  const head = phase.split(":")[0];
  let tail = phase.includes(":") ? phase.slice(phase.indexOf(":") + 1) : "";
  if (S.lang === "zh" && head === "solve") {
    const m = e && e.multiplier !== null && e.multiplier !== undefined ? e.multiplier : null;
    tail = e && e.iteration && m !== null
      ? " " + t("iter_n", { n: e.iteration, m: m.toLocaleString(undefined, { maximumFractionDigits: 2 }) })
      : "";
  }
  return t("phase_" + head) + (tail ? " —" + tail : "");
}

function progressText(j) {
  let s = t("state_" + j.state);
  if (j.state === "queued" && j.position) s += " · " + t("queue_pos", { n: j.position });
  if (j.state === "running") s += " · " + phaseText(j.phase, j.progress);
  s += " · " + t("elapsed", { s: j.elapsed_s.toFixed(1) });
  return s;
}

const money = (x) => (x === null || x === undefined ? "–" : (x / 1e4).toLocaleString(undefined, { maximumFractionDigits: 1 }));

/* the solver's last progress event: phase, incumbent, bound, gap (ProgressEvent) */
function solverLine(j) {
  const e = j.progress;
  if (!e) return null;
  const gap = e.gap === null || e.gap === undefined ? "–" : (100 * e.gap).toFixed(2) + " %";
  return el("div", { class: "solver-line", "data-testid": "solver-line", "data-phase": e.phase },
    el("span", { "data-testid": "solver-phase", text: `${t("solver_phase")}: ${t("sphase_" + e.phase) === "sphase_" + e.phase ? e.phase : t("sphase_" + e.phase)}` }), " · ",
    el("span", { "data-testid": "solver-incumbent", text: `${t("incumbent")}: ${money(e.incumbent)}` }), " · ",
    el("span", { "data-testid": "solver-bound", text: `${t("bound")}: ${money(e.bound)}` }), " · ",
    el("span", { "data-testid": "solver-gap", text: `${t("gap")}: ${gap}` }));
}

function poll(slot, box, done) {
  const tick = async () => {
    const j0 = S[slot]; if (!j0) return;
    let j;
    try { j = await api("GET", `/api/jobs/${j0.id}`); } catch (e) { showError(e); return; }
    S[slot] = j;
    box.hidden = false; box.replaceChildren(el("span", { "data-testid": slot + "-state", "data-state": j.state, text: progressText(j) }), solverLine(j) || "");  // a comparison has no solver line
    box.dataset.phases = (j.phases || []).join(" ");
    if (["done", "failed", "cancelled"].includes(j.state)) { done(j); return; }
    setTimeout(tick, 400);
  };
  tick();
}

function onSolveDone(j) {
  $("#cancel").disabled = true; $("#solve").disabled = false;
  if (j.state === "failed") { const e = $("#solve-error"); e.textContent = t("error") + ": " + j.message; e.hidden = false; }
  if (j.state === "done") { S.project.runs.push({ id: j.run, figures: j.figures }); showRun(j.run, j.figures); }
}

const pct = (x) => (x === null || x === undefined ? "–" : (100 * x).toFixed(2) + " %");
const wan = (x) => (x === null || x === undefined ? "–" : (x / 1e4).toLocaleString(undefined, { maximumFractionDigits: 1 }));

function figure(title, value, sub, testid) {
  return el("div", { class: "figure", "data-testid": testid }, el("div", { class: "ftitle", text: title }),
    el("div", { class: "fvalue", text: value }), sub ? el("div", { class: "fsub", text: sub }) : null);
}

function showRun(rid, f) {
  S.run = { id: rid, figures: f };
  $("#results").hidden = false;
  const box = $("#figures"); box.replaceChildren();
  (f.targets || []).forEach((tg) => {
    const sub = `${t("target")} ${pct(tg.target)} · ${tg.met ? t("met") : t("not_met")}` + (tg.baseline_rate !== null && tg.baseline_rate !== undefined ? ` · ${t("baseline")} ${pct(tg.baseline_rate)}` : "");
    const card = figure(`${t("rate")} ${tg.id} (${tg.scope})`, pct(tg.rate), sub, "rate-" + tg.id);
    card.classList.add(tg.met ? "met" : "unmet");
    box.append(card);
  });
  box.append(figure(t("links_built"), String(f.links_built), null, "links-built"));
  box.append(figure(t("net_cost"), wan(f.net_cost_cny_per_a), null, "net-cost"));
  box.append(figure(t("co2"), wan(f.co2_avoided_t_per_a), null, "co2"));
  box.append(figure(t("status"), f.status, f.solver_time_s !== null ? `${f.solver_time_s.toFixed(1)} s` : null, "status"));
  const base = `/files/${S.pid}/runs/${rid}/`;
  const dl = $("#downloads"); dl.replaceChildren();
  [["report.html", "dl_report_html"], ["report.md", "dl_report_md"], ["report.xlsx", "dl_report_xlsx"],
    ["map.html", "dl_map"], ["scenario.xlsx", "dl_workbook"]].forEach(([file, key]) =>
    dl.append(el("a", { class: "button", href: base + file + "?dl=1", download: file, "data-testid": "dl-" + file, text: t(key) })));
  dl.append(el("a", { class: "button", href: `/files/${S.pid}/runs/${rid}.zip`, "data-testid": "dl-zip", text: t("dl_zip") }));
  renderFacilities(f);
  renderPeriods(f);
  setFrame(S.frame);
}

const num = (x, d) => (x === null || x === undefined || x === "" ? "–" : Number(x).toLocaleString(undefined, { maximumFractionDigits: d ?? 0 }));

/* the facilities the solve opens (summary["facilities"], the facilities.csv rows) */
function renderFacilities(f) {
  const box = $("#facilities-result"); box.replaceChildren();
  const rows = f.facilities || [];
  box.hidden = !rows.length;
  if (!rows.length) return;
  if (f.capex_cny !== null && f.capex_cny !== undefined) $("#figures").append(figure(t("capex"), money(f.capex_cny), null, "capex"));
  const years = rows.some((r) => r.year !== null && r.year !== undefined && r.year !== "");
  const cols = [["facility_id", "fac_id"], ["technology", "col_technology"], ["site", "col_site"], ["park", "col_park"],
    ...(years ? [["year", "year"]] : []), ["size", "fac_size"], ["unit", "col_unit"], ["build_year", "fac_build_year"],
    ["throughput", "fac_throughput"], ["load_factor", "fac_load"], ["capex_cny", "capex"], ["annual_cost_cny_per_a", "fac_annual"]];
  const tb = el("table", { class: "grid small", id: "facilities-table" });
  tb.append(el("tr", {}, ...cols.map(([, k]) => el("th", { text: t(k) }))));
  rows.forEach((r) => tb.append(el("tr", { "data-facility": String(r.facility_id ?? "") }, ...cols.map(([c]) => {
    const v = r[c];
    let text = v === null || v === undefined ? "–" : String(v);
    if (c === "technology") {
      const item = ((S.catalogue && S.catalogue.technologies) || []).find((x) => x.id === text);
      if (item) return el("td", { title: text, text: label(item) });
    }
    if (["capex_cny", "annual_cost_cny_per_a"].includes(c)) text = money(v);
    else if (c === "load_factor") text = pct(v);
    else if (["size", "throughput"].includes(c)) text = num(v);
    return el("td", { text });
  }))));
  box.append(el("h3", { text: `${t("facilities_opened")} (${rows.length})` }), tb);
}

/* the yearly figures (summary["periods"]) */
function renderPeriods(f) {
  const box = $("#periods-result"); box.replaceChildren();
  const periods = f.periods || [];
  box.hidden = !periods.length;
  if (!periods.length) return;
  if (f.present_value_cny !== null && f.present_value_cny !== undefined) $("#figures").append(figure(t("present_value"), money(f.present_value_cny), null, "present-value"));
  const key = (tg) => `${tg.id} (${tg.scope ?? "all"})`;
  const ids = [...new Set(periods.flatMap((p) => (p.targets || []).map(key)))];
  const tb = el("table", { class: "grid small", id: "periods-table" });
  tb.append(el("tr", {}, el("th", { text: t("year") }), ...ids.map((id) => el("th", { text: `${t("rate")} ${id}` })),
    el("th", { text: t("net_cost") }), el("th", { text: t("co2") }), el("th", { text: t("capex") })));
  periods.forEach((p) => {
    const rate = (id) => { const tg = (p.targets || []).find((x) => key(x) === id); return tg ? pct(tg.rate) + (tg.target !== null && tg.target !== undefined ? ` / ${pct(tg.target)}` : "") : "–"; };
    tb.append(el("tr", { "data-year": String(p.year) }, el("th", { text: String(p.year) }), ...ids.map((id) => el("td", { text: rate(id) })),
      el("td", { text: money((p.objective || {}).total_cny_per_a) }), el("td", { text: wan(p.co2_avoided_t_per_a) }), el("td", { text: money(p.capex_cny) })));
  });
  box.append(el("h3", { text: t("periods_title") }), tb);
}

function setFrame(which) {
  S.frame = which;
  document.querySelectorAll("#result-tabs button").forEach((b) => b.classList.toggle("active", b.dataset.frame === which));
  if (S.run) $("#result-frame").src = `/files/${S.pid}/runs/${S.run.id}/${which === "map" ? "map.html" : "report.html"}`;
}

/* ---------------------------------------------------------------- variants and compare */
function renderVariants() {
  const list = $("#variant-list"); list.replaceChildren();
  S.project.variants.forEach((v) => list.append(el("li", {}, el("span", { text: v.name + " " }),
    el("a", { href: `/files/${S.pid}/variants/${v.id}.yaml`, text: v.id + ".yaml" }))));
  const choices = [{ id: "base", name: t("choice_base") }, { id: "work", name: t("choice_work") }, ...S.project.variants];
  for (const [sel, dflt] of [["#cmp-a", "base"], ["#cmp-b", S.project.variants.length ? S.project.variants[S.project.variants.length - 1].id : "work"]]) {
    const s = $(sel); const keep = s.value; s.replaceChildren();
    choices.forEach((c) => s.append(el("option", { value: c.id, text: c.name })));
    s.value = choices.some((c) => c.id === keep) ? keep : dflt;
  }
}

async function saveVariant(name) {
  const r0 = await save(); if (!r0) return;
  try {
    const r = await api("POST", `/api/projects/${S.pid}/variants`, { name });
    S.project.variants = r.variants; renderVariants();
    $("#cmp-b").value = r.variant;
    renderProblems(r.problems, $("#variant-problems"));
    notice(t("variant_saved", { name }));
  } catch (e) { showError(e); }
}

async function startCompare() {
  $("#cmp-error").hidden = true;
  if (S.dirty) { const r = await save(); if (!r) return; }
  const s = readSettings();
  try {
    S.cmpJob = await api("POST", `/api/projects/${S.pid}/compare`, { a: $("#cmp-a").value, b: $("#cmp-b").value, lang: S.lang, objective: s.objective, time_limit_s: s.time_limit_s });
    $("#compare-cancel").disabled = false; $("#compare-btn").disabled = true;
    poll("cmpJob", $("#cmp-progress"), onCompareDone);
  } catch (e) { showError(e); }
}

function onCompareDone(j) {
  $("#compare-cancel").disabled = true; $("#compare-btn").disabled = false;
  if (j.state === "failed") { const e = $("#cmp-error"); e.textContent = t("error") + ": " + j.message; e.hidden = false; return; }
  if (j.state !== "done") return;
  const f = j.figures; const base = `/files/${S.pid}/compares/${j.run}/`;
  $("#cmp-results").hidden = false;
  const dl = $("#cmp-downloads"); dl.replaceChildren(el("span", { "data-testid": "cmp-changes", text: t("changes", f.changes) + " " }));
  [["compare.html", "dl_compare"], ["differences.csv", null], ["indicators.csv", null]].forEach(([file, key]) =>
    dl.append(el("a", { class: "button", href: base + file + "?dl=1", text: key ? t(key) : file })));
  const tb = $("#cmp-table"); tb.replaceChildren();
  tb.append(el("tr", {}, el("th", { text: t("indicator") }), el("th", { text: "A: " + f.a }), el("th", { text: "B: " + f.b }), el("th", { text: t("change") }), el("th", { text: t("unit") })));
  const fmt = (v, u) => (v === null ? "–" : u === "fraction" ? (100 * v).toFixed(2) + " %" : v.toLocaleString(undefined, { maximumFractionDigits: 0 }));
  f.indicators.forEach((r) => tb.append(el("tr", { "data-indicator": r.indicator }, el("th", { text: r.label }), el("td", { text: fmt(r.a, r.unit) }),
    el("td", { text: fmt(r.b, r.unit) }), el("td", { text: r.change === null ? "–" : (r.unit === "fraction" ? ((r.change >= 0 ? "+" : "") + (100 * r.change).toFixed(2) + " pp") : (r.change >= 0 ? "+" : "") + r.change.toLocaleString(undefined, { maximumFractionDigits: 0 })) }), el("td", { text: r.unit }))));
  $("#cmp-frame").src = base + "compare.html";
}

/* ---------------------------------------------------------------- wiring */
async function main() {
  document.querySelectorAll("#nav button").forEach((b) => b.addEventListener("click", () => show(b.dataset.view)));
  $("#lang").addEventListener("click", () => { S.lang = S.lang === "zh" ? "en" : "zh"; localStorage.setItem("pf-lang", S.lang); applyLang(); });
  $("#add-row").addEventListener("click", () => { const row = addRow(S.table); renderTabs(); renderGrid(); goToCell(S.table, row, null); });
  $("#save").addEventListener("click", save);
  $("#upload-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const file = $("#upload-file").files[0]; if (!file) return;
    const fd = new FormData(); fd.append("file", file);
    openWith(api("POST", "/api/upload", fd));
  });
  $("#add-plant").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = ev.target; const p = S.pending; if (!p) return;
    addRow("enterprises", { id: f.elements.id.value.trim(), name: f.elements.name.value.trim(), sector: f.elements.sector.value,
      park: f.elements.park.value, lon: Math.round(p.lng * 1e6) / 1e6, lat: Math.round(p.lat * 1e6) / 1e6 });
    f.hidden = true; S.pending = null; renderTabs(); renderGrid(); drawMap();
  });
  $("#add-plant-cancel").addEventListener("click", () => { $("#add-plant").hidden = true; S.pending = null; });
  $("#settings").addEventListener("submit", (ev) => { ev.preventDefault(); startSolve(); });
  $("#cancel").addEventListener("click", () => { if (S.job) api("POST", `/api/jobs/${S.job.id}/cancel`).catch(showError); });
  document.querySelectorAll("#result-tabs button").forEach((b) => b.addEventListener("click", () => setFrame(b.dataset.frame)));
  $("#variant-form").addEventListener("submit", (ev) => { ev.preventDefault(); saveVariant($("#variant-name").value.trim()); });
  $("#compare-form").addEventListener("submit", (ev) => { ev.preventDefault(); startCompare(); });
  $("#compare-cancel").addEventListener("click", () => { if (S.cmpJob) api("POST", `/api/jobs/${S.cmpJob.id}/cancel`).catch(showError); });
  window.addEventListener("beforeunload", (ev) => { if (S.dirty) { ev.preventDefault(); ev.returnValue = ""; } });
  applyLang();
  try { await refreshInfo(); } catch (e) { showError(e); }
  show("open");
  if (S.info && S.info.initial) await loadProject(S.info.initial);
  document.body.dataset.ready = "1";
}
main();
