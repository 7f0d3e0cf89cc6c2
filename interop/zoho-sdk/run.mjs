// run.mjs points one of Zoho's official JavaScript SDKs for CRM v8 at the
// zohoterritory sandbox, initialised with the SDK's defaults, and calls every
// operation the SDK has for what the sandbox serves:
//
//   node        @zohocrm/nodejs-sdk-8.0 (ES modules)
//   typescript  @zohocrm/typescript-sdk-8.0, as the compiled JavaScript it
//               ships (dist/*.js, CommonJS, with its .d.ts types beside)
//
// both pinned in interop/package.json. The SDK's default initialisation
// names its user as its first call authenticates: GET users?type=CurrentUser
// and GET org; run.mjs checks that both were made and answered, and that the
// SDK kept "<e-mail>:<zgid>" as its user. Then:
//
//   the organization  OrgOperations.getOrganization
//   the directory     UsersOperations.getUsers, getUser;
//                     TerritoriesOperations.getTerritories, getTerritory
//   the memberships   TerritoryUsersOperations.getTerritoryUsers, getTerritoryUser;
//                     UsersTerritoriesOperations.getTerritoriesOfUser, getTerritoryOfUser
//   the removals      deassociateTerritoryUsers, deassociateTerritoryUser,
//                     removeTerritoriesFromUser, removeTerritoryFromUser
//   the adds          TerritoryUsersOperations.updateTerritoryUsers, updateTerritoryUser;
//                     UsersTerritoriesOperations.associateTerritoriesToUser
//
// For each call it checks the HTTP status and what the SDK made of the
// answer (its class, and the values read from it: ids, names, the manager's
// name in a user's territories, each item's status, code and message), that
// no call threw, and it reads every change back through the SDK. The adds put
// back what the removals took, so the org ends as it began.
//
// Usage: node interop/zoho-sdk/run.mjs static|refresh [node|typescript]
//
//   static   authenticates with ZOHO_ACCESS_TOKEN
//   refresh  authenticates with ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and
//            ZOHO_REFRESH_TOKEN at the sandbox's /oauth/v2/token
//
// ZOHO_API_DOMAIN is the sandbox's URL, as `zohoterritory sandbox serve`
// prints it; the sandbox must run with interop/seed.yaml, whose two slices
// the two modes split between them (static: slice 2, refresh: slice 3).
// NODE_SDK_WORKDIR is a directory for the SDK's token store, log and
// resource files (default: a new temporary directory, removed afterwards);
// nothing is written into the repository. NODE_SDK_HAR, when set, is where
// the CRM calls are written as HAR 1.2, bodies included, as the SDK sent
// them, for `zohoterritory-contract validate --requests`.
//
// The SDK talks to a small recording relay on loopback that passes each
// request and answer on unchanged (but for the Host header); it is how the
// requests the SDK really sent (path spelling, query string, headers,
// bodies) are seen and checked.
//
// Exit status 0 when every check passed, 1 otherwise.
import { describe, header, startRelay } from "./relay.mjs";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const mode = process.argv[2];
const sdkName = process.argv[3] ?? "node";
const packages = { node: "@zohocrm/nodejs-sdk-8.0", typescript: "@zohocrm/typescript-sdk-8.0" };
if ((mode !== "static" && mode !== "refresh") || !packages[sdkName] || process.argv.length > 4) {
  console.error("usage: node interop/zoho-sdk/run.mjs static|refresh [node|typescript]");
  process.exit(2);
}
const pkg = packages[sdkName];
const require = createRequire(import.meta.url);
// The Node SDK is ES modules; the TypeScript SDK ships CommonJS.
const Z = sdkName === "node" ? await import(pkg) : require(pkg);
const sdkVersion = JSON.parse(readFileSync(new URL(`../node_modules/${pkg}/package.json`, import.meta.url), "utf8")).version;
const who = `${mode} ${sdkName}`;

const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`run.mjs: ${name} is not set`);
    process.exit(2);
  }
  return v;
};
const sandbox = new URL(env("ZOHO_API_DOMAIN"));

// Ids and names of interop/seed.yaml: the static run owns slice 2, the
// refresh run slice 3.
const run = mode === "static" ? "2" : "3";
const user = (n) => `4876543000000${run}0000${n}`;
const territory = (n) => `48765430000005${run}000${n}`;
const ids = {
  caller: "4876543000000100001",
  inactive: "4876543000000100002",
  org: "4876543000000500001",
  unknownTerritory: "4876543000000599999",
  M: user(1), X: user(2), Y: user(3), Z: user(4),
  P: territory(1), Q: territory(2), R: territory(3), S: territory(4), T: territory(5),
};
const names = { M: `M${run}`, X: `X${run}`, Y: `Y${run}`, Z: `Z${run}`, P: `P${run}`, Q: `Q${run}`, org: "Organization" };
const theOrg = { id: "4876543000000000001", company: "Interop Test Org", zgid: "87654321", email: "ada@interop.example", timeZone: "Europe/Berlin" };

// Zoho's messages, as api/openapi.yaml's examples give them.
const msg = {
  userRemoved: "Given User Removed from the mentioned territory Successfully",
  territoryRemoved: "Territory removed from the user successfully",
  manager: "This user cannot be removed as the user is a manager of the mentioned Territory.",
  notMember: "The user is not a member of this territory.",
  orgTerritory: "Organization Territory cannot be removed from the user",
  notLinked: "The territory ID is not linked with the specified user",
  notAllowed: "You cannot update the territories you belong to",
  invalidTerritory: "Invalid Territory Id",
  userInactive: "The user ID given has already been deleted or is not associated with Zoho CRM",
  userAdded: "Given User added to the mentioned territory Successfully",
  territoryAdded: "Territory associated to the user successfully",
  userExists: "Given user id already exists for that record",
  territoryExists: "Territory already associated with the user",
  notAllowedToAdd: "Logged in user can't update their territories",
};

// ---- the recording relay (relay.mjs) ---------------------------------------

const tokenReplies = []; // access tokens the token endpoint issued
const tokenCalls = []; // "Content-Type -> reply" of each token request, for failures

const { relay, base, exchanges } = await startRelay(sandbox, (req, upRes, body) => {
  if (!req.url.startsWith("/oauth/v2/token")) return;
  tokenCalls.push(`POST with Content-Type ${JSON.stringify(req.headers["content-type"] ?? "")} -> ${upRes.statusCode} ${body.toString("utf8").slice(0, 200).replace(/"access_token":"[^"]*"/, '"access_token":"..."')}`);
  try {
    const t = JSON.parse(body.toString("utf8"));
    if (t.access_token) tokenReplies.push(t);
  } catch {
    // not JSON: the SDK reports it
  }
});

// ---- the SDK, with its default initialisation -----------------------------

const ownWorkDir = !process.env.NODE_SDK_WORKDIR;
const workDir = process.env.NODE_SDK_WORKDIR || mkdtempSync(join(tmpdir(), "zoho-sdk-"));
const tokenStore = join(workDir, "sdk_tokens.txt");

let failures = 0;
let checks = 0;
const fail = (what) => {
  failures++;
  console.log(`FAIL  ${who}: ${what}`);
};
const pass = (what) => console.log(`ok    ${who}: ${what}`);


// No findUser(false): the SDK names its user as it starts, as it does for
// every team that uses it.
let builder = new Z.OAuthBuilder();
if (mode === "static") {
  builder = builder.accessToken(env("ZOHO_ACCESS_TOKEN"));
} else {
  builder = builder.clientId(env("ZOHO_CLIENT_ID")).clientSecret(env("ZOHO_CLIENT_SECRET")).refreshToken(env("ZOHO_REFRESH_TOKEN"));
}
try {
  // The accounts URL is the full token endpoint: the SDK posts to it as is.
  await (await new Z.InitializeBuilder())
    .environment(new Z.Environment(base, base + "/oauth/v2/token", base))
    .token(builder.build())
    .store(new Z.FileStore(tokenStore))
    .SDKConfig(new Z.SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build())
    .resourcePath(workDir)
    .logger(new Z.LogBuilder().level(Z.Levels.INFO).filePath(join(workDir, "sdk.log")).build())
    .initialize();
} catch (err) {
  fail(`SDK initialization: ${describe(err)}`);
  for (const c of tokenCalls) console.log(`      token endpoint: ${c}`);
  await finish();
}

const TU = Z.TerritoryUsers;
const UT = Z.UsersTerritories;
const territoryUsers = new TU.TerritoryUsersOperations();
const usersTerritories = (userID) => new UT.UsersTerritoriesOperations(BigInt(userID));

async function params(param, list) {
  // One add per value: the SDK joins repeated values of a parameter with ",".
  const pm = new Z.ParameterMap();
  for (const v of list) await pm.add(param, v);
  return pm;
}

const value = (choice) => (choice && typeof choice.getValue === "function" ? choice.getValue() : choice);
const str = (v) => (v === null || v === undefined ? v : String(v));

// check runs one SDK call and compares what the SDK made of the answer with
// want; want.status is the HTTP status, and then one of:
//   items: [{ok: true, id, message} | {ok: false, code, message}]   an envelope (ActionWrapper)
//   error: {code, message, details}                                 one APIException
//   read:  {wrapper: [module, ...], verify(obj) -> [problems]}      a ResponseWrapper
//   (none)                                                          no content (204)
// and optionally request(exchange) -> [problems] about what was sent.
async function check(name, call, want) {
  checks++;
  const before = exchanges.length;
  let resp;
  try {
    resp = await call();
  } catch (err) {
    fail(`${name}: the SDK threw ${describe(err)}`);
    return;
  }
  const mine = exchanges.slice(before);
  const sent = mine.map((x) => `${x.method} ${x.url}`).join(", ") || "(nothing reached the sandbox)";
  const problems = [];
  if (!resp) {
    fail(`${name}: ${sent}: the SDK returned no response`);
    return;
  }
  if (resp.getStatusCode() !== want.status) problems.push(`HTTP ${resp.getStatusCode()}, want ${want.status}`);
  const obj = resp.getObject();
  const modules = want.modules ?? [];
  const is = (o, cls) => modules.some((m) => m[cls] && o instanceof m[cls]);
  const parsedAs = obj ? ` (${className(obj)})` : "";
  if (want.items) {
    if (!is(obj, "ActionWrapper")) {
      problems.push(`object is ${obj?.constructor?.name ?? obj}, want an ActionWrapper`);
    } else {
      const items = (want.key === "users" ? obj.getUsers() : obj.getTerritories()) ?? [];
      if (items.length !== want.items.length) problems.push(`${items.length} items, want ${want.items.length}`);
      want.items.forEach((w, i) => {
        const it = items[i];
        if (!it) return;
        const where = `item ${i}`;
        if (w.ok) {
          if (!is(it, "SuccessResponse")) problems.push(`${where} is ${it.constructor.name}, want SuccessResponse`);
          if (value(it.getStatus()) !== "success" || value(it.getCode()) !== "SUCCESS") problems.push(`${where}: status ${value(it.getStatus())} code ${value(it.getCode())}`);
          const got = it.getDetails()?.get("id");
          if (str(got) !== w.id) problems.push(`${where}: details.id ${got}, want ${w.id}`);
          if (it.getMessage() !== w.message) problems.push(`${where}: message ${JSON.stringify(it.getMessage())}`);
        } else {
          if (!is(it, "APIException")) problems.push(`${where} is ${it.constructor.name}, want APIException`);
          if (value(it.getStatus()) !== "error" || value(it.getCode()) !== w.code) problems.push(`${where}: status ${value(it.getStatus())} code ${value(it.getCode())}, want error ${w.code}`);
          if (it.getMessage() !== w.message) problems.push(`${where}: message ${JSON.stringify(it.getMessage())}, want ${JSON.stringify(w.message)}`);
        }
      });
    }
  } else if (want.error) {
    if (!is(obj, "APIException")) {
      problems.push(`object is ${obj?.constructor?.name ?? obj}, want an APIException`);
    } else {
      if (value(obj.getStatus()) !== "error" || value(obj.getCode()) !== want.error.code) problems.push(`status ${value(obj.getStatus())} code ${value(obj.getCode())}, want error ${want.error.code}`);
      if (value(obj.getMessage()) !== want.error.message) problems.push(`message ${JSON.stringify(value(obj.getMessage()))}`);
      for (const [k, v] of Object.entries(want.error.details ?? {})) {
        const got = obj.getDetails()?.get(k);
        if (got !== v) problems.push(`details.${k} ${JSON.stringify(got)}, want ${JSON.stringify(v)}`);
      }
    }
  } else if (want.read) {
    if (!is(obj, "ResponseWrapper")) {
      problems.push(`object is ${obj?.constructor?.name ?? obj}, want a ResponseWrapper`);
    } else {
      problems.push(...want.read(obj));
    }
  } else if (obj !== null && obj !== undefined) {
    problems.push(`object is ${obj?.constructor?.name}, want none (no content)`);
  }
  if (want.request) problems.push(...want.request(mine[mine.length - 1]));
  if (problems.length) fail(`${name}: ${sent}: ${problems.join("; ")}`);
  else pass(`${name}: ${sent} -> ${resp.getStatusCode()}${parsedAs}`);
}

// className names an SDK object's class with its package, such as
// Users.ActionWrapper.
function className(o) {
  const c = o?.constructor?.name;
  for (const m of ["Org", "Users", "Territories", "TerritoryUsers", "UsersTerritories"]) {
    if (c && Z[m][c] && o instanceof Z[m][c]) return `${m}.${c}`;
  }
  return c ?? String(o);
}

const ok = (id, message) => ({ ok: true, id, message });
const err = (code, message) => ({ ok: false, code, message });

// records checks a list of records: their ids in order, and more per record.
function records(list, wantIDs, each) {
  const problems = [];
  const got = (list ?? []).map((r) => str(r.getId()));
  if (got.join() !== wantIDs.join()) problems.push(`ids ${got.join(",") || "(none)"}, want ${wantIDs.join(",")}`);
  if (each) for (const r of list ?? []) problems.push(...each(r));
  return problems;
}

// A user's territory as the SDK reads it: its name, its manager's id and
// name (Manager.Name), its parent's (Reporting_To.Name).
function userTerritory(tr, want) {
  const problems = [];
  const id = str(tr.getId());
  const w = want[id];
  if (!w) return problems;
  if (tr.getName() !== w.name) problems.push(`${id}: Name ${JSON.stringify(tr.getName())}, want ${w.name}`);
  const m = tr.getManager();
  if (w.manager === null) {
    if (m) problems.push(`${id}: a Manager, want none`);
  } else if (!m || str(m.getId()) !== w.manager.id || m.getName() !== w.manager.name) {
    problems.push(`${id}: Manager ${m ? `${m.getId()} ${JSON.stringify(m.getName())}` : "none"}, want ${w.manager.id} ${w.manager.name}`);
  }
  const p = tr.getReportingTo();
  if (w.parent === null) {
    if (p) problems.push(`${id}: a Reporting_To, want none (the default territory)`);
  } else if (!p || str(p.getId()) !== w.parent.id || p.getName() !== w.parent.name) {
    problems.push(`${id}: Reporting_To ${p ? `${p.getId()} ${JSON.stringify(p.getName())}` : "none"}, want ${w.parent.id} ${w.parent.name}`);
  }
  return problems;
}

const orgRef = { id: ids.org, name: names.org };
const territoriesOf = {
  [ids.P]: { name: names.P, manager: { id: ids.M, name: names.M }, parent: orgRef },
  [ids.Q]: { name: names.Q, manager: null, parent: orgRef },
  [ids.org]: { name: names.org, manager: { id: ids.caller, name: "Ada Admin" }, parent: null },
};

// The bodies of the adds go as the Node and TypeScript SDKs send them: ids
// as strings, no Content-Type.
const sentAsSDKs = (body) => (x) => {
  const problems = [];
  if (!x) return ["nothing was sent"];
  if (header(x.reqHeaders, "content-type") !== undefined) problems.push(`Content-Type ${JSON.stringify(header(x.reqHeaders, "content-type"))} sent, want none`);
  if (body !== undefined && x.reqBody !== body) problems.push(`body ${x.reqBody}, want ${body}`);
  return problems;
};

const usersOfTerritory = (tid, wantIDs) => ({
  status: wantIDs.length ? 200 : 204, modules: [TU],
  ...(wantIDs.length ? { read: (o) => records(o.getUsers(), wantIDs) } : {}),
});
const territoriesOfUser = (uid, wantIDs) => ({
  status: wantIDs.length ? 200 : 204, modules: [UT],
  ...(wantIDs.length ? { read: (o) => records(o.getTerritories(), wantIDs, (tr) => userTerritory(tr, territoriesOf)) } : {}),
});

// ---- 1. the organization, and what initialising did -----------------------

await check("OrgOperations.getOrganization", () => new Z.Org.OrgOperations().getOrganization(), {
  status: 200, modules: [Z.Org],
  read: (o) => {
    const orgs = o.getOrg() ?? [];
    if (orgs.length !== 1) return [`${orgs.length} orgs, want 1`];
    const g = orgs[0];
    const problems = [];
    const want = [["id", str(g.getId()), theOrg.id], ["company_name", g.getCompanyName(), theOrg.company], ["zgid", g.getZgid(), theOrg.zgid],
      ["primary_email", g.getPrimaryEmail(), theOrg.email], ["time_zone", g.getTimeZone(), theOrg.timeZone],
      ["license_details.paid_type", g.getLicenseDetails()?.getPaidType(), "enterprise"], ["type", value(g.getType()), "production"]];
    for (const [k, got, w] of want) if (got !== w) problems.push(`${k} ${JSON.stringify(got)}, want ${JSON.stringify(w)}`);
    return problems;
  },
});
{
  // The SDK's first call authenticated, and named its user first: GET
  // users?type=CurrentUser (for the e-mail address), then GET org (for the
  // zgid), both answered 200; it keeps "<e-mail>:<zgid>" with its token.
  checks++;
  const first = exchanges.slice(0, 2).map((x) => `${x.method} ${x.url.split("?")[0]}?${new URLSearchParams(x.url.split("?")[1] ?? "").get("type") ?? ""} -> ${x.status}`);
  const wantFirst = ["GET /crm/v8/users?CurrentUser -> 200", "GET /crm/v8/org? -> 200"];
  let stored = "";
  try {
    const [head, ...rows] = readFileSync(tokenStore, "utf8").trim().split("\n");
    const col = head.split(",").findIndex((h) => h === "user_name" || h === "user_mail");
    stored = rows.map((r) => r.split(",")[col]).find((v) => v) ?? "";
  } catch (e) {
    stored = `(no token store: ${e.message})`;
  }
  const wantUser = `${theOrg.email}:${theOrg.zgid}`;
  if (first.join() !== wantFirst.join() || stored !== wantUser) {
    fail(`default initialisation: first calls ${first.join(", ")} (want ${wantFirst.join(", ")}); user kept ${JSON.stringify(stored)}, want ${JSON.stringify(wantUser)}`);
  } else {
    pass(`default initialisation: ${first.join(", ")}; the SDK keeps its user as ${wantUser}`);
  }
}

// ---- 2. the directory ------------------------------------------------------

const usersOps = new Z.Users.UsersOperations();
await check("UsersOperations.getUsers (AllUsers)",
  async () => usersOps.getUsers(await params(Z.Users.GetUsersParam.TYPE, ["AllUsers"])),
  { status: 200, modules: [Z.Users], read: (o) => {
    const users = o.getUsers() ?? [];
    const problems = [];
    if (users.length !== 10) problems.push(`${users.length} users, want the seed's 10`);
    const z = users.find((u) => str(u.getId()) === ids.Z);
    if (!z) return [...problems, `no user ${ids.Z}`];
    if (z.getFullName() !== names.Z || z.getStatus() !== "active" || !z.getRole()?.getName()) problems.push(`user Z: ${z.getFullName()} ${z.getStatus()} role ${z.getRole()?.getName()}`);
    if (o.getInfo()?.getMoreRecords() !== false) problems.push("info.more_records is not false");
    return problems;
  } });
await check("UsersOperations.getUser", () => usersOps.getUser(BigInt(ids.X)),
  { status: 200, modules: [Z.Users], read: (o) => records(o.getUsers(), [ids.X], (u) => (u.getFullName() === names.X ? [] : [`full_name ${u.getFullName()}`])) });
const territoriesOps = new Z.Territories.TerritoriesOperations();
await check("TerritoriesOperations.getTerritories", () => territoriesOps.getTerritories(),
  { status: 200, modules: [Z.Territories], read: (o) => {
    const ts = o.getTerritories() ?? [];
    const p = ts.find((t) => str(t.getId()) === ids.P);
    if (ts.length !== 11 || !p) return [`${ts.length} territories, want the seed's 11 with ${ids.P}`];
    return p.getManager()?.getName() === names.M && p.getReportingTo()?.getName() === names.org ? [] : [`${names.P}: manager ${p.getManager()?.getName()}, reporting_to ${p.getReportingTo()?.getName()}`];
  } });
await check("TerritoriesOperations.getTerritory", () => territoriesOps.getTerritory(BigInt(ids.P)),
  { status: 200, modules: [Z.Territories], read: (o) => records(o.getTerritories(), [ids.P], (t) => (t.getName() === names.P && str(t.getManager()?.getId()) === ids.M ? [] : [`${t.getName()} manager ${t.getManager()?.getId()}`])) });

// ---- 3. the memberships ----------------------------------------------------

await check("TerritoryUsersOperations.getTerritoryUsers", () => territoryUsers.getTerritoryUsers(BigInt(ids.P)), usersOfTerritory(ids.P, [ids.M, ids.X, ids.Y]));
await check("TerritoryUsersOperations.getTerritoryUser", () => territoryUsers.getTerritoryUser(BigInt(ids.X), BigInt(ids.P)), usersOfTerritory(ids.P, [ids.X]));
await check("UsersTerritoriesOperations.getTerritoriesOfUser (Manager.Name, Reporting_To.Name)", () => usersTerritories(ids.X).getTerritoriesOfUser(), territoriesOfUser(ids.X, [ids.P, ids.Q]));
await check("UsersTerritoriesOperations.getTerritoryOfUser", () => usersTerritories(ids.X).getTerritoryOfUser(BigInt(ids.P)), territoriesOfUser(ids.X, [ids.P]));
await check("UsersTerritoriesOperations.getTerritoriesOfUser (the default territory)", () => usersTerritories(ids.Z).getTerritoriesOfUser(), territoriesOfUser(ids.Z, [ids.org, ids.R, ids.S, ids.T]));

// ---- 4. the removals, each read back ----------------------------------------

// The SDK parses the territory users' `users` envelope into the Users
// package's classes (the Node SDK lists users/action_wrapper first in its
// action handler), or its own (the TypeScript SDK); either is accepted.
const tuItems = { key: "users", modules: [TU, Z.Users] };
const utItems = { key: "territories", modules: [UT] };

await check("TerritoryUsersOperations.deassociateTerritoryUsers",
  async () => territoryUsers.deassociateTerritoryUsers(BigInt(ids.P), await params(TU.DeassociateTerritoryUsersParam.IDS, [ids.X, ids.Y, ids.M])),
  { status: 207, ...tuItems, items: [ok(ids.X, msg.userRemoved), ok(ids.Y, msg.userRemoved), err("INVALID_DATA", msg.manager)] });
await check("read back: getTerritoryUsers", () => territoryUsers.getTerritoryUsers(BigInt(ids.P)), usersOfTerritory(ids.P, [ids.M]));
await check("TerritoryUsersOperations.deassociateTerritoryUsers (again)",
  async () => territoryUsers.deassociateTerritoryUsers(BigInt(ids.P), await params(TU.DeassociateTerritoryUsersParam.IDS, [ids.X, ids.Y])),
  { status: 400, ...tuItems, items: [err("INVALID_DATA", msg.notMember), err("INVALID_DATA", msg.notMember)] });

await check("TerritoryUsersOperations.deassociateTerritoryUser", () => territoryUsers.deassociateTerritoryUser(BigInt(ids.X), BigInt(ids.Q)),
  { status: 200, ...tuItems, items: [ok(ids.X, msg.userRemoved)] });
await check("read back: getTerritoryUser", () => territoryUsers.getTerritoryUser(BigInt(ids.X), BigInt(ids.Q)), usersOfTerritory(ids.Q, []));
await check("TerritoryUsersOperations.deassociateTerritoryUser (again)", () => territoryUsers.deassociateTerritoryUser(BigInt(ids.X), BigInt(ids.Q)),
  { status: 400, ...tuItems, items: [err("INVALID_DATA", msg.notMember)] });
await check("TerritoryUsersOperations.deassociateTerritoryUser (unknown territory)", () => territoryUsers.deassociateTerritoryUser(BigInt(ids.X), BigInt(ids.unknownTerritory)),
  { status: 400, modules: [TU, Z.Users], error: { code: "INVALID_DATA", message: msg.invalidTerritory, details: { resource_path_index: 2 } } });

await check("UsersTerritoriesOperations.removeTerritoriesFromUser",
  async () => usersTerritories(ids.Z).removeTerritoriesFromUser(await params(UT.RemoveTerritoriesFromUserParam.IDS, [ids.R, ids.S, ids.org])),
  { status: 207, ...utItems, items: [ok(ids.R, msg.territoryRemoved), ok(ids.S, msg.territoryRemoved), err("INVALID_DATA", msg.orgTerritory)] });
await check("read back: getTerritoriesOfUser", () => usersTerritories(ids.Z).getTerritoriesOfUser(), territoriesOfUser(ids.Z, [ids.org, ids.T]));
await check("UsersTerritoriesOperations.removeTerritoriesFromUser (again)",
  async () => usersTerritories(ids.Z).removeTerritoriesFromUser(await params(UT.RemoveTerritoriesFromUserParam.IDS, [ids.R, ids.S])),
  { status: 400, ...utItems, items: [err("INVALID_DATA", msg.notLinked), err("INVALID_DATA", msg.notLinked)] });
await check("UsersTerritoriesOperations.removeTerritoriesFromUser (inactive user)",
  async () => usersTerritories(ids.inactive).removeTerritoriesFromUser(await params(UT.RemoveTerritoriesFromUserParam.IDS, [ids.T, ids.org])),
  { status: 400, modules: [UT], error: { code: "INVALID_DATA", message: msg.userInactive, details: { owner_status: "inactive" } } });

await check("UsersTerritoriesOperations.removeTerritoryFromUser", () => usersTerritories(ids.Z).removeTerritoryFromUser(BigInt(ids.T)),
  { status: 200, ...utItems, items: [ok(ids.T, msg.territoryRemoved)] });
await check("read back: getTerritoryOfUser", () => usersTerritories(ids.Z).getTerritoryOfUser(BigInt(ids.T)), territoriesOfUser(ids.Z, []));
await check("UsersTerritoriesOperations.removeTerritoryFromUser (again)", () => usersTerritories(ids.Z).removeTerritoryFromUser(BigInt(ids.T)),
  { status: 400, ...utItems, items: [err("INVALID_DATA", msg.notLinked)] });
await check("UsersTerritoriesOperations.removeTerritoryFromUser (the caller's own)", () => usersTerritories(ids.caller).removeTerritoryFromUser(BigInt(ids.org)),
  { status: 400, modules: [UT], error: { code: "NOT_ALLOWED", message: msg.notAllowed } });

// ---- 5. the adds, which put everything back, each read back ---------------

const usersBody = (list) => {
  const w = new TU.BodyWrapper();
  w.setUsers(list.map((id) => {
    const u = new Z.Users.Users();
    u.setId(BigInt(id));
    return u;
  }));
  return w;
};
const territoriesBody = (list) => {
  const w = new UT.BodyWrapper();
  w.setTerritories(list.map((id) => {
    const t = new UT.Territory();
    t.setId(BigInt(id));
    return t;
  }));
  return w;
};
const idsBody = (key, list) => JSON.stringify({ [key]: list.map((id) => ({ id })) });

await check("TerritoryUsersOperations.updateTerritoryUsers", () => territoryUsers.updateTerritoryUsers(BigInt(ids.P), usersBody([ids.X, ids.Y])),
  { status: 200, ...tuItems, items: [ok(ids.X, msg.userAdded), ok(ids.Y, msg.userAdded)], request: sentAsSDKs(idsBody("users", [ids.X, ids.Y])) });
await check("read back: getTerritoryUsers", () => territoryUsers.getTerritoryUsers(BigInt(ids.P)), usersOfTerritory(ids.P, [ids.M, ids.X, ids.Y]));
await check("TerritoryUsersOperations.updateTerritoryUsers (again)", () => territoryUsers.updateTerritoryUsers(BigInt(ids.P), usersBody([ids.X])),
  { status: 400, ...tuItems, items: [err("DUPLICATE_DATA", msg.userExists)], request: sentAsSDKs(idsBody("users", [ids.X])) });

await check("TerritoryUsersOperations.updateTerritoryUser", () => territoryUsers.updateTerritoryUser(BigInt(ids.X), BigInt(ids.Q)),
  { status: 200, ...tuItems, items: [ok(ids.X, msg.userAdded)], request: sentAsSDKs("") });
await check("read back: getTerritoryUser", () => territoryUsers.getTerritoryUser(BigInt(ids.X), BigInt(ids.Q)), usersOfTerritory(ids.Q, [ids.X]));
await check("TerritoryUsersOperations.updateTerritoryUser (again)", () => territoryUsers.updateTerritoryUser(BigInt(ids.X), BigInt(ids.Q)),
  { status: 400, ...tuItems, items: [err("DUPLICATE_DATA", msg.userExists)] });

await check("UsersTerritoriesOperations.associateTerritoriesToUser", () => usersTerritories(ids.Z).associateTerritoriesToUser(territoriesBody([ids.R, ids.S, ids.T])),
  { status: 200, ...utItems, items: [ok(ids.R, msg.territoryAdded), ok(ids.S, msg.territoryAdded), ok(ids.T, msg.territoryAdded)],
    request: sentAsSDKs(idsBody("territories", [ids.R, ids.S, ids.T])) });
await check("read back: getTerritoriesOfUser", () => usersTerritories(ids.Z).getTerritoriesOfUser(), territoriesOfUser(ids.Z, [ids.org, ids.R, ids.S, ids.T]));
await check("UsersTerritoriesOperations.associateTerritoriesToUser (again)", () => usersTerritories(ids.Z).associateTerritoriesToUser(territoriesBody([ids.R])),
  { status: 400, ...utItems, items: [err("DUPLICATE_DATA", msg.territoryExists)] });
await check("UsersTerritoriesOperations.associateTerritoriesToUser (the caller's own)", () => usersTerritories(ids.caller).associateTerritoriesToUser(territoriesBody([ids.P])),
  { status: 403, modules: [UT], error: { code: "NOT_ALLOWED", message: msg.notAllowedToAdd } });

// ---- 6. the token -------------------------------------------------------------

// Every call carried the token this mode is about.
checks++;
let wantToken = process.env.ZOHO_ACCESS_TOKEN;
if (mode === "refresh") {
  if (tokenReplies.length !== 1) fail(`the SDK asked the token endpoint ${tokenReplies.length} times for a token, want once`);
  wantToken = tokenReplies[0]?.access_token;
  if (wantToken && wantToken === process.env.ZOHO_ACCESS_TOKEN) fail("the token endpoint returned the static token");
} else if (tokenReplies.length !== 0) {
  fail(`the SDK asked the token endpoint ${tokenReplies.length} times, want never`);
}
const badAuth = exchanges.filter((x) => header(x.reqHeaders, "authorization") !== `Zoho-oauthtoken ${wantToken}`);
if (!wantToken || badAuth.length) fail(`${badAuth.length} of ${exchanges.length} calls did not send Authorization: Zoho-oauthtoken <the ${mode} token>`);
else pass(`all ${exchanges.length} calls sent Authorization: Zoho-oauthtoken <the ${mode === "static" ? "static" : "refreshed"} token>`);

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
        creator: { name: "interop/zoho-sdk/run.mjs", version: "2" },
        entries: exchanges.map((x) => ({
          request: {
            method: x.method, url: `${sandbox.origin}${x.url}`, headers: pairs(x.reqHeaders),
            ...(x.reqBody ? { postData: { mimeType: header(x.reqHeaders, "content-type") ?? "", text: x.reqBody } } : {}),
          },
          response: { status: x.status, headers: pairs(x.resHeaders), content: { mimeType: header(x.resHeaders, "content-type") ?? "", text: x.body } },
        })),
      },
    };
    writeFileSync(process.env.NODE_SDK_HAR, JSON.stringify(har, null, 1));
  }
  relay.close();
  if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
  console.log(`${who}: ${pkg} ${sdkVersion}: ${failures === 0 ? `all ${checks} checks passed` : `${failures} of ${checks} checks failed`}, ${exchanges.length} calls`);
  // The SDK's logger keeps a file open; leave without waiting for it.
  process.exit(failures === 0 ? 0 : 1);
}
