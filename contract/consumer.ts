/**
 * A small frontend's worth of calls, typed by the client generated from the
 * live OpenAPI document (generated/api.d.ts, by openapi-typescript).
 *
 * It is compiled with `tsc --strict` and `skipLibCheck: false`, so a field a
 * frontend reads (a title, a path, a block's value) must exist with the type
 * used here, and it is then run against a live server: every answer goes
 * through the Ajv check in validate.ts. It prints a JSON summary on stdout
 * (operations covered, responses validated, failures) and exits 1 on any
 * failure or any anonymous operation it did not call.
 *
 * Adding an endpoint: write one `async function (ctx: Context)` that calls it
 * through `ctx.client` and add it to STEPS.
 *
 *   node build/consumer.js --base-url http://127.0.0.1:8000 --document openapi.json
 * Environment: PREVIEW_PAGE_ID, PREVIEW_TOKEN, PREVIEW_TITLE (an unsaved draft's).
 */
import createClient from "openapi-fetch";

import type { components, paths } from "./generated/api";
import { Contract } from "./validate";

type Client = ReturnType<typeof createClient<paths>>;
type Schemas = components["schemas"];
type PageDetail = paths["/api/v3/pages/{page_id}/"]["get"]["responses"][200]["content"]["application/json"];
type BodyBlock = Schemas["ServicePageSchema"]["body"][number];

interface Context {
  client: Client;
  contract: Contract;
  env: NodeJS.ProcessEnv;
  /** What the calls saw, by step, for the summary (a frontend would render it). */
  seen: Record<string, string[]>;
}

class ContractError extends Error {}

function must<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new ContractError(`${what}: no value`);
  return value;
}

function first<T>(items: readonly T[], what: string): T {
  return must(items[0], `${what} returned no items`);
}

function expectEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) {
    throw new ContractError(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** The path part of an absolute URL the API gave (`meta.html_url`, a card's `url`). */
function pathOf(url: string | null | undefined, what: string): string {
  return new URL(must(url, what)).pathname;
}

/** What a renderer shows of one page: the union narrows on its top-level `type`. */
function describePage(page: PageDetail): string {
  const shown = `${page.type} “${page.title}” at ${page.meta.html_url ?? "(no address)"}`;
  switch (page.type) {
    case "studies.StudySummaryPage":
      return `${shown}, cites ${page.citation_title}`;
    case "home.ServicePage":
      return `${shown}, ${page.approaches.length} approaches`;
    case "articles.ArticlePage":
      return `${shown}, tags ${page.tags.join(", ")}`;
    case "home.HomePage":
      return `${shown}, ${page.body.length} body blocks`;
    default:
      return shown;
  }
}

/** What a renderer would put on the page for one body block (the union narrows on `type`). */
function describeBlock(block: BodyBlock): string {
  switch (block.type) {
    case "paragraph":
      return `paragraph(${block.value.length} chars)`;
    case "heading":
      return `${block.value.level}: ${block.value.text}`;
    case "image":
      return `image ${block.value.image?.src ?? "(not public)"} alt=${JSON.stringify(block.value.image?.alt ?? "")}`;
    default:
      return block.type;
  }
}

function record(ctx: Context, step: string, line: string): void {
  (ctx.seen[step] ??= []).push(line);
}

/** Wagtail's generic find endpoints answer a 302 to the detail: the id from its Location. */
function idFromLocation(response: Response, what: string): number {
  const location = must(response.headers.get("Location"), `${what}: Location header`);
  const match = /\/(\d+)\/$/.exec(new URL(location, response.url).pathname);
  return Number(must(match?.[1], `${what}: an id at the end of ${location}`));
}

async function services(ctx: Context): Promise<void> {
  const { client } = ctx;
  const list = must(
    (await client.GET("/api/v3/services/", { params: { query: { order: "title", limit: 20 } } })).data,
    "services_list",
  );
  const card = first(list.items, "services_list");
  const condition = first(card.conditions, `service ${card.title}'s conditions`).slug;
  const filtered = must(
    (await client.GET("/api/v3/services/", { params: { query: { condition, review_status: "not_reviewed" } } }))
      .data,
    "services_list filtered",
  );
  for (const item of filtered.items) {
    if (!item.conditions.some((c) => c.slug === condition)) {
      throw new ContractError(`services_list?condition=${condition} returned ${item.title} without it`);
    }
  }
  const detail = must(
    (await client.GET("/api/v3/services/{page_id}/", { params: { path: { page_id: card.id } } })).data,
    "services_detail",
  );
  expectEqual(detail.title, card.title, "services_detail title");
  const htmlPath = pathOf(detail.meta.html_url, "services_detail meta.html_url");
  expectEqual(htmlPath, pathOf(card.url, "service card url"), "service card and detail paths");
  const found = must(
    (await client.GET("/api/v3/services/find/", { params: { query: { html_path: htmlPath } } })).data,
    "services_find",
  );
  expectEqual(found.id, detail.id, "services_find id");
  record(ctx, "services", `${detail.title} at ${htmlPath}: ${detail.body.map(describeBlock).join("; ")}`);
  const graph = detail.jsonld?.["@graph"] ?? [];
  record(ctx, "services", `JSON-LD: ${graph.length} nodes`);
}

async function articles(ctx: Context): Promise<void> {
  const { client } = ctx;
  const list = must(
    (await client.GET("/api/v3/articles/", { params: { query: { order: "-date", limit: 10, offset: 0 } } })).data,
    "articles_list",
  );
  const card = first(list.items, "articles_list");
  const tag = first(card.tags, `article ${card.title}'s tags`);
  const tagged = must(
    (await client.GET("/api/v3/articles/", { params: { query: { tag } } })).data,
    "articles_list by tag",
  );
  if (!tagged.items.some((item) => item.id === card.id)) {
    throw new ContractError(`articles_list?tag=${tag} left out ${card.title}`);
  }
  const detail = must(
    (await client.GET("/api/v3/articles/{page_id}/", { params: { path: { page_id: card.id } } })).data,
    "articles_detail",
  );
  const htmlPath = pathOf(detail.meta.html_url, "articles_detail meta.html_url");
  const found = must(
    (await client.GET("/api/v3/articles/find/", { params: { query: { html_path: htmlPath } } })).data,
    "articles_find",
  );
  expectEqual(found.title, card.title, "articles_find title");
  const authors = (detail.authors ?? []).map((author) => author.name).join(", ");
  record(ctx, "articles", `${detail.title} (${detail.tags.join(", ")}) by ${authors}`);
}

async function studies(ctx: Context): Promise<void> {
  const { client } = ctx;
  const list = must(
    (await client.GET("/api/v3/studies/", { params: { query: { evidence_level: "not_graded", order: "title" } } }))
      .data,
    "studies_list",
  );
  const card = first(list.items, "studies_list?evidence_level=not_graded");
  expectEqual(card.evidence_level.value, "not_graded", "studies_list evidence_level filter");
  const detail = must(
    (await client.GET("/api/v3/studies/{page_id}/", {
      params: { path: { page_id: card.id }, query: { rich_text_format: "markdown" } },
    })).data,
    "studies_detail",
  );
  const htmlPath = pathOf(detail.meta.html_url, "studies_detail meta.html_url");
  const found = must(
    (await client.GET("/api/v3/studies/find/", { params: { query: { html_path: htmlPath } } })).data,
    "studies_find",
  );
  expectEqual(found.id, card.id, "studies_find id");
  const points = detail.key_points.length;
  record(ctx, "studies", `${detail.title}: ${detail.citation?.ama ?? "(no citation)"}; ${points} key points`);
}

async function search(ctx: Context): Promise<void> {
  const { client } = ctx;
  const query = { search: "ketamine" } as const;
  const found = [
    ...must((await client.GET("/api/v3/services/", { params: { query } })).data, "services search").items,
    ...must((await client.GET("/api/v3/studies/", { params: { query } })).data, "studies search").items,
    ...must((await client.GET("/api/v3/articles/", { params: { query } })).data, "articles search").items,
  ];
  if (found.length === 0) throw new ContractError(`searching for "ketamine" found nothing`);
  record(ctx, "search", found.map((card) => `${card.type} ${card.title}`).join("; "));
}

async function pages(ctx: Context): Promise<void> {
  const { client } = ctx;
  const list = must(
    (await client.GET("/api/v3/pages/", { params: { query: { limit: 50, order: ["title"] } } })).data,
    "pages_list",
  );
  const byType = new Map<string, number>();
  for (const item of list.items) {
    const type = must(item.meta.type, `pages_list item ${item.id} meta.type`);
    if (!byType.has(type)) byType.set(type, item.id);
  }
  for (const [type, id] of byType) {
    const page = must(
      (await client.GET("/api/v3/pages/{page_id}/", { params: { path: { page_id: id } } })).data,
      `pages_detail for a ${type}`,
    );
    expectEqual<string>(page.meta.type, type, `pages_detail ${id} meta.type`);
    expectEqual<string>(page.type, type, `pages_detail ${id} type`);
    record(ctx, "pages", describePage(page));
  }
  const studiesOnly = must(
    (await client.GET("/api/v3/pages/", {
      params: { query: { type: ["studies.StudySummaryPage"], search: "ketamine" } },
    })).data,
    "pages_list by type",
  );
  for (const item of studiesOnly.items) {
    expectEqual(item.meta.type, "studies.StudySummaryPage", `pages_list?type=… item ${item.id}`);
  }
  const home = await client.GET("/api/v3/pages/find/", { params: { query: { html_path: "/" } } });
  const homeId = idFromLocation(home.response, "pages_find html_path=/");
  const homePage = must(
    (await client.GET("/api/v3/pages/{page_id}/", { params: { path: { page_id: homeId } } })).data,
    "pages_detail for the home page",
  );
  expectEqual(pathOf(homePage.meta.html_url, "home meta.html_url"), "/", "home page path");
}

async function images(ctx: Context): Promise<void> {
  const { client } = ctx;
  const list = must((await client.GET("/api/v3/images/", { params: { query: { limit: 5 } } })).data, "images_list");
  const id = must(first(list.items, "images_list").id, "images_list item id");
  const image = must(
    (await client.GET("/api/v3/images/{image_id}/", { params: { path: { image_id: id } } })).data,
    "images_detail",
  );
  const focus = image.focal_point_x ?? null;
  record(ctx, "images", `${image.title} ${image.width}×${image.height}, focal x ${String(focus)}`);
}

async function documents(ctx: Context): Promise<void> {
  const { client } = ctx;
  const list = must((await client.GET("/api/v3/documents/", {})).data, "documents_list");
  const id = must(first(list.items, "documents_list").id, "documents_list item id");
  const document = must(
    (await client.GET("/api/v3/documents/{document_id}/", { params: { path: { document_id: id } } })).data,
    "documents_detail",
  );
  record(ctx, "documents", `${document.title}: ${document.meta.download_url ?? "(no download)"}`);
}

async function redirects(ctx: Context): Promise<void> {
  const { client } = ctx;
  const list = must((await client.GET("/api/v3/redirects/", {})).data, "redirects_list");
  const item = first(list.items, "redirects_list");
  const redirect = must(
    (await client.GET("/api/v3/redirects/{redirect_id}/", { params: { path: { redirect_id: item.id } } })).data,
    "redirects_detail",
  );
  const found = await client.GET("/api/v3/redirects/find/", { params: { query: { html_path: redirect.old_path } } });
  const foundId = idFromLocation(found.response, "redirects_find");
  expectEqual(foundId, redirect.id, "redirects_find id");
  record(ctx, "redirects", `${redirect.old_path} → ${redirect.redirect_page_route_path || redirect.redirect_link}`);
}

async function preview(ctx: Context): Promise<void> {
  const pageId = Number(must(ctx.env.PREVIEW_PAGE_ID, "PREVIEW_PAGE_ID"));
  const token = must(ctx.env.PREVIEW_TOKEN, "PREVIEW_TOKEN");
  const draft = must(
    (await ctx.client.GET("/api/v3/preview/", { params: { query: { page_id: pageId, token } } })).data,
    "preview_detail",
  );
  expectEqual(draft.title, must(ctx.env.PREVIEW_TITLE, "PREVIEW_TITLE"), "preview_detail title");
  record(ctx, "preview", `${draft.meta.type} draft “${draft.title}”`);
}

/** A missing page is a typed problem (RFC 7807), not an untyped failure. */
async function notFound(ctx: Context): Promise<void> {
  const { error, response } = await ctx.client.GET("/api/v3/services/{page_id}/", {
    params: { path: { page_id: 999999 } },
  });
  expectEqual(response.status, 404, "services_detail for a missing page");
  const problem = must(error, "services_detail 404 body");
  expectEqual(problem.status, 404, "problem status");
  record(ctx, "not found", `${problem.title}: ${problem.detail ?? ""}`);
}

/** Site-wide data for the layout: name, contact, crisis line, menus, footer. */
async function site(ctx: Context): Promise<void> {
  const details = must((await ctx.client.GET("/api/v3/site/", {})).data, "site_details");
  const menu = details.navigation.map((item) => `${item.title} ${item.html_path} (${item.children.length})`);
  record(ctx, "site", `${details.clinic_name}, ${details.phone ?? "(no phone)"}; menu: ${menu.join(", ")}`);
  record(ctx, "site", `crisis line ${details.crisis_line.number}; ${details.footer_links.length} footer links`);
}

/** Every public address with its last change, for a frontend's sitemap.xml. */
async function sitemap(ctx: Context): Promise<void> {
  const page = must(
    (await ctx.client.GET("/api/v3/sitemap/", { params: { query: { limit: 100 } } })).data,
    "sitemap_list",
  );
  const home = must(page.items.find((entry) => entry.html_path === "/"), "sitemap_list entry for /");
  record(ctx, "sitemap", `${page.count} addresses; / last published ${home.last_published_at ?? "never"}`);
}

/** The headless consultation form: read its fields, then send a valid request. */
async function consultation(ctx: Context): Promise<void> {
  const { client } = ctx;
  const form = must((await client.GET("/api/v3/consultation/", {})).data, "consultation_form");
  const answers: Record<string, string> = {};
  for (const field of form.fields) {
    if (!field.required && !form.contact_fields.includes(field.name)) continue;
    answers[field.name] = field.type === "email" ? "pat@example.com" : (field.choices[0] ?? `Contract test ${field.label}`);
  }
  const origin = new URL(option("--base-url")).origin; // the site's own origin is allowed
  const sent = await client.POST("/api/v3/consultation/", {
    body: { answers, consent: true, [form.honeypot.name]: "" },
    headers: { Origin: origin },
  });
  expectEqual(must(sent.data, "consultation_request 201").status, "received", "consultation_request status");
  record(ctx, "consultation", `${form.title}: ${form.fields.length} fields, sent`);
}

const STEPS: ReadonlyArray<(ctx: Context) => Promise<void>> = [
  services,
  articles,
  studies,
  search,
  pages,
  images,
  documents,
  redirects,
  preview,
  site,
  sitemap,
  consultation,
  notFound,
];

function option(name: string): string {
  const at = process.argv.indexOf(name);
  return must(at === -1 ? undefined : process.argv[at + 1], `command-line option ${name}`);
}

async function main(): Promise<number> {
  const contract = Contract.fromFile(option("--document"));
  // Redirects are not followed: a 3xx must be one the document lists.
  const client = createClient<paths>({ baseUrl: option("--base-url"), redirect: "manual" });
  client.use(contract.middleware());
  const ctx: Context = { client, contract, env: process.env, seen: {} };
  for (const step of STEPS) {
    try {
      await step(ctx);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      contract.fail(`step ${step.name}: ${why}`);
    }
  }
  const summary = contract.summary();
  process.stdout.write(`${JSON.stringify({ ...summary, seen: ctx.seen }, null, 2)}\n`);
  return summary.failures.length === 0 && summary.uncovered.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
