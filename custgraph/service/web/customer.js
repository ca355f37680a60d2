// The customer page: the 360° view of /customer/{id} in one readable page, from the GraphQL API.
"use strict";

const CUSTOMER = `query Customer($id: ID!) {
  customer(id: $id) {
    id name customerType lifecycle gender title mobile phone email companyName industry region city address
    country notes specialNeeds consentMarketing consentSource firstContact lastContact totalAmount orderCount createdAt updatedAt
    contacts { kind value primary sources }
    contactPeople { name title mobile email }
    tags { key name dimension }
    owners { name role }
    channels { name }
    orders(first: 50) { totalCount nodes { uid orderId date amount product source } }
    interactions(first: 50) { totalCount nodes { uid interactionType interactionLabel date content satisfaction source } }
    sourceRecords {
      uid source sourceKey kind outcome fields
      resolution { score rule outcome matchedUid resolvedAt movedFrom }
    }
  }
}`;

// Managers and admins also get the explanation's one-line summaries; other roles see the match itself.
const WHY = `query Why($id: ID!) { explainCustomer(id: $id) { records { uid summary } } }`;

const PROFILE = [
  ["customerType", "type"],
  ["lifecycle", "lifecycle"],
  ["gender", "gender"],
  ["title", "title"],
  ["companyName", "company"],
  ["industry", "industry"],
  ["region", "region"],
  ["city", "city"],
  ["address", "address"],
  ["country", "country"],
  ["firstContact", "first contact"],
  ["lastContact", "last contact"],
  ["orderCount", "orders"],
  ["totalAmount", "total amount (¥)"],
  ["consentMarketing", "marketing consent"],
  ["notes", "notes"],
  ["specialNeeds", "special needs"],
];

const main = document.getElementById("main");
const requested = decodeURIComponent(location.pathname.split("/").pop());

function text(value) {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return value.toLocaleString("zh-CN");
  return String(value);
}

function profile(c) {
  const rows = PROFILE.filter(([key]) => text(c[key]) !== null).flatMap(([key, label]) => [el("dt", {}, label), el("dd", {}, text(c[key]))]);
  return el("section", { class: "card" }, el("h2", {}, "Profile"), el("dl", { class: "profile", id: "profile" }, rows));
}

function contacts(c) {
  const rows = c.contacts.map((p) =>
    el("tr", {}, el("td", {}, p.kind), el("td", {}, p.value, p.primary ? el("span", { class: "chip" }, "golden") : null), el("td", { class: "muted" }, p.sources.join(", "))),
  );
  return el(
    "section",
    { class: "card" },
    el("h2", {}, "Contacts"),
    rows.length ? el("table", { id: "contacts" }, el("tbody", {}, rows)) : el("p", { class: "muted" }, "none"),
    people(c),
  );
}

// A company's contact people (联系人), masked as the API gives them; nothing shown when there are none.
function people(c) {
  if (!c.contactPeople.length) return null;
  const rows = c.contactPeople.map((p) =>
    el("tr", {}, el("td", {}, p.name || "–"), el("td", { class: "muted" }, p.title || ""), el("td", {}, p.mobile || ""), el("td", {}, p.email || "")),
  );
  return [el("h2", {}, "Contact people"), el("table", { id: "contact-people" }, el("tbody", {}, rows))];
}

function tagsAndOwners(c) {
  const byDimension = new Map();
  for (const tag of c.tags) byDimension.set(tag.dimension, [...(byDimension.get(tag.dimension) || []), tag]);
  const tagRows = [...byDimension.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([dimension, tags]) => [el("dt", {}, dimension), el("dd", {}, tags.map((t) => el("span", { class: "chip", title: t.key }, t.name)))]);
  const owners = c.owners.map((o) => el("li", {}, o.name, o.role ? el("span", { class: "muted" }, " · " + o.role) : null));
  return el(
    "section",
    { class: "card" },
    el("h2", {}, "Tags"),
    tagRows.length ? el("dl", { class: "profile", id: "tags" }, tagRows) : el("p", { class: "muted" }, "none"),
    el("h2", {}, "Owners"),
    owners.length ? el("ul", { id: "owners" }, owners) : el("p", { class: "muted" }, "nobody"),
    c.channels.length ? el("p", {}, el("span", { class: "muted" }, "channels: "), c.channels.map((ch) => el("span", { class: "chip" }, ch.name))) : null,
  );
}

function timeline(c) {
  const orders = c.orders.nodes.map((o) => ({
    date: o.date,
    kind: "order",
    what: [o.orderId, o.product, o.amount != null ? "¥" + o.amount.toLocaleString("zh-CN") : null].filter(Boolean).join(" · "),
    source: o.source,
  }));
  const interactions = c.interactions.nodes.map((i) => ({
    date: i.date,
    kind: "interaction",
    what: [i.interactionLabel || i.interactionType, i.content, i.satisfaction != null ? "★" + i.satisfaction : null].filter(Boolean).join(" · "),
    source: i.source,
  }));
  const entries = [...orders, ...interactions].sort((a, b) => (b.date || "").localeCompare(a.date || ""));
  const more = c.orders.totalCount + c.interactions.totalCount - entries.length;
  return el(
    "section",
    { class: "card" },
    el("h2", {}, "Timeline"),
    entries.length
      ? el(
          "ul",
          { class: "timeline", id: "timeline" },
          entries.map((e) => el("li", {}, el("span", {}, e.date || "–"), el("span", { class: "kind-" + e.kind }, e.kind), el("span", {}, e.what, e.source ? el("span", { class: "muted" }, " · " + e.source) : null))),
        )
      : el("p", { class: "muted" }, "no orders or interactions"),
    more > 0 ? el("p", { class: "muted" }, more + " older entries not shown") : null,
  );
}

function records(c, summaries) {
  const rows = c.sourceRecords.map((r) => {
    const res = r.resolution || {};
    const fields = r.fields || {};
    const shown = ["name", "mobile", "email", "company"].map((f) => fields[f]).filter(Boolean).join(" · ");
    const why =
      summaries.get(r.uid) ||
      [res.outcome || r.outcome, res.rule, res.score != null ? "p=" + res.score.toFixed(3) : null, res.matchedUid ? "matched " + res.matchedUid : null, res.movedFrom ? "moved from " + res.movedFrom : null]
        .filter(Boolean)
        .join(" · ");
    return el("tr", {}, el("td", {}, r.uid, el("div", { class: "muted" }, r.kind)), el("td", {}, shown), el("td", { class: "why" }, why));
  });
  return el(
    "section",
    { class: "card" },
    el("h2", {}, "Source records and why they matched"),
    el("table", { id: "records" }, el("thead", {}, el("tr", {}, el("th", {}, "record"), el("th", {}, "values"), el("th", {}, "why matched"))), el("tbody", {}, rows)),
  );
}

async function summaries(id) {
  try {
    const data = await gql(WHY, { id });
    return new Map(((data.explainCustomer || {}).records || []).map((r) => [r.uid, r.summary]));
  } catch (error) {
    if (error instanceof SignInNeeded) throw error;
    return new Map(); // not a manager: the match data in sourceRecords is what this role gets
  }
}

async function load() {
  const c = (await gql(CUSTOMER, { id: requested })).customer;
  if (!c) {
    main.replaceChildren(el("h1", {}, "No customer " + requested), el("p", { class: "muted" }, "It does not exist, or it is outside what you may see."));
    return;
  }
  const why = await summaries(c.id);
  document.title = (c.name || c.id) + " · customer-graph";
  const parts = [
    el(
      "h1",
      {},
      el("span", { id: "customer-name" }, c.name || "(no name)"),
      " ",
      el("span", { class: "muted" }, c.id),
      c.mobile ? el("span", { class: "muted" }, " · " + c.mobile) : null,
      c.email ? el("span", { class: "muted" }, " · " + c.email) : null,
    ),
    c.id !== requested ? el("p", { class: "muted", id: "merged-note" }, requested + " was merged into " + c.id + ".") : null,
    el("div", { class: "grid" }, profile(c), contacts(c), tagsAndOwners(c)),
    timeline(c),
    records(c, why),
  ];
  main.replaceChildren(...parts.filter(Boolean));
}

showHeader("/customer");
guarded(main, load);
