// bench.mjs times Zoho's official Node.js SDK for CRM v8 removing one user
// from many territories as the SDK's documentation shows it: one
// removeTerritoriesFromUser call of 100 ids after another, each awaited.
//
// Usage: node interop/node-sdk/bench.mjs USER_ID IDS_FILE
//
// ZOHO_API_DOMAIN and ZOHO_ACCESS_TOKEN point it at the sandbox, as
// `zohoterritory sandbox serve` prints them; IDS_FILE holds one territory
// id a line. NODE_SDK_WORKDIR is a directory for the SDK's token store, log
// and resource files. It prints one line of JSON:
// {"client":"node-sdk","ids":N,"calls":N,"removed":N,"ms":N}, and exits 1
// if an id was not removed.
import * as ZOHOCRMSDK from "@zohocrm/nodejs-sdk-8.0";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [userID, idsFile] = process.argv.slice(2);
const base = process.env.ZOHO_API_DOMAIN;
const workDir = process.env.NODE_SDK_WORKDIR;
if (!userID || !idsFile || !base || !process.env.ZOHO_ACCESS_TOKEN || !workDir) {
  console.error("usage: ZOHO_API_DOMAIN=... ZOHO_ACCESS_TOKEN=... NODE_SDK_WORKDIR=... node interop/node-sdk/bench.mjs USER_ID IDS_FILE");
  process.exit(2);
}
const ids = readFileSync(idsFile, "utf8").split("\n").filter(Boolean);

await (await new ZOHOCRMSDK.InitializeBuilder())
  .environment(new ZOHOCRMSDK.Environment(base, base + "/oauth/v2/token", base))
  .token(new ZOHOCRMSDK.OAuthBuilder().findUser(false).accessToken(process.env.ZOHO_ACCESS_TOKEN).build())
  .store(new ZOHOCRMSDK.FileStore(join(workDir, "sdk_tokens.txt")))
  .SDKConfig(new ZOHOCRMSDK.SDKConfigBuilder().autoRefreshFields(false).pickListValidation(false).build())
  .resourcePath(workDir)
  .logger(new ZOHOCRMSDK.LogBuilder().level(ZOHOCRMSDK.Levels.OFF).build())
  .initialize();

const UT = ZOHOCRMSDK.UsersTerritories;
const ops = new UT.UsersTerritoriesOperations(BigInt(userID));
let calls = 0;
let removed = 0;
const start = process.hrtime.bigint();
for (let i = 0; i < ids.length; i += 100) {
  const pm = new ZOHOCRMSDK.ParameterMap();
  for (const id of ids.slice(i, i + 100)) await pm.add(UT.RemoveTerritoriesFromUserParam.IDS, id);
  const resp = await ops.removeTerritoriesFromUser(pm);
  calls++;
  const obj = resp.getObject();
  if (obj instanceof UT.ActionWrapper) {
    for (const it of obj.getTerritories() ?? []) if (it instanceof UT.SuccessResponse) removed++;
  }
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
console.log(JSON.stringify({ client: "node-sdk", ids: ids.length, calls, removed, ms: Math.round(ms) }));
process.exit(removed === ids.length ? 0 : 1);
