// The review page: one pair at a time, keyboard first. j/k move, m merges, s separates, u undoes.
"use strict";

const ITEM = `
  key score status decision decidedBy timesFlagged sameCustomer customerA customerB evidenceUid
  recordA { uid source sourceKey fields } recordB { uid source sourceKey fields }
  evidence { comparison field level weight valueA valueB similarity comparedWith }`;

const QUEUE = `query Queue($after: String) {
  reviewQueue(first: 50, after: $after, status: OPEN) { totalCount hasNextPage endCursor nodes { ${ITEM} } }
}`;

const ONE = `query One($key: ID!) { reviewItem(key: $key) { ${ITEM} } }`;

const REFUSALS = `... on ValidationError { message } ... on NotFoundError { message } ... on PermissionDenied { message }`;
const CHANGE = `kind message customers { id name } event { id kind survivor absorbed created recordUids }`;

const DECIDE = `mutation Decide($key: ID!, $decision: ReviewDecision!, $note: String) {
  decideReview(key: $key, decision: $decision, note: $note) {
    __typename ... on DecideReviewPayload { item { ${ITEM} } change { ${CHANGE} } } ${REFUSALS}
  }
}`;

const UNDO = `mutation Undo($key: ID!, $note: String) {
  undoReviewDecision(key: $key, note: $note) {
    __typename ... on DecideReviewPayload { item { ${ITEM} } change { ${CHANGE} } } ${REFUSALS}
  }
}`;

const UNMATCHED = `query Unmatched($source: String, $after: String) {
  unmatchedRecords(source: $source, first: 50, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { uid source sourceKey kind row outcome fields }
  }
}`;
const REMATCH = `mutation Rematch($uid: String!, $fields: JSON!) {
  rematchRecord(uid: $uid, fields: $fields) { __typename ... on RematchPayload { outcome customerId } ${REFUSALS} }
}`;

// Fields shown first, in this order; the rest follow alphabetically.
const FIELD_ORDER = ["name", "mobile", "phone", "email", "company", "title", "national_id", "region", "city", "address"];

const main = document.getElementById("main");
const state = { items: [], index: 0, total: 0, cursor: null, more: false, undo: [], busy: false, tab: "pairs" };

function fieldNames(item) {
  const names = new Set([
    ...Object.keys((item.recordA || {}).fields || {}),
    ...Object.keys((item.recordB || {}).fields || {}),
    ...item.evidence.map((e) => e.field),
  ]);
  const first = FIELD_ORDER.filter((f) => names.has(f));
  return [...first, ...[...names].filter((f) => !FIELD_ORDER.includes(f)).sort()];
}

function show(value) {
  if (value === null || value === undefined || value === "") return "";
  if (Array.isArray(value)) return value.map(show).join(", ");
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function label(record) {
  return record ? record.uid + " " + show((record.fields || {}).name) : "(gone)";
}

function evidenceCell(entries) {
  return el(
    "td",
    {},
    entries.map((e) =>
      el(
        "div",
        {},
        el("span", { class: "weight " + (e.weight > 0 ? "pos" : e.weight < 0 ? "neg" : "") }, (e.weight > 0 ? "+" : "") + e.weight.toFixed(1)),
        " ",
        el("span", { class: "level" }, e.comparison + ": " + (e.level === "null" ? "no value" : e.level) + (e.similarity != null ? " (" + e.similarity.toFixed(2) + ")" : "")),
      ),
    ),
  );
}

function recordHead(record, customer) {
  if (!record) return el("th", {}, "(record gone)");
  const link = customer ? el("a", { href: "/customer/" + encodeURIComponent(customer), target: "_blank" }, customer) : "unmatched pool";
  return el("th", {}, record.uid, " · ", link);
}

function pairTable(item) {
  const a = (item.recordA || {}).fields || {};
  const b = (item.recordB || {}).fields || {};
  // evidence values belong to evidenceUid (valueA) and the record it was compared with (valueB)
  const flipped = item.recordB && item.evidenceUid === item.recordB.uid;
  const rows = fieldNames(item).map((field) => {
    const entries = item.evidence.filter((e) => e.field === field);
    const compared = entries.find((e) => e.valueA !== null || e.valueB !== null) || {};
    const left = show(a[field]) || show(flipped ? compared.valueB : compared.valueA);
    const right = show(b[field]) || show(flipped ? compared.valueA : compared.valueB);
    const cls = left && right ? (left === right ? "same" : "differ") : "";
    return el(
      "tr",
      { class: [field === "name" ? "name" : "", cls].join(" ").trim() || null, "data-field": field },
      el("th", {}, field),
      el("td", { class: "side-a" }, left),
      el("td", { class: "side-b" }, right),
      evidenceCell(entries),
    );
  });
  return el(
    "table",
    { class: "pair" },
    el("colgroup", {}, el("col", { class: "field" }), el("col", { class: "side" }), el("col", { class: "side" }), el("col", {})),
    el("thead", {}, el("tr", {}, el("th", {}, "field"), recordHead(item.recordA, item.customerA), recordHead(item.recordB, item.customerB), el("th", {}, "evidence (bits)"))),
    el("tbody", {}, rows),
  );
}

function help() {
  const keys = [
    ["j / ↓ / →", "next pair"],
    ["k / ↑ / ←", "previous pair"],
    ["m", "MERGE: one customer"],
    ["s", "SEPARATE: two customers"],
    ["u", "undo the last decision"],
    ["n", "write a note for the next decision"],
    ["1 / 2", "pairs / unmatched pool"],
    ["/", "open a customer by id"],
    ["?", "this help; Esc closes it"],
  ];
  return el(
    "div",
    { id: "help", hidden: true, onclick: () => toggleHelp(false) },
    el("div", { class: "card" }, el("h2", {}, "Keys"), el("table", {}, keys.map(([k, what]) => el("tr", {}, el("td", {}, el("kbd", {}, k)), el("td", {}, what))))),
  );
}

function toggleHelp(open) {
  const box = document.getElementById("help");
  if (box) box.hidden = open === undefined ? !box.hidden : !open;
}

function tabs() {
  const tab = (name, text, key) =>
    el("button", { type: "button", role: "tab", "aria-selected": String(state.tab === name), onclick: () => switchTab(name) }, text, " ", el("kbd", {}, key));
  return el("div", { class: "tabs", role: "tablist" }, tab("pairs", "Pairs", "1"), tab("unmatched", "Unmatched pool", "2"));
}

function renderPairs() {
  const item = state.items[state.index];
  const note = el("input", { id: "note", type: "text", placeholder: "note (optional), n to type, Enter to leave" });
  const body = [el("h1", {}, "Review queue"), tabs()];
  if (!item) {
    body.push(el("p", { id: "empty" }, "No open pairs. ", state.undo.length ? "u undoes the last decision." : ""));
  } else {
    const decided = item.status !== "open";
    const total = item.evidence.reduce((sum, e) => sum + e.weight, 0);
    body.push(
      el(
        "div",
        { class: "card", id: "pair", "data-key": item.key },
        el(
          "div",
          { class: "pair-head" },
          el("span", { class: "score" }, percent(item.score)),
          el("span", { class: "muted" }, "evidence " + total.toFixed(1) + " bits"),
          el("span", {}, "pair " + (state.index + 1) + " of " + state.items.length + (state.more ? "+" : "") + " loaded, " + state.total + " open"),
          el("span", { class: "muted", id: "session-count" }, state.undo.length + " decided here"),
          item.timesFlagged > 1 ? el("span", { class: "chip" }, "flagged " + item.timesFlagged + "×") : null,
          item.sameCustomer ? el("span", { class: "chip" }, "already one customer") : null,
          el("span", { class: "status" + (decided ? " decided" : ""), id: "status" }, decided ? item.status + ": " + (item.decision || "–") : "open"),
        ),
        pairTable(item),
        el(
          "div",
          { class: "actions" },
          el("button", { type: "button", class: "merge", id: "merge", onclick: () => decide("MERGE") }, "Merge ", el("kbd", {}, "m")),
          el("button", { type: "button", class: "separate", id: "separate", onclick: () => decide("SEPARATE") }, "Separate ", el("kbd", {}, "s")),
          el("button", { type: "button", id: "undo", disabled: !state.undo.length, onclick: undo }, "Undo ", el("kbd", {}, "u")),
          note,
          el("span", { class: "muted" }, el("kbd", {}, "?"), " keys"),
        ),
      ),
    );
  }
  body.push(
    el(
      "ol",
      { class: "queue" },
      state.items.map((it, i) =>
        el(
          "li",
          { class: [i === state.index ? "current" : "", it.status !== "open" ? "done" : ""].join(" ").trim() || null, onclick: () => go(i) },
          label(it.recordA) + " / " + label(it.recordB) + " · " + percent(it.score),
        ),
      ),
    ),
    help(),
  );
  main.replaceChildren(...body);
}

async function loadQueue() {
  const page = (await gql(QUEUE, { after: null })).reviewQueue;
  state.items = page.nodes;
  state.total = page.totalCount;
  state.cursor = page.endCursor;
  state.more = page.hasNextPage;
  state.index = 0;
  renderPairs();
}

async function loadMore() {
  if (!state.more) return false;
  const page = (await gql(QUEUE, { after: state.cursor })).reviewQueue;
  state.items.push(...page.nodes);
  state.cursor = page.endCursor;
  state.more = page.hasNextPage;
  return page.nodes.length > 0;
}

function go(index) {
  state.index = Math.max(0, Math.min(index, state.items.length - 1));
  renderPairs();
}

async function next() {
  if (state.index + 1 >= state.items.length && !(await loadMore())) return;
  go(state.index + 1);
}

// After a decision: the next open pair after this one, loading the next page when needed.
async function nextOpen() {
  for (;;) {
    const found = state.items.findIndex((it, i) => i > state.index && it.status === "open");
    if (found >= 0) return go(found);
    if (!(await loadMore())) return renderPairs();
  }
}

function refused(result) {
  if (result.__typename.endsWith("Payload") || result.__typename === "CustomerChange" || result.__typename === "SourceRecord") return null;
  return result.message || result.__typename;
}

async function act(work) {
  if (state.busy) return;
  state.busy = true;
  toast("saving…"); // keys pressed meanwhile are ignored: one decision at a time
  try {
    await work();
  } catch (error) {
    if (error instanceof SignInNeeded) signInAgain();
    else toast(error.message);
  } finally {
    state.busy = false;
  }
}

function decide(decision) {
  const item = state.items[state.index];
  if (!item) return;
  const note = document.getElementById("note");
  return act(async () => {
    const result = (await gql(DECIDE, { key: item.key, decision, note: (note && note.value.trim()) || null })).decideReview;
    const problem = refused(result);
    if (problem) return toast(problem);
    state.items[state.index] = result.item;
    state.total = Math.max(0, state.total - (item.status === "open" ? 1 : 0));
    state.undo.push({ index: state.index, key: item.key, decision, change: result.change });
    toast(decision + ": " + result.change.message + " · u undoes");
    await nextOpen();
  });
}

// Undo takes the decision back on the server (undoReviewDecision): the customers are as before it,
// the decision is forgotten and the pair is open again, here and in the queue. A refused undo (a later
// decision or merge built on it) stays on the stack, with the server's reason shown.
function undo() {
  const done = state.undo[state.undo.length - 1];
  if (!done) return toast("nothing to undo");
  return act(async () => {
    const result = (await gql(UNDO, { key: done.key, note: null })).undoReviewDecision;
    const problem = refused(result);
    if (problem) return toast("not undone: " + problem);
    state.undo.pop();
    let index = state.items.findIndex((it) => it.key === done.key);
    if (index < 0) {
      index = Math.min(done.index, state.items.length);
      state.items.splice(index, 0, result.item);
    }
    const wasOpen = state.items[index].status === "open";
    state.items[index] = result.item;
    if (result.item.status === "open" && !wasOpen) state.total += 1;
    go(index);
    toast("undone: " + result.change.message);
  });
}

// --- the unmatched pool ------------------------------------------------------------------------

const POOL_COLUMNS = ["name", "mobile", "email", "company"];
const pool = { records: [], total: 0, cursor: null, more: false, index: 0, editing: false };

async function loadPool(after) {
  const page = (await gql(UNMATCHED, { source: null, after: after || null })).unmatchedRecords;
  pool.records = after ? [...pool.records, ...page.nodes] : page.nodes;
  pool.total = page.totalCount;
  pool.cursor = page.pageInfo.endCursor;
  pool.more = page.pageInfo.hasNextPage;
  renderPool();
}

function editor(record) {
  const fields = { ...(record.fields || {}) };
  const names = [...POOL_COLUMNS, ...Object.keys(fields).filter((f) => !POOL_COLUMNS.includes(f)).sort()];
  const inputs = names.map((name) => el("label", {}, el("span", {}, name), el("input", { type: "text", name, value: show(fields[name]) })));
  const extra = el("label", {}, el("span", {}, el("input", { type: "text", name: "__new_name", placeholder: "new field" })), el("input", { type: "text", name: "__new_value", placeholder: "value" }));
  const form = el("form", { class: "record-edit card", id: "record-edit" }, el("h2", {}, record.uid), inputs, extra, el("button", { type: "submit", class: "merge" }, "Save and rematch"), " ", el("button", { type: "button", onclick: () => ((pool.editing = false), renderPool()) }, "Cancel"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    // only the fields the steward changed: the others may be shown masked (138****5678) and must not
    // overwrite the stored values; an emptied field is cleared (null)
    const form_ = Object.fromEntries(new FormData(form).entries());
    const data = {};
    for (const [name, value] of Object.entries(form_)) {
      if (name.startsWith("__") || value === show(fields[name])) continue;
      data[name] = value.trim() === "" ? null : value.trim();
    }
    const newName = (form_.__new_name || "").trim();
    if (newName && form_.__new_value.trim()) data[newName] = form_.__new_value.trim();
    if (!Object.keys(data).length) return toast("nothing changed");
    act(async () => {
      const result = (await gql(REMATCH, { uid: record.uid, fields: data })).rematchRecord;
      const problem = refused(result);
      if (problem) return toast(problem);
      toast(record.uid + ": " + result.outcome + (result.customerId ? " → " + result.customerId : ""));
      pool.editing = false;
      await loadPool();
    });
  });
  return form;
}

function renderPool() {
  const count = pool.total === 1 ? "1 record" : pool.total + " records";
  const body = [el("h1", {}, "Unmatched pool"), tabs(), el("p", { class: "muted" }, count + " no customer took; j/k select, e or Enter edits, Save matches it again.")];
  const record = pool.records[pool.index];
  if (pool.editing && record) body.push(editor(record));
  body.push(
    el(
      "table",
      { id: "pool" },
      el("thead", {}, el("tr", {}, el("th", {}, "record"), POOL_COLUMNS.map((f) => el("th", {}, f)), el("th", {}, "other fields"))),
      el(
        "tbody",
        {},
        pool.records.map((r, i) =>
          el(
            "tr",
            { class: i === pool.index ? "current same" : null, onclick: () => ((pool.index = i), (pool.editing = true), renderPool()) },
            el("td", {}, r.uid),
            POOL_COLUMNS.map((f) => el("td", {}, show((r.fields || {})[f]))),
            el("td", { class: "muted" }, Object.entries(r.fields || {}).filter(([f]) => !POOL_COLUMNS.includes(f)).map(([f, v]) => f + ": " + show(v)).join(" · ")),
          ),
        ),
      ),
    ),
    pool.more ? el("button", { type: "button", onclick: () => act(() => loadPool(pool.cursor)) }, "More") : null,
    help(),
  );
  main.replaceChildren(...body.filter(Boolean));
  const first = document.querySelector("#record-edit input");
  if (first) first.focus();
}

function switchTab(name) {
  state.tab = name;
  guarded(main, name === "pairs" ? loadQueue : () => loadPool());
}

// --- keys --------------------------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
  if (typing) {
    if (event.key === "Escape" || (event.key === "Enter" && event.target.id === "note")) {
      event.target.blur();
      event.preventDefault();
    }
    return;
  }
  if (document.getElementById("signin")) return;
  const pairs = state.tab === "pairs";
  const keys = {
    "?": () => toggleHelp(),
    Escape: () => toggleHelp(false),
    1: () => switchTab("pairs"),
    2: () => switchTab("unmatched"),
    j: () => (pairs ? next() : ((pool.index = Math.min(pool.index + 1, pool.records.length - 1)), renderPool())),
    k: () => (pairs ? go(state.index - 1) : ((pool.index = Math.max(pool.index - 1, 0)), renderPool())),
    m: () => pairs && decide("MERGE"),
    s: () => pairs && decide("SEPARATE"),
    u: () => pairs && undo(),
    n: () => document.getElementById("note") && document.getElementById("note").focus(),
    e: () => !pairs && ((pool.editing = true), renderPool()),
    Enter: () => !pairs && ((pool.editing = true), renderPool()),
  };
  keys.ArrowDown = keys.ArrowRight = keys.j;
  keys.ArrowUp = keys.ArrowLeft = keys.k;
  const run = keys[event.key];
  if (!run) return;
  event.preventDefault();
  Promise.resolve(run()).catch((error) => (error instanceof SignInNeeded ? signInAgain() : toast(error.message)));
});

// A credential that stops working mid-session (expired, revoked): sign in again, then back to the tab.
function signInAgain() {
  sessionStorage.removeItem(CREDENTIAL_KEY);
  showSignIn(main, () => switchTab(state.tab), "Your credential was refused (expired or revoked?). Sign in again.");
}

showHeader("/review");
guarded(main, loadQueue);
