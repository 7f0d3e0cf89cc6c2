// run.mjs points Zoho's official Node.js SDK for CRM v8
// (@zohocrm/nodejs-sdk-8.0, pinned in interop/package.json) at the
// zohoterritory sandbox and runs the four removal operations the sandbox
// serves, checking what the SDK makes of every answer and that the sandbox's
// state changed as documented (a second call for a removed id gets the "not a
// member" / "not linked" error item).
//
// Usage: node interop/node-sdk/run.mjs static|refresh
//
//   static   authenticates with ZOHO_ACCESS_TOKEN
//   refresh  authenticates with ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and
//            ZOHO_REFRESH_TOKEN at the sandbox's /oauth/v2/token
//
// ZOHO_API_DOMAIN is the sandbox's URL, as `zohoterritory sandbox serve`
// prints it; the sandbox must run with interop/seed.yaml, whose two slices
// the two modes split between them (static: slice 2, refresh: slice 3). NODE_SDK_WORKDIR is a directory for the
// SDK's token store, log and resource files (default: a new temporary
// directory, removed afterwards); nothing is written into the repository.
// NODE_SDK_HAR, when set, is where the CRM calls are written as HAR 1.2, as
// the SDK sent them, for `zohoterritory validate --requests`.
//
// The SDK talks to a small recording relay on loopback that passes each
// request and answer on unchanged (but for the Host header); it is how the
// requests the SDK really sent (path spelling, query string, headers) are
// seen and checked.
//
// Exit status 0 when every check passed, 1 otherwise.
import * as ZOHOCRMSDK from "@zohocrm/nodejs-sdk-8.0";
import http from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const mode = process.argv[2];
if (mode !== "static" && mode !== "refresh") {
  console.error("usage: node interop/node-sdk/run.mjs static|refresh");
  process.exit(2);
}
const env = (name) => {
  const v = process.env[name];
  if (!v) {
    console.error(`run.mjs: ${name} is not set`);
    process.exit(2);
  }
  return v;
};
const sandbox = new URL(env("ZOHO_API_DOMAIN"));

// Ids of interop/seed.yaml: the static run owns slice 2, the refresh run
// slice 3.
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
};

// ---- the recording relay -------------------------------------------------

// header returns a header's value from Node's raw [name, value, ...] list.
const header = (raw, name) => {
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i].toLowerCase() === name) return raw[i + 1];
  return undefined;
};

const exchanges = []; // CRM calls, in order
const tokenReplies = []; // access tokens the token endpoint issued
const tokenCalls = []; // "Content-Type -> reply" of each token request, for failures

const relay = http.createServer((req, res) => {
  const reqChunks = [];
  req.on("data", (c) => reqChunks.push(c));
  req.on("end", () => {
    const headers = { ...req.headers, host: sandbox.host };
    const up = http.request(
      { host: sandbox.hostname, port: sandbox.port, method: req.method, path: req.url, headers },
      (upRes) => {
        const chunks = [];
        upRes.on("data", (c) => chunks.push(c));
        upRes.on("end", () => {
          const body = Buffer.concat(chunks);
          if (req.url.startsWith("/crm/")) {
            exchanges.push({ method: req.method, url: req.url, reqHeaders: req.rawHeaders, status: upRes.statusCode, resHeaders: upRes.rawHeaders, body: body.toString("utf8") });
          } else if (req.url.startsWith("/oauth/v2/token")) {
            tokenCalls.push(`POST with Content-Type ${JSON.stringify(req.headers["content-type"] ?? "")} -> ${upRes.statusCode} ${body.toString("utf8").slice(0, 200).replace(/"access_token":"[^"]*"/, '"access_token":"..."')}`);
            try {
              const t = JSON.parse(body.toString("utf8"));
              if (t.access_token) tokenReplies.push(t);
            } catch {
              // not JSON: the SDK reports it
            }
          }
          res.writeHead(upRes.statusCode, upRes.rawHeaders);
          res.end(body);
        });
      },
    );
    up.on("error", (err) => {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`relay: ${err.message}`);
    });
    up.end(Buffer.concat(reqChunks));
  });
});
await new Promise((resolve) => relay.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${relay.address().port}`;

// ---- the SDK -----------------------------------------------------------

const ownWorkDir = !process.env.NODE_SDK_WORKDIR;
const workDir = process.env.NODE_SDK_WORKDIR || mkdtempSync(join(tmpdir(), "zoho-node-sdk-"));

let failures = 0;
const fail = (what) => {
  failures++;
  console.log(`FAIL  ${what}`);
};

let builder = new ZOHOCRMSDK.OAuthBuilder().findUser(false);
if (mode === "static") {
  builder = builder.accessToken(env("ZOHO_ACCESS_TOKEN"));
} else {
  builder = builder
    .clientId(env("ZOHO_CLIENT_ID"))
    .clientSecret(env("ZOHO_CLIENT_SECRET"))
    .refreshToken(env("ZOHO_REFRESH_TOKEN"));
}
try {
  // The accounts URL is the full token endpoint: the SDK posts to it as is.
  await (await new ZOHOCRMSDK.InitializeBuilder())
    .environment(new ZOHOCRMSDK.Environment(base, base + "/oauth/v2/token", base))
    .token(builder.build())
    .store(new ZOHOCRMSDK.FileStore(join(workDir, "sdk_tokens.txt")))
    .SDKConfig(new ZOHOCRMSDK.SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build())
    .resourcePath(workDir)
    .logger(new ZOHOCRMSDK.LogBuilder().level(ZOHOCRMSDK.Levels.INFO).filePath(join(workDir, "sdk.log")).build())
    .initialize();
} catch (err) {
  fail(`${mode}: SDK initialization: ${describe(err)}`);
  for (const c of tokenCalls) console.log(`      token endpoint: ${c}`);
  await finish();
}

const TU = ZOHOCRMSDK.TerritoryUsers;
const UT = ZOHOCRMSDK.UsersTerritories;
const territoryUsers = new TU.TerritoryUsersOperations();
const usersTerritories = (userID) => new UT.UsersTerritoriesOperations(BigInt(userID));

async function idsParam(param, list) {
  // One add per id: the SDK joins repeated values of a parameter with ",".
  const pm = new ZOHOCRMSDK.ParameterMap();
  for (const id of list) await pm.add(param, id);
  return pm;
}

function describe(err) {
  if (err && err.code !== undefined) return `${err.code}: ${err.message ?? ""}${err.cause ? ` (${err.cause})` : ""}`;
  return String(err && err.stack ? err.stack : err);
}

const value = (choice) => (choice && typeof choice.getValue === "function" ? choice.getValue() : choice);

// check runs one SDK call and compares the SDK's parsed answer with want:
//   {status, items: [{ok: true, id, message} | {ok: false, code, message}]}  an envelope
//   {status, error: {code, message, details}}                                 a top-level error
async function check(name, call, want) {
  const before = exchanges.length;
  let resp;
  try {
    resp = await call();
  } catch (err) {
    fail(`${name}: the SDK threw ${describe(err)}`);
    return;
  }
  const sent = exchanges.slice(before).map((x) => `${x.method} ${x.url}`).join(", ") || "(nothing reached the sandbox)";
  const problems = [];
  if (resp.getStatusCode() !== want.status) problems.push(`HTTP ${resp.getStatusCode()}, want ${want.status}`);
  const obj = resp.getObject();
  const module = name.startsWith("TerritoryUsers") ? TU : UT;
  // SDK quirk: the `users` envelope of the TerritoryUsers operations is
  // parsed into the Users package's classes (its action handler lists
  // users/action_wrapper before territory_users/action_wrapper, and both read
  // the key `users`), so accept those beside the TerritoryUsers ones.
  const family = module === TU ? [TU, ZOHOCRMSDK.Users] : [UT];
  const is = (o, cls) => family.some((m) => o instanceof m[cls]);
  let parsedAs = "";
  if (want.items) {
    if (!is(obj, "ActionWrapper")) {
      problems.push(`object is ${obj?.constructor?.name ?? obj}, want an ActionWrapper`);
    } else {
      parsedAs = obj instanceof ZOHOCRMSDK.Users.ActionWrapper ? " (parsed as Users.ActionWrapper)" : "";
      const items = (module === TU ? obj.getUsers() : obj.getTerritories()) ?? [];
      if (items.length !== want.items.length) problems.push(`${items.length} items, want ${want.items.length}`);
      want.items.forEach((w, i) => {
        const it = items[i];
        if (!it) return;
        const where = `item ${i}`;
        if (w.ok) {
          if (!is(it, "SuccessResponse")) problems.push(`${where} is ${it.constructor.name}, want SuccessResponse`);
          if (value(it.getStatus()) !== "success" || value(it.getCode()) !== "SUCCESS") problems.push(`${where}: status ${value(it.getStatus())} code ${value(it.getCode())}`);
          const got = it.getDetails()?.get("id");
          if (got !== BigInt(w.id)) problems.push(`${where}: details.id ${got}, want ${w.id}`);
          if (it.getMessage() !== w.message) problems.push(`${where}: message ${JSON.stringify(it.getMessage())}`);
        } else {
          if (!is(it, "APIException")) problems.push(`${where} is ${it.constructor.name}, want APIException`);
          if (value(it.getStatus()) !== "error" || value(it.getCode()) !== w.code) problems.push(`${where}: status ${value(it.getStatus())} code ${value(it.getCode())}, want error ${w.code}`);
          if (it.getMessage() !== w.message) problems.push(`${where}: message ${JSON.stringify(it.getMessage())}, want ${JSON.stringify(w.message)}`);
        }
      });
    }
  } else {
    if (!is(obj, "APIException")) {
      problems.push(`object is ${obj?.constructor?.name ?? obj}, want an APIException`);
    } else {
      if (value(obj.getStatus()) !== "error" || value(obj.getCode()) !== want.error.code) problems.push(`status ${value(obj.getStatus())} code ${value(obj.getCode())}, want error ${want.error.code}`);
      if (obj.getMessage() !== want.error.message) problems.push(`message ${JSON.stringify(obj.getMessage())}`);
      for (const [k, v] of Object.entries(want.error.details ?? {})) {
        const got = obj.getDetails()?.get(k);
        if (got !== v) problems.push(`details.${k} ${JSON.stringify(got)}, want ${JSON.stringify(v)}`);
      }
    }
  }
  if (problems.length) fail(`${mode}: ${name}: ${sent}: ${problems.join("; ")}`);
  else console.log(`ok    ${mode}: ${name}: ${sent} -> ${resp.getStatusCode()}${parsedAs}`);
}

const ok = (id, message) => ({ ok: true, id, message });
const err = (code, message) => ({ ok: false, code, message });

// Disassociate users from a territory, in bulk: X and Y go, the manager M
// stays; asked again, X and Y are no longer members.
await check("TerritoryUsersOperations.deassociateTerritoryUsers",
  async () => territoryUsers.deassociateTerritoryUsers(BigInt(ids.P), await idsParam(TU.DeassociateTerritoryUsersParam.IDS, [ids.X, ids.Y, ids.M])),
  { status: 207, items: [ok(ids.X, msg.userRemoved), ok(ids.Y, msg.userRemoved), err("INVALID_DATA", msg.manager)] });
await check("TerritoryUsersOperations.deassociateTerritoryUsers (again)",
  async () => territoryUsers.deassociateTerritoryUsers(BigInt(ids.P), await idsParam(TU.DeassociateTerritoryUsersParam.IDS, [ids.X, ids.Y])),
  { status: 400, items: [err("INVALID_DATA", msg.notMember), err("INVALID_DATA", msg.notMember)] });

// One user from one territory.
await check("TerritoryUsersOperations.deassociateTerritoryUser",
  () => territoryUsers.deassociateTerritoryUser(BigInt(ids.X), BigInt(ids.Q)),
  { status: 200, items: [ok(ids.X, msg.userRemoved)] });
await check("TerritoryUsersOperations.deassociateTerritoryUser (again)",
  () => territoryUsers.deassociateTerritoryUser(BigInt(ids.X), BigInt(ids.Q)),
  { status: 400, items: [err("INVALID_DATA", msg.notMember)] });
await check("TerritoryUsersOperations.deassociateTerritoryUser (unknown territory)",
  () => territoryUsers.deassociateTerritoryUser(BigInt(ids.X), BigInt(ids.unknownTerritory)),
  { status: 400, error: { code: "INVALID_DATA", message: msg.invalidTerritory, details: { resource_path_index: 2 } } });

// Territories from a user, in bulk: R and S go, the default territory stays;
// asked again, R and S are no longer linked.
await check("UsersTerritoriesOperations.removeTerritoriesFromUser",
  async () => usersTerritories(ids.Z).removeTerritoriesFromUser(await idsParam(UT.RemoveTerritoriesFromUserParam.IDS, [ids.R, ids.S, ids.org])),
  { status: 207, items: [ok(ids.R, msg.territoryRemoved), ok(ids.S, msg.territoryRemoved), err("INVALID_DATA", msg.orgTerritory)] });
await check("UsersTerritoriesOperations.removeTerritoriesFromUser (again)",
  async () => usersTerritories(ids.Z).removeTerritoriesFromUser(await idsParam(UT.RemoveTerritoriesFromUserParam.IDS, [ids.R, ids.S])),
  { status: 400, items: [err("INVALID_DATA", msg.notLinked), err("INVALID_DATA", msg.notLinked)] });
await check("UsersTerritoriesOperations.removeTerritoriesFromUser (inactive user)",
  async () => usersTerritories(ids.inactive).removeTerritoriesFromUser(await idsParam(UT.RemoveTerritoriesFromUserParam.IDS, [ids.T, ids.org])),
  { status: 400, error: { code: "INVALID_DATA", message: msg.userInactive, details: { owner_status: "inactive" } } });

// One territory from a user.
await check("UsersTerritoriesOperations.removeTerritoryFromUser",
  () => usersTerritories(ids.Z).removeTerritoryFromUser(BigInt(ids.T)),
  { status: 200, items: [ok(ids.T, msg.territoryRemoved)] });
await check("UsersTerritoriesOperations.removeTerritoryFromUser (again)",
  () => usersTerritories(ids.Z).removeTerritoryFromUser(BigInt(ids.T)),
  { status: 400, items: [err("INVALID_DATA", msg.notLinked)] });
await check("UsersTerritoriesOperations.removeTerritoryFromUser (the caller's own)",
  () => usersTerritories(ids.caller).removeTerritoryFromUser(BigInt(ids.org)),
  { status: 400, error: { code: "NOT_ALLOWED", message: msg.notAllowed } });

// Every call carried the token this mode is about.
let wantToken = process.env.ZOHO_ACCESS_TOKEN;
if (mode === "refresh") {
  if (tokenReplies.length !== 1) fail(`refresh: the SDK asked the token endpoint ${tokenReplies.length} times for a token, want once`);
  wantToken = tokenReplies[0]?.access_token;
  if (wantToken && wantToken === process.env.ZOHO_ACCESS_TOKEN) fail("refresh: the token endpoint returned the static token");
} else if (tokenReplies.length !== 0) {
  fail(`static: the SDK asked the token endpoint ${tokenReplies.length} times, want never`);
}
const badAuth = exchanges.filter((x) => header(x.reqHeaders, "authorization") !== `Zoho-oauthtoken ${wantToken}`);
if (!wantToken || badAuth.length) fail(`${mode}: ${badAuth.length} of ${exchanges.length} calls did not send Authorization: Zoho-oauthtoken <the ${mode} token>`);
else console.log(`ok    ${mode}: all ${exchanges.length} calls sent Authorization: Zoho-oauthtoken <the ${mode === "static" ? "static" : "refreshed"} token>`);

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
        creator: { name: "interop/node-sdk/run.mjs", version: "1" },
        entries: exchanges.map((x) => ({
          request: { method: x.method, url: `${sandbox.origin}${x.url}`, headers: pairs(x.reqHeaders) },
          response: { status: x.status, headers: pairs(x.resHeaders), content: { mimeType: header(x.resHeaders, "content-type") ?? "", text: x.body } },
        })),
      },
    };
    writeFileSync(process.env.NODE_SDK_HAR, JSON.stringify(har, null, 1));
  }
  relay.close();
  if (ownWorkDir) rmSync(workDir, { recursive: true, force: true });
  console.log(`${mode}: ${failures === 0 ? "all checks passed" : `${failures} checks failed`}`);
  // The SDK's logger keeps a file open; leave without waiting for it.
  process.exit(failures === 0 ? 0 : 1);
}
