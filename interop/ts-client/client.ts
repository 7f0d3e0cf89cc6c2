// client.ts calls every operation of api/openapi.yaml through a TypeScript
// client generated from it: the types openapi-typescript makes
// (../ts/zoho.d.ts) with openapi-fetch, the runtime client made for them,
// against `zohoterritory-contract sandbox serve --seed interop/seed.yaml`.
//
// Usage (interop/ts-client.sh runs it): node build/ts-client/client.js static|refresh
//
//   static   uses ZOHO_ACCESS_TOKEN, and the org's slice 2
//   refresh  gets an access token from ZOHO_ACCOUNTS_URL's token endpoint
//            with ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN
//            (the flow is not part of the spec, so it is a plain fetch),
//            and uses the org's slice 3
//
// Each removal's and add's items are told apart by `status`, as the spec's
// discriminator says, and the org's state is read back with the spec's
// read operations after every removal and add; the adds put back what the
// removals took. Exit status 0 when every check passed.

import createClient from "openapi-fetch";
import type { components, paths } from "../ts/zoho.js";

declare const process: {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  exit(code: number): never;
};

type ResultItem = components["schemas"]["ResultItem"];
type ErrorItem = components["schemas"]["ErrorItem"];

const mode = process.argv[2];
if (mode !== "static" && mode !== "refresh") {
  console.error("usage: node client.js static|refresh");
  process.exit(2);
}
function env(name: string): string {
  const v = process.env[name];
  if (!v) {
    console.error(`client.ts: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

// Ids of interop/seed.yaml, slice 2 or 3: user M manages territory P
// (members X and Y), territory Q has member X, user Z belongs to R, S, T and
// the default territory.
const slice = mode === "static" ? "2" : "3";
const user = (n: number) => `4876543000000${slice}0000${n}`;
const territory = (n: number) => `48765430000005${slice}000${n}`;
const ids = {
  org: "4876543000000500001",
  M: user(1), X: user(2), Y: user(3), Z: user(4),
  P: territory(1), Q: territory(2), R: territory(3), S: territory(4), T: territory(5),
};

async function accessToken(): Promise<string> {
  if (mode === "static") return env("ZOHO_ACCESS_TOKEN");
  const resp = await fetch(`${env("ZOHO_ACCOUNTS_URL")}/oauth/v2/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "refresh_token",
      client_id: env("ZOHO_CLIENT_ID"),
      client_secret: env("ZOHO_CLIENT_SECRET"),
      refresh_token: env("ZOHO_REFRESH_TOKEN"),
    }),
  });
  const body = (await resp.json()) as { access_token?: string; error?: string };
  if (!body.access_token) {
    console.error(`refresh: HTTP ${resp.status}, error ${body.error ?? "(none)"}`);
    process.exit(1);
  }
  return body.access_token;
}

const client = createClient<paths>({
  baseUrl: env("ZOHO_API_DOMAIN"),
  headers: { Authorization: `Zoho-oauthtoken ${await accessToken()}` },
  // ids=1,2,3 with the commas as they are, as Zoho documents the parameter.
  querySerializer: { allowReserved: true },
});
const version = "v8";

let failures = 0;
function check(what: string, ok: boolean, detail: string): void {
  if (ok) {
    console.log(`ok    ${mode}: ${what}`);
  } else {
    failures++;
    console.log(`FAIL  ${mode}: ${what}: ${detail}`);
  }
}

/** split tells success items from error items by `status`. */
function split(items: readonly ResultItem[]): { removed: string[]; failed: ErrorItem[] } {
  const removed: string[] = [];
  const failed: ErrorItem[] = [];
  for (const item of items) {
    if (item.status === "success") removed.push(item.details.id);
    else failed.push(item);
  }
  return { removed, failed };
}

const same = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

async function usersOf(territoryID: string): Promise<string[]> {
  const { data, response } = await client.GET("/crm/{version}/settings/territories/{territory_id}/users", {
    params: { path: { version, territory_id: territoryID }, query: { per_page: 200 } },
  });
  if (response.status === 204) return [];
  if (!data) throw new Error(`listUsersOfTerritory ${territoryID}: HTTP ${response.status}`);
  return data.users.map((u) => u.id);
}

async function territoriesOf(userID: string): Promise<string[]> {
  const { data, response } = await client.GET("/crm/{version}/Users/{user_id}/territories", {
    params: { path: { version, user_id: userID }, query: { per_page: 200 } },
  });
  if (response.status === 204) return [];
  if (!data) throw new Error(`listTerritoriesOfUser ${userID}: HTTP ${response.status}`);
  return data.territories.map((t) => t.id);
}

// The reads.
{
  const members = await usersOf(ids.P);
  check("listUsersOfTerritory P", members.includes(ids.X) && members.includes(ids.Y), `users ${members}`);
  const { data, response } = await client.GET("/crm/{version}/settings/territories/{territory_id}/users/{user_id}", {
    params: { path: { version, territory_id: ids.P, user_id: ids.X } },
  });
  check("getUserOfTerritory P X", response.status === 200 && data?.users[0]?.id === ids.X, `HTTP ${response.status}`);
  const terrs = await territoriesOf(ids.Z);
  check("listTerritoriesOfUser Z", same(terrs, [ids.R, ids.S, ids.T, ids.org]), `territories ${terrs}`);
  const one = await client.GET("/crm/{version}/Users/{user_id}/territories/{territory_id}", {
    params: { path: { version, user_id: ids.Z, territory_id: ids.R } },
  });
  check("getTerritoryOfUser Z R", one.response.status === 200 && one.data?.territories[0]?.id === ids.R, `HTTP ${one.response.status}`);
}

// Users from a territory, in bulk: X and Y go; M, the manager, stays.
{
  const { data, error, response } = await client.DELETE("/crm/{version}/settings/territories/{territory_id}/users", {
    params: { path: { version, territory_id: ids.P }, query: { ids: [ids.X, ids.Y, ids.M].join(",") } },
  });
  const items = data?.users ?? (error && "users" in error ? error.users : []);
  const { removed, failed } = split(items);
  check("removeUsersFromTerritory P [X Y M]", response.status === 207 && same(removed, [ids.X, ids.Y]) && failed.length === 1 && failed[0]?.code === "INVALID_DATA",
    `HTTP ${response.status}, removed ${removed}, failed ${JSON.stringify(failed)}`);
  const left = await usersOf(ids.P);
  check("  state: P keeps M only", !left.includes(ids.X) && !left.includes(ids.Y) && left.includes(ids.M), `users ${left}`);
}

// One user from one territory.
{
  const { data, response } = await client.DELETE("/crm/{version}/settings/territories/{territory_id}/users/{user_id}", {
    params: { path: { version, territory_id: ids.Q, user_id: ids.X } },
  });
  const { removed } = split(data?.users ?? []);
  check("removeUserFromTerritory Q X", response.status === 200 && same(removed, [ids.X]), `HTTP ${response.status}, removed ${removed}`);
  const left = await usersOf(ids.Q);
  check("  state: X left Q", !left.includes(ids.X), `users ${left}`);
  const again = await client.DELETE("/crm/{version}/settings/territories/{territory_id}/users/{user_id}", {
    params: { path: { version, territory_id: ids.Q, user_id: ids.X } },
  });
  const items = again.error && "users" in again.error ? again.error.users : [];
  const { failed } = split(items);
  check("removeUserFromTerritory Q X (again): an error item", again.response.status === 400 && failed.length === 1,
    `HTTP ${again.response.status}, ${JSON.stringify(again.error)}`);
}

// Territories from a user, in bulk: R and S go; the default territory stays.
{
  const { data, error, response } = await client.DELETE("/crm/{version}/Users/{user_id}/territories", {
    params: { path: { version, user_id: ids.Z }, query: { ids: [ids.R, ids.S, ids.org].join(",") } },
  });
  const items = data?.territories ?? (error && "territories" in error ? error.territories : []);
  const { removed, failed } = split(items);
  check("removeTerritoriesFromUser Z [R S org]", response.status === 207 && same(removed, [ids.R, ids.S]) && failed.length === 1,
    `HTTP ${response.status}, removed ${removed}, failed ${JSON.stringify(failed)}`);
  const left = await territoriesOf(ids.Z);
  check("  state: Z keeps T and the default territory", same(left, [ids.T, ids.org]), `territories ${left}`);
}

// One territory from a user.
{
  const { data, response } = await client.DELETE("/crm/{version}/Users/{user_id}/territories/{territory_id}", {
    params: { path: { version, user_id: ids.Z, territory_id: ids.T } },
  });
  const { removed } = split(data?.territories ?? []);
  check("removeTerritoryFromUser Z T", response.status === 200 && same(removed, [ids.T]), `HTTP ${response.status}, removed ${removed}`);
  const left = await territoriesOf(ids.Z);
  check("  state: Z keeps the default territory only", same(left, [ids.org]), `territories ${left}`);
}

// The adds put back what the removals took. Users into a territory, in
// bulk: X and Y return; M, the manager, is a member already (DUPLICATE_DATA).
{
  const { data, error, response } = await client.PUT("/crm/{version}/settings/territories/{territory_id}/users", {
    params: { path: { version, territory_id: ids.P } },
    body: { users: [{ id: ids.X }, { id: ids.Y }, { id: ids.M }] },
  });
  const items = data?.users ?? (error && "users" in error ? error.users : []);
  const { removed: added, failed } = split(items);
  check("addUsersToTerritory P [X Y M]", response.status === 207 && same(added, [ids.X, ids.Y]) && failed.length === 1 && failed[0]?.code === "DUPLICATE_DATA",
    `HTTP ${response.status}, added ${added}, failed ${JSON.stringify(failed)}`);
  const now = await usersOf(ids.P);
  check("  state: P holds M, X and Y again", same(now, [ids.M, ids.X, ids.Y]), `users ${now}`);
}

// One user into one territory, twice: the second add changes nothing.
{
  const { data, response } = await client.PUT("/crm/{version}/settings/territories/{territory_id}/users/{user_id}", {
    params: { path: { version, territory_id: ids.Q, user_id: ids.X } },
  });
  const { removed: added } = split(data?.users ?? []);
  check("addUserToTerritory Q X", response.status === 200 && same(added, [ids.X]), `HTTP ${response.status}, added ${added}`);
  const again = await client.PUT("/crm/{version}/settings/territories/{territory_id}/users/{user_id}", {
    params: { path: { version, territory_id: ids.Q, user_id: ids.X } },
  });
  const items = again.error && "users" in again.error ? again.error.users : [];
  const { failed } = split(items);
  check("addUserToTerritory Q X (again): DUPLICATE_DATA", again.response.status === 400 && failed.length === 1 && failed[0]?.code === "DUPLICATE_DATA",
    `HTTP ${again.response.status}, ${JSON.stringify(again.error)}`);
  const now = await usersOf(ids.Q);
  check("  state: X is back in Q", now.includes(ids.X), `users ${now}`);
}

// Territories to a user: R, S and T return.
{
  const { data, error, response } = await client.PUT("/crm/{version}/Users/{user_id}/territories", {
    params: { path: { version, user_id: ids.Z } },
    body: { territories: [{ id: ids.R }, { id: ids.S }, { id: ids.T }] },
  });
  const items = data?.territories ?? (error && "territories" in error ? error.territories : []);
  const { removed: added } = split(items);
  check("addTerritoriesToUser Z [R S T]", response.status === 200 && same(added, [ids.R, ids.S, ids.T]), `HTTP ${response.status}, added ${added}`);
  const now = await territoriesOf(ids.Z);
  check("  state: Z holds R, S, T and the default territory again", same(now, [ids.R, ids.S, ids.T, ids.org]), `territories ${now}`);
}

// A request-level error: a territory that does not exist.
{
  const { error, response } = await client.DELETE("/crm/{version}/settings/territories/{territory_id}/users/{user_id}", {
    params: { path: { version, territory_id: "4876543000000599999", user_id: ids.Y } },
  });
  const code = error && "code" in error ? error.code : undefined;
  check("removeUserFromTerritory (unknown territory): one error object", response.status === 400 && code === "INVALID_DATA",
    `HTTP ${response.status}, ${JSON.stringify(error)}`);
}

console.log(failures === 0 ? `ok    ${mode}: every operation of api/openapi.yaml` : `FAIL  ${mode}: ${failures} checks failed`);
process.exit(failures === 0 ? 0 : 1);
