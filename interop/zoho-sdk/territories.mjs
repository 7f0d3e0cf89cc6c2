// territories.mjs points one of Zoho's official JavaScript SDKs for CRM v8
// (@zohocrm/nodejs-sdk-8.0 or @zohocrm/typescript-sdk-8.0, pinned in
// interop/package.json) at the zohoterritory sandbox, initialised with the
// SDK's defaults as run.mjs does, and runs the territories' lifecycle
// through the SDK's TerritoriesOperations: createTerritories,
// updateTerritories, updateTerritory, getChildTerritory,
// getAssociatedUserCount, transferAndDeleteTerritories,
// transferAndDeleteTerritory, deleteTerritories and deleteTerritory. It
// checks what the SDK makes of every answer (status, classes, codes,
// messages, ids) and that the sandbox's state changed as documented, read
// back through the SDK's getTerritory.
//
// Usage: node interop/zoho-sdk/territories.mjs [node|typescript]
//
// It authenticates with ZOHO_ACCESS_TOKEN against ZOHO_API_DOMAIN (the
// sandbox's URL, as `zohoterritory sandbox serve` prints it). The sandbox
// must run with interop/seed.yaml: the territories made here are new ones
// under its organization territory, named "SDK ...", and all are deleted
// again, so the slices run.mjs uses are left as they were. NODE_SDK_WORKDIR
// is a directory for the SDK's token store, log and resource files
// (default: a new temporary directory, removed afterwards). NODE_SDK_HAR,
// when set, is where the CRM calls are written as HAR 1.2, as the SDK sent
// them, for `zohoterritory-contract validate --requests`.
//
// Exit status 0 when every check passed, 1 otherwise.
import { describe, header, startRelay } from "./relay.mjs";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sdkName = process.argv[2] ?? "node";
const packages = { node: "@zohocrm/nodejs-sdk-8.0", typescript: "@zohocrm/typescript-sdk-8.0" };
if (!packages[sdkName] || process.argv.length > 3) {
  console.error("usage: node interop/zoho-sdk/territories.mjs [node|typescript]");
  process.exit(2);
}
const require = createRequire(import.meta.url);
// The Node SDK is ES modules; the TypeScript SDK ships CommonJS.
const ZOHOCRMSDK = sdkName === "node" ? await import(packages[sdkName]) : require(packages[sdkName]);

const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`territories.mjs: ${name} is not set`);
    process.exit(2);
  }
  return v;
};
const sandbox = new URL(env("ZOHO_API_DOMAIN"));

// Ids of interop/seed.yaml.
const ids = {
  org: "4876543000000500001",
  manager: "4876543000000200001", // M2, active
  inactive: "4876543000000100002",
  unknown: "4876543000000599999",
};

// Zoho's messages, as api/openapi.yaml's examples give them.
const msg = {
  created: "Territory Created Successfully",
  updated: "Territory Updated Successfully",
  deleted: "Given Territory Removed Successfully",
  transferred: "Territory Transferred And Deleted Successfully",
  nameTaken: "Given Territory name already exists",
  inactive: "Inactive User",
  cycle: "Reporting_to id should not be the child of given territory. Chosse another territory as Reporing_to",
  hasChildren: "Territory can't be deleted as it's having child",
  targetRequired: "This territory has its child. Please Give the transfer_to_id field value",
  invalidTerritory: "Invalid Territory Id",
};

// ---- the recording relay (relay.mjs) ---------------------------------------

const { relay, base, exchanges } = await startRelay(sandbox);

// ---- the SDK -----------------------------------------------------------

const ownWorkDir = !process.env.NODE_SDK_WORKDIR;
const workDir = process.env.NODE_SDK_WORKDIR || mkdtempSync(join(tmpdir(), "zoho-sdk-territories-"));

let failures = 0;
const fail = (what) => {
  failures++;
  console.log(`FAIL  ${sdkName}: ${what}`);
};


try {
  await (await new ZOHOCRMSDK.InitializeBuilder())
    .environment(new ZOHOCRMSDK.Environment(base, base + "/oauth/v2/token", base))
    .token(new ZOHOCRMSDK.OAuthBuilder().accessToken(env("ZOHO_ACCESS_TOKEN")).build())
    .store(new ZOHOCRMSDK.FileStore(join(workDir, "sdk_tokens.txt")))
    .SDKConfig(new ZOHOCRMSDK.SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build())
    .resourcePath(workDir)
    .logger(new ZOHOCRMSDK.LogBuilder().level(ZOHOCRMSDK.Levels.INFO).filePath(join(workDir, "sdk.log")).build())
    .initialize();
} catch (err) {
  fail(`SDK initialization: ${describe(err)}`);
  await finish();
}

const T = ZOHOCRMSDK.Territories;
const ops = new T.TerritoriesOperations();
const value = (choice) => (choice && typeof choice.getValue === "function" ? choice.getValue() : choice);

// territory builds an SDK Territories object.
async function territory({ id, name, parent, permission, manager, description, accountRule }) {
  const t = new T.Territories();
  if (id !== undefined) t.setId(BigInt(id));
  if (name !== undefined) t.setName(name);
  if (parent !== undefined) {
    const r = new T.ReportingTo();
    r.setId(BigInt(parent));
    await t.setReportingTo(r);
  }
  if (permission !== undefined) t.setPermissionType(new ZOHOCRMSDK.Choice(permission));
  if (manager !== undefined) {
    let m = null;
    if (manager !== null) {
      m = new T.Manager();
      m.setId(BigInt(manager));
    }
    await t.setManager(m);
  }
  if (description !== undefined) t.setDescription(description);
  if (accountRule !== undefined) await t.setAccountRuleCriteria(accountRule);
  return t;
}

async function condition(apiName, comparator, v) {
  const c = new T.Criteria();
  const f = new T.Field();
  f.setAPIName(apiName);
  await c.setField(f);
  c.setComparator(comparator);
  c.setValue(v);
  return c;
}

async function body(...territories) {
  const b = new T.BodyWrapper();
  b.setTerritories(territories);
  return b;
}

function transfers(...items) {
  const b = new T.TransferBodyWrapper();
  b.setTerritories(items.map(({ id, to, forecasts }) => {
    const t = new T.TransferTerritory();
    if (id !== undefined) t.setId(BigInt(id));
    if (to !== undefined) t.setTransferToId(BigInt(to));
    if (forecasts !== undefined) t.setDeletePreviousForecasts(forecasts);
    return t;
  }));
  return b;
}

async function params(entries) {
  const pm = new ZOHOCRMSDK.ParameterMap();
  for (const [param, v] of entries) await pm.add(param, v);
  return pm;
}

// check runs one SDK call and compares the SDK's parsed answer with want:
//   {status, items: [{ok: true, message} | {ok: false, code, message}]}  an envelope
//   {status, error: {code, message, details}}                            a top-level error
//   {status, read: (obj) => problems[]}                                  a read's wrapper
//   {status: 204}                                                        no content
// It returns the ids of the envelope's success items, as strings.
async function check(name, call, want) {
  const before = exchanges.length;
  let resp;
  try {
    resp = await call();
  } catch (err) {
    fail(`${name}: the SDK threw ${describe(err)}`);
    return [];
  }
  const sent = exchanges.slice(before).map((x) => `${x.method} ${x.url}`).join(", ") || "(nothing reached the sandbox)";
  const problems = [];
  const got = [];
  if (resp.getStatusCode() !== want.status) problems.push(`HTTP ${resp.getStatusCode()}, want ${want.status}`);
  const obj = resp.getObject();
  if (want.items) {
    if (!(obj instanceof T.ActionWrapper)) {
      problems.push(`object is ${obj?.constructor?.name ?? obj}, want Territories.ActionWrapper`);
    } else {
      const items = obj.getTerritories() ?? [];
      if (items.length !== want.items.length) problems.push(`${items.length} items, want ${want.items.length}`);
      want.items.forEach((w, i) => {
        const it = items[i];
        if (!it) return;
        const where = `item ${i}`;
        if (w.ok) {
          if (!(it instanceof T.SuccessResponse)) problems.push(`${where} is ${it.constructor.name}, want SuccessResponse`);
          if (value(it.getStatus()) !== "success" || value(it.getCode()) !== "SUCCESS") problems.push(`${where}: status ${value(it.getStatus())} code ${value(it.getCode())}`);
          const id = it.getDetails()?.get("id");
          if (typeof id !== "bigint") problems.push(`${where}: details.id ${id} is not a BigInt`);
          else got.push(id.toString());
          if (w.id && id !== BigInt(w.id)) problems.push(`${where}: details.id ${id}, want ${w.id}`);
          if (it.getMessage() !== w.message) problems.push(`${where}: message ${JSON.stringify(it.getMessage())}`);
        } else {
          if (!(it instanceof T.APIException)) problems.push(`${where} is ${it.constructor.name}, want APIException`);
          if (value(it.getStatus()) !== "error" || value(it.getCode()) !== w.code) problems.push(`${where}: status ${value(it.getStatus())} code ${value(it.getCode())}, want error ${w.code}`);
          if (it.getMessage() !== w.message) problems.push(`${where}: message ${JSON.stringify(it.getMessage())}, want ${JSON.stringify(w.message)}`);
        }
      });
    }
  } else if (want.error) {
    if (!(obj instanceof T.APIException)) {
      problems.push(`object is ${obj?.constructor?.name ?? obj}, want an APIException`);
    } else {
      if (value(obj.getStatus()) !== "error" || value(obj.getCode()) !== want.error.code) problems.push(`status ${value(obj.getStatus())} code ${value(obj.getCode())}, want error ${want.error.code}`);
      if (obj.getMessage() !== want.error.message) problems.push(`message ${JSON.stringify(obj.getMessage())}`);
      for (const [k, v] of Object.entries(want.error.details ?? {})) {
        const d = obj.getDetails()?.get(k);
        if (d !== v) problems.push(`details.${k} ${JSON.stringify(d)}, want ${JSON.stringify(v)}`);
      }
    }
  } else if (want.read) {
    problems.push(...want.read(obj));
  } else if (obj !== null && obj !== undefined) {
    problems.push(`object ${obj?.constructor?.name}, want none`);
  }
  if (problems.length) fail(`${name}: ${sent}: ${problems.join("; ")}`);
  else console.log(`ok    ${sdkName}: ${name}: ${sent} -> ${resp.getStatusCode()}`);
  return got;
}

const ok = (message, id) => ({ ok: true, message, id });
const err = (code, message) => ({ ok: false, code, message });

// parentOf reads a territory back through the SDK: its parent's id, its
// name and its manager's id ("" for none); null when there is none.
async function read(id) {
  const resp = await ops.getTerritory(BigInt(id));
  if (resp.getStatusCode() === 204) return null;
  const t = resp.getObject()?.getTerritories()?.[0];
  return { parent: t?.getReportingTo()?.getId()?.toString() ?? "", name: t?.getName(), manager: t?.getManager()?.getId()?.toString() ?? "" };
}

// expectState compares what read gives with want, field by field.
async function expectState(name, id, want) {
  const got = await read(id);
  const problems = [];
  if (want === null) {
    if (got !== null) problems.push(`still there: ${JSON.stringify(got)}`);
  } else if (got === null) {
    problems.push("gone");
  } else {
    for (const [k, v] of Object.entries(want)) if (got[k] !== v) problems.push(`${k} ${JSON.stringify(got[k])}, want ${JSON.stringify(v)}`);
  }
  if (problems.length) fail(`${name}: ${problems.join("; ")}`);
  else console.log(`ok    ${sdkName}: ${name}`);
}

// ---- the lifecycle -------------------------------------------------------

const rule = new T.Criteria();
rule.setGroupOperator("OR");
rule.setGroup([await condition("Billing_State", "equal", "WA"), await condition("Billing_State", "equal", "OR")]);

const [pacific, atlantic] = await check("TerritoriesOperations.createTerritories",
  async () => ops.createTerritories(await body(
    await territory({ name: "SDK Pacific", parent: ids.org, permission: "read_only", manager: ids.manager, description: "WA and OR", accountRule: rule }),
    await territory({ name: "SDK Atlantic", parent: ids.org, permission: "read_write_delete" }))),
  { status: 201, items: [ok(msg.created), ok(msg.created)] });
await check("TerritoriesOperations.createTerritories (a name taken, another case)",
  async () => ops.createTerritories(await body(await territory({ name: "sdk pacific", parent: ids.org, permission: "read_only" }))),
  { status: 400, items: [err("DUPLICATE_DATA", msg.nameTaken)] });
await check("TerritoriesOperations.createTerritories (an inactive manager)",
  async () => ops.createTerritories(await body(await territory({ name: "SDK Inactive", parent: ids.org, permission: "read_only", manager: ids.inactive }))),
  { status: 400, items: [err("NOT_ALLOWED", msg.inactive)] });

if (!pacific || !atlantic) {
  fail("the creates gave no ids; the rest needs them");
  await finish();
}

await check("TerritoriesOperations.updateTerritories",
  async () => ops.updateTerritories(await body(
    await territory({ id: pacific, name: "SDK Pacific NW", permission: "read_only" }),
    await territory({ id: atlantic, parent: pacific, permission: "read_write_delete" }))),
  { status: 200, items: [ok(msg.updated, pacific), ok(msg.updated, atlantic)] });
await expectState("the rename and the re-parent read back", atlantic, { parent: pacific, name: "SDK Atlantic" });
await check("TerritoriesOperations.updateTerritory (the manager set to null, a description)",
  async () => ops.updateTerritory(BigInt(pacific), await body(await territory({ id: pacific, permission: "read_only", manager: null, description: "Northwest" }))),
  { status: 200, items: [ok(msg.updated, pacific)] });
await check("TerritoriesOperations.updateTerritories (under its own child)",
  async () => ops.updateTerritories(await body(await territory({ id: pacific, parent: atlantic, permission: "read_only" }))),
  { status: 400, items: [err("NOT_ALLOWED", msg.cycle)] });

await check("TerritoriesOperations.getChildTerritory",
  async () => ops.getChildTerritory(BigInt(pacific), await params([[T.GetChildTerritoryParam.PAGE, 1], [T.GetChildTerritoryParam.PER_PAGE, 200]])),
  { status: 200, read: (obj) => {
    if (!(obj instanceof T.ResponseWrapper)) return [`object is ${obj?.constructor?.name}, want ResponseWrapper`];
    const names = (obj.getTerritories() ?? []).map((t) => t.getName());
    return names.join() === "SDK Atlantic" ? [] : [`children ${JSON.stringify(names)}, want ["SDK Atlantic"]`];
  } });
await check("TerritoriesOperations.getChildTerritory (none)",
  async () => ops.getChildTerritory(BigInt(atlantic)),
  { status: 204 });
await check("TerritoriesOperations.getAssociatedUserCount",
  () => ops.getAssociatedUserCount(),
  { status: 200, read: (obj) => {
    if (!(obj instanceof T.AssociatedUsersCountWrapper)) return [`object is ${obj?.constructor?.name}, want AssociatedUsersCountWrapper`];
    const counts = new Map((obj.getAssociatedUsersCount() ?? []).map((c) => [c.getTerritory()?.getId()?.toString(), String(c.getCount())]));
    const problems = [];
    if (counts.get(pacific) !== "1") problems.push(`SDK Pacific counts ${counts.get(pacific)}, want 1 (its manager that was)`);
    if (counts.get(atlantic) !== "0") problems.push(`SDK Atlantic counts ${counts.get(atlantic)}, want 0`);
    return problems;
  } });

await check("TerritoriesOperations.deleteTerritory (with a child)",
  async () => ops.deleteTerritory(BigInt(pacific), await params([[T.DeleteTerritoryParam.DELETE_PREVIOUS_FORECASTS, false]])),
  { status: 400, error: { code: "NOT_ALLOWED", message: msg.hasChildren, details: { resource_path_index: 2 } } });
await check("TerritoriesOperations.transferAndDeleteTerritories (a child and no target)",
  () => ops.transferAndDeleteTerritories(transfers({ id: pacific, forecasts: false })),
  { status: 400, items: [err("DEPENDENT_FIELD_MISSING", msg.targetRequired)] });
await check("TerritoriesOperations.transferAndDeleteTerritory",
  () => ops.transferAndDeleteTerritory(BigInt(pacific), transfers({ id: pacific, to: ids.org, forecasts: true })),
  { status: 200, items: [ok(msg.transferred, pacific)] });
await expectState("the child moved to transfer_to_id", atlantic, { parent: ids.org });
await expectState("the territory is gone", pacific, null);

const [temp1, temp2] = await check("TerritoriesOperations.createTerritories (two more)",
  async () => ops.createTerritories(await body(
    await territory({ name: "SDK Temp 1", parent: atlantic, permission: "read_only" }),
    await territory({ name: "SDK Temp 2", parent: ids.org, permission: "read_only" }))),
  { status: 201, items: [ok(msg.created), ok(msg.created)] });
await check("TerritoriesOperations.transferAndDeleteTerritories",
  () => ops.transferAndDeleteTerritories(transfers({ id: atlantic, to: ids.org, forecasts: false })),
  { status: 200, items: [ok(msg.transferred, atlantic)] });
await check("TerritoriesOperations.deleteTerritories",
  async () => ops.deleteTerritories(await params([[T.DeleteTerritoriesParam.IDS, `${temp1},${temp2}`], [T.DeleteTerritoriesParam.DELETE_PREVIOUS_FORECASTS, false]])),
  { status: 200, items: [ok(msg.deleted, temp1), ok(msg.deleted, temp2)] });
await check("TerritoriesOperations.deleteTerritory (unknown)",
  async () => ops.deleteTerritory(BigInt(ids.unknown), await params([[T.DeleteTerritoryParam.DELETE_PREVIOUS_FORECASTS, true]])),
  { status: 400, error: { code: "INVALID_DATA", message: msg.invalidTerritory, details: { resource_path_index: 2 } } });
for (const [what, id] of [["SDK Atlantic", atlantic], ["SDK Temp 1", temp1], ["SDK Temp 2", temp2]]) {
  await expectState(`${what} is gone`, id, null);
}

// The bodies went as the SDK writes them: without a Content-Type, which
// api/openapi.yaml reads as JSON.
const withBody = exchanges.filter((x) => x.reqBody.length > 0);
const typed = withBody.filter((x) => header(x.reqHeaders, "content-type"));
console.log(`note  ${withBody.length} bodies sent, ${typed.length} with a Content-Type header`);

await finish();

async function finish() {
  if (process.env.NODE_SDK_HAR) {
    const pairs = (raw) => {
      const out = [];
      for (let i = 0; i + 1 < raw.length; i += 2) out.push({ name: raw[i], value: raw[i + 1] });
      return out;
    };
    const har = {
      log: {
        version: "1.2",
        creator: { name: "interop/zoho-sdk/territories.mjs", version: "1" },
        entries: exchanges.map((x) => {
          const request = { method: x.method, url: `${sandbox.origin}${x.url}`, headers: pairs(x.reqHeaders) };
          if (x.reqBody.length > 0) request.postData = { mimeType: header(x.reqHeaders, "content-type") ?? "", text: x.reqBody };
          return {
            request,
            response: { status: x.status, headers: pairs(x.resHeaders), content: { mimeType: header(x.resHeaders, "content-type") ?? "", text: x.body } },
          };
        }),
      },
    };
    writeFileSync(process.env.NODE_SDK_HAR, JSON.stringify(har, null, 1));
  }
  relay.close();
  if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
  console.log(`territories ${sdkName}: ${failures === 0 ? "all checks passed" : `${failures} checks failed`}`);
  process.exit(failures === 0 ? 0 : 1);
}
