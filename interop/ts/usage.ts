// usage.ts shows that the TypeScript types openapi-typescript generates from
// api/openapi.yaml (zoho.d.ts, made by interop/lint.sh, not committed) are
// enough to call both endpoints: it builds typed requests for all sixteen
// operations (four reads of memberships, four removals, three adds, four
// reads of the directory, the read of the organization), ties the nine of
// the territories' lifecycle to their paths and types a create's body with
// nested rule criteria, checks that each of the seven twins (the same
// operation on a user under the other spelling, `users` or `Users`) is the
// same operation as the one it mirrors, and reads every answer the spec
// describes. It is type-checked
// with `tsc --noEmit` and never run; if the spec changes in a way that breaks
// a TypeScript client, this file stops compiling.

import type { components, operations, paths } from "./zoho";

type Schemas = components["schemas"];

export type ResultItem = Schemas["ResultItem"];
export type SuccessItem = Schemas["SuccessItem"];
export type ErrorItem = Schemas["ErrorItem"];
export type ZohoError = Schemas["Error"];
export type UserTerritory = Schemas["UserTerritory"];
export type TerritoryUser = Schemas["TerritoryUser"];
export type NamedRef = Schemas["NamedRef"];
export type User = Schemas["User"];
export type Territory = Schemas["Territory"];
export type PageInfo = Schemas["PageInfo"];
export type Organization = Schemas["Organization"];

export type OperationId = keyof operations;

// ---------------------------------------------------------------------------
// Requests

// Each operation's path template. `satisfies` makes a typo in a template a
// compile error, and PathMatchesOperation below ties each template to the
// operation the spec puts under it.
const templates = {
  listUsersOfTerritory: "/crm/{version}/settings/territories/{territory_id}/users",
  getUserOfTerritory: "/crm/{version}/settings/territories/{territory_id}/users/{user_id}",
  listTerritoriesOfUser: "/crm/{version}/Users/{user_id}/territories",
  getTerritoryOfUser: "/crm/{version}/Users/{user_id}/territories/{territory_id}",
  removeUserFromTerritory: "/crm/{version}/settings/territories/{territory_id}/users/{user_id}",
  removeUsersFromTerritory: "/crm/{version}/settings/territories/{territory_id}/users",
  removeTerritoryFromUser: "/crm/{version}/Users/{user_id}/territories/{territory_id}",
  removeTerritoriesFromUser: "/crm/{version}/Users/{user_id}/territories",
  addUserToTerritory: "/crm/{version}/settings/territories/{territory_id}/users/{user_id}",
  addUsersToTerritory: "/crm/{version}/settings/territories/{territory_id}/users",
  addTerritoriesToUser: "/crm/{version}/Users/{user_id}/territories",
  listUsers: "/crm/{version}/users",
  getUser: "/crm/{version}/users/{user_id}",
  listTerritories: "/crm/{version}/settings/territories",
  getTerritory: "/crm/{version}/settings/territories/{territory_id}",
  createTerritories: "/crm/{version}/settings/territories",
  updateTerritories: "/crm/{version}/settings/territories",
  deleteTerritories: "/crm/{version}/settings/territories",
  updateTerritory: "/crm/{version}/settings/territories/{territory_id}",
  deleteTerritory: "/crm/{version}/settings/territories/{territory_id}",
  transferAndDeleteTerritories: "/crm/{version}/settings/territories/actions/transfer_and_delete",
  transferAndDeleteTerritory: "/crm/{version}/settings/territories/{territory_id}/actions/transfer_and_delete",
  getChildTerritories: "/crm/{version}/settings/territories/{territory_id}/__child_territories",
  getAssociatedUsersCount: "/crm/{version}/settings/territories/actions/associated_users_count",
  getOrganization: "/crm/{version}/org",
  // The twins: the operations on a user under the spelling their canonical
  // operation does not use (Zoho's SDKs send `users`; its pages write
  // `Users` for the removals).
  getTerritoryOfUser_users: "/crm/{version}/users/{user_id}/territories/{territory_id}",
  removeTerritoryFromUser_users: "/crm/{version}/users/{user_id}/territories/{territory_id}",
  listTerritoriesOfUser_users: "/crm/{version}/users/{user_id}/territories",
  removeTerritoriesFromUser_users: "/crm/{version}/users/{user_id}/territories",
  addTerritoriesToUser_users: "/crm/{version}/users/{user_id}/territories",
  listUsers_Users: "/crm/{version}/Users",
  getUser_Users: "/crm/{version}/Users/{user_id}",
} as const satisfies Record<OperationId, keyof paths>;

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type Matches<Op extends OperationId> = Equal<paths[(typeof templates)[Op]]["delete"], operations[Op]>;
type ReadMatches<Op extends OperationId> = Equal<paths[(typeof templates)[Op]]["get"], operations[Op]>;
type AddMatches<Op extends OperationId> = Equal<paths[(typeof templates)[Op]]["put"], operations[Op]>;
type PostMatches<Op extends OperationId> = Equal<paths[(typeof templates)[Op]]["post"], operations[Op]>;
export type PathMatchesOperation = [
  Assert<ReadMatches<"listUsersOfTerritory">>,
  Assert<ReadMatches<"getUserOfTerritory">>,
  Assert<ReadMatches<"listTerritoriesOfUser">>,
  Assert<ReadMatches<"getTerritoryOfUser">>,
  Assert<Matches<"removeUserFromTerritory">>,
  Assert<Matches<"removeUsersFromTerritory">>,
  Assert<Matches<"removeTerritoryFromUser">>,
  Assert<Matches<"removeTerritoriesFromUser">>,
  Assert<AddMatches<"addUserToTerritory">>,
  Assert<AddMatches<"addUsersToTerritory">>,
  Assert<AddMatches<"addTerritoriesToUser">>,
  Assert<ReadMatches<"listUsers">>,
  Assert<ReadMatches<"getUser">>,
  Assert<ReadMatches<"listTerritories">>,
  Assert<ReadMatches<"getTerritory">>,
  Assert<PostMatches<"createTerritories">>,
  Assert<AddMatches<"updateTerritories">>,
  Assert<Matches<"deleteTerritories">>,
  Assert<AddMatches<"updateTerritory">>,
  Assert<Matches<"deleteTerritory">>,
  Assert<PostMatches<"transferAndDeleteTerritories">>,
  Assert<PostMatches<"transferAndDeleteTerritory">>,
  Assert<ReadMatches<"getChildTerritories">>,
  Assert<ReadMatches<"getAssociatedUsersCount">>,
  Assert<ReadMatches<"getOrganization">>,
  Assert<ReadMatches<"getTerritoryOfUser_users">>,
  Assert<Matches<"removeTerritoryFromUser_users">>,
  Assert<ReadMatches<"listTerritoriesOfUser_users">>,
  Assert<Matches<"removeTerritoriesFromUser_users">>,
  Assert<AddMatches<"addTerritoriesToUser_users">>,
  Assert<ReadMatches<"listUsers_Users">>,
  Assert<ReadMatches<"getUser_Users">>,
];

// A twin is its canonical operation under another path: the same
// parameters, body and answers, so a client written against one spelling
// works against the other.
type TwinOf<Twin extends OperationId, Op extends OperationId> = Equal<operations[Twin], operations[Op]>;
export type TwinsMatch = [
  Assert<TwinOf<"getTerritoryOfUser_users", "getTerritoryOfUser">>,
  Assert<TwinOf<"removeTerritoryFromUser_users", "removeTerritoryFromUser">>,
  Assert<TwinOf<"listTerritoriesOfUser_users", "listTerritoriesOfUser">>,
  Assert<TwinOf<"removeTerritoriesFromUser_users", "removeTerritoriesFromUser">>,
  Assert<TwinOf<"addTerritoriesToUser_users", "addTerritoriesToUser">>,
  Assert<TwinOf<"listUsers_Users", "listUsers">>,
  Assert<TwinOf<"getUser_Users", "getUser">>,
];

type Params<Op extends OperationId> = operations[Op]["parameters"];
type PathParams<Op extends OperationId> = Params<Op>["path"];

/** DeleteRequest is what a caller hands to its HTTP library. */
export interface DeleteRequest {
  readonly method: "DELETE";
  /** The path with its parameters filled in, e.g. `/crm/v8/Users/1/territories`. */
  readonly path: string;
  /** The query string without `?`, empty for the single-id forms. */
  readonly query: string;
}

function fillPath<Op extends OperationId>(op: Op, params: PathParams<Op>): string {
  const values: Readonly<Record<string, string>> = params;
  const path = templates[op].replace(/\{([a-z_]+)\}/g, (_match: string, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`${op}: no value for path parameter ${name}`);
    }
    return encodeURIComponent(value);
  });
  return path;
}

// `ids` is `style: form, explode: false`: one parameter, comma-separated.
function idsQuery(ids: string): string {
  // One comma-separated string, as Zoho's files and api/openapi.yaml say.
  return `ids=${ids.split(",").map(encodeURIComponent).join(",")}`;
}

export function removeUserFromTerritory(params: Params<"removeUserFromTerritory">): DeleteRequest {
  return { method: "DELETE", path: fillPath("removeUserFromTerritory", params.path), query: "" };
}

export function removeUsersFromTerritory(params: Params<"removeUsersFromTerritory">): DeleteRequest {
  return {
    method: "DELETE",
    path: fillPath("removeUsersFromTerritory", params.path),
    query: idsQuery(params.query.ids),
  };
}

export function removeTerritoryFromUser(params: Params<"removeTerritoryFromUser">): DeleteRequest {
  return { method: "DELETE", path: fillPath("removeTerritoryFromUser", params.path), query: "" };
}

export function removeTerritoriesFromUser(params: Params<"removeTerritoriesFromUser">): DeleteRequest {
  return {
    method: "DELETE",
    path: fillPath("removeTerritoriesFromUser", params.path),
    query: idsQuery(params.query.ids),
  };
}

/** PutRequest is an add, handed to an HTTP library like a DeleteRequest, with its JSON body. */
export interface PutRequest<B> {
  readonly method: "PUT";
  readonly path: string;
  /** The body to send as application/json; undefined for the single-user form, which has none. */
  readonly body: B;
}

type AddBody<Op extends OperationId> = operations[Op] extends { requestBody: { content: { "application/json": infer B } } } ? B : never;

export function addUserToTerritory(params: Params<"addUserToTerritory">): PutRequest<undefined> {
  return { method: "PUT", path: fillPath("addUserToTerritory", params.path), body: undefined };
}

export function addUsersToTerritory(params: Params<"addUsersToTerritory">, body: AddBody<"addUsersToTerritory">): PutRequest<AddBody<"addUsersToTerritory">> {
  return { method: "PUT", path: fillPath("addUsersToTerritory", params.path), body };
}

export function addTerritoriesToUser(params: Params<"addTerritoriesToUser">, body: AddBody<"addTerritoriesToUser">): PutRequest<AddBody<"addTerritoriesToUser">> {
  return { method: "PUT", path: fillPath("addTerritoriesToUser", params.path), body };
}

/** GetRequest is a read, handed to an HTTP library like a DeleteRequest. */
export interface GetRequest {
  readonly method: "GET";
  readonly path: string;
  /** The query string without `?`: the page asked for, empty for the reads by id. */
  readonly query: string;
}

// The lists' `page` and `per_page` are optional; per_page is at most 200.
function pageQuery(query: { page?: number; per_page?: number } | undefined): string {
  const parts: string[] = [];
  if (query?.page !== undefined) parts.push(`page=${query.page}`);
  if (query?.per_page !== undefined) parts.push(`per_page=${query.per_page}`);
  return parts.join("&");
}

export function listUsersOfTerritory(params: Params<"listUsersOfTerritory">): GetRequest {
  return { method: "GET", path: fillPath("listUsersOfTerritory", params.path), query: pageQuery(params.query) };
}

export function getUserOfTerritory(params: Params<"getUserOfTerritory">): GetRequest {
  return { method: "GET", path: fillPath("getUserOfTerritory", params.path), query: "" };
}

export function listTerritoriesOfUser(params: Params<"listTerritoriesOfUser">): GetRequest {
  return { method: "GET", path: fillPath("listTerritoriesOfUser", params.path), query: pageQuery(params.query) };
}

export function getTerritoryOfUser(params: Params<"getTerritoryOfUser">): GetRequest {
  return { method: "GET", path: fillPath("getTerritoryOfUser", params.path), query: "" };
}

export function listUsers(params: Params<"listUsers">): GetRequest {
  const parts: string[] = [];
  if (params.query?.type !== undefined) parts.push(`type=${params.query.type}`);
  const page = pageQuery(params.query);
  if (page !== "") parts.push(page);
  if (params.query?.ids !== undefined) parts.push(idsQuery(params.query.ids));
  return { method: "GET", path: fillPath("listUsers", params.path), query: parts.join("&") };
}

export function getUser(params: Params<"getUser">): GetRequest {
  return { method: "GET", path: fillPath("getUser", params.path), query: "" };
}

export function listTerritories(params: Params<"listTerritories">): GetRequest {
  return { method: "GET", path: fillPath("listTerritories", params.path), query: pageQuery(params.query) };
}

export function getTerritory(params: Params<"getTerritory">): GetRequest {
  return { method: "GET", path: fillPath("getTerritory", params.path), query: "" };
}

export function getOrganization(params: Params<"getOrganization">): GetRequest {
  return { method: "GET", path: fillPath("getOrganization", params.path), query: "" };
}

// The organization's answer: the one org, whose id is a record id and whose
// zia_portal_id may be a string (Zoho's page) or a number (its OpenAPI file).
export function orgOf(body: JsonBody<operations["getOrganization"]["responses"][200]>): Organization {
  const org = body.org[0];
  if (org === undefined) {
    throw new Error("getOrganization: an empty org array");
  }
  return org;
}
export const orgForms: readonly Organization[] = [
  { id: "5725767000000020005", zia_portal_id: "814461734", company_name: null },
  { id: "1234567890", zia_portal_id: 12345, license_details: { paid: false, paid_type: "free", users_license_purchased: 3 } },
];

// ---------------------------------------------------------------------------
// Responses

type JsonBody<R> = R extends { content: { "application/json": infer B } } ? B : never;

// A response the spec gives no content (the reads' 204) has no body.
type BodyOf<R> = [JsonBody<R>] extends [never] ? { readonly body?: undefined } : { readonly body: JsonBody<R> };

/** TypedResponse is one answer of an operation: an HTTP status the spec lists, with its body. */
export type TypedResponse<Op extends OperationId> = {
  [S in keyof operations[Op]["responses"]]: { readonly status: S } & BodyOf<operations[Op]["responses"][S]>;
}[keyof operations[Op]["responses"]];

/** Outcome is what a caller keeps from one call. */
export type Outcome =
  | {
      readonly kind: "items";
      readonly httpStatus: 200 | 207 | 400;
      /** The ids the success items name. */
      readonly removed: readonly string[];
      /** The error items; they often name no id. */
      readonly failed: readonly ErrorItem[];
    }
  | {
      readonly kind: "error";
      readonly httpStatus: number;
      /** The request-level error: nothing was removed (500: not known). */
      readonly error: ZohoError;
    };

function assertNever(x: never): never {
  throw new Error(`unexpected value ${JSON.stringify(x)}`);
}

/** splitItems tells success items from error items by `status`. */
export function splitItems(items: readonly ResultItem[]): { removed: string[]; failed: ErrorItem[] } {
  const removed: string[] = [];
  const failed: ErrorItem[] = [];
  for (const item of items) {
    switch (item.status) {
      case "success":
        removed.push(item.details.id); // item is a SuccessItem here
        break;
      case "error":
      case "failure":
        failed.push(item); // item is an ErrorItem here
        break;
      default:
        assertNever(item);
    }
  }
  return { removed, failed };
}

function items(httpStatus: 200 | 207 | 400, list: readonly ResultItem[]): Outcome {
  return { kind: "items", httpStatus, ...splitItems(list) };
}

function requestError(httpStatus: number, error: ZohoError): Outcome {
  return { kind: "error", httpStatus, error };
}

/** usersOutcome reads an answer of any operation that changes `/settings/territories/{territory_id}/users`. */
export function usersOutcome(
  resp:
    | TypedResponse<"removeUserFromTerritory">
    | TypedResponse<"removeUsersFromTerritory">
    | TypedResponse<"addUserToTerritory">
    | TypedResponse<"addUsersToTerritory">,
): Outcome {
  switch (resp.status) {
    case 200:
    case 207:
      return items(resp.status, resp.body.users);
    case 400:
      // Every id failed (the envelope) or the request did (one error object).
      return "users" in resp.body ? items(400, resp.body.users) : requestError(400, resp.body);
    case 401:
    case 403:
    case 404:
    case 429:
    case 500:
      return requestError(resp.status, resp.body);
    default:
      return assertNever(resp);
  }
}

/** territoriesOutcome reads an answer of any operation that changes `/Users/{user_id}/territories`. */
export function territoriesOutcome(
  resp:
    | TypedResponse<"removeTerritoryFromUser">
    | TypedResponse<"removeTerritoriesFromUser">
    | TypedResponse<"addTerritoriesToUser">,
): Outcome {
  switch (resp.status) {
    case 200:
    case 207:
      return items(resp.status, resp.body.territories);
    case 400:
      return "territories" in resp.body ? items(400, resp.body.territories) : requestError(400, resp.body);
    case 401:
    case 403:
    case 404:
    case 429:
    case 500:
      return requestError(resp.status, resp.body);
    default:
      return assertNever(resp);
  }
}

// ---------------------------------------------------------------------------
// Calls the types must accept, and calls they must refuse.

export const requests: readonly DeleteRequest[] = [
  removeUserFromTerritory({
    path: { version: "v8", territory_id: "431581000000744113", user_id: "431581000000258001" },
  }),
  removeUsersFromTerritory({
    path: { version: "v7", territory_id: "431581000000744113" },
    query: { ids: "431581000000258001,431581000000258002" },
  }),
  removeTerritoryFromUser({
    path: { version: "v2.1", user_id: "5725767000000583004", territory_id: "5725767000002709047" },
  }),
  removeTerritoriesFromUser({
    path: { version: "v8", user_id: "5725767000000583004" },
    query: { ids: "5725767000000452115,5725767000000454003" },
  }),
];

export const refused: readonly DeleteRequest[] = [
  removeUserFromTerritory({
    // @ts-expect-error v1 is retired: not in the ApiVersion enum.
    path: { version: "v1", territory_id: "1", user_id: "2" },
  }),
  // @ts-expect-error the bulk form needs `ids`.
  removeTerritoriesFromUser({ path: { version: "v8", user_id: "1" } }),
  removeTerritoryFromUser({
    // @ts-expect-error the single-id form needs `territory_id` in the path.
    path: { version: "v8", user_id: "1" },
  }),
];

// An id in an add's body may be a string or a number (RecordIdInput: Zoho's
// Python SDK sends numbers); the answers' ids are strings. A JavaScript
// number holds 15 or 16 digits exactly, not Zoho's 19: send strings.
export const numericAdd = addUsersToTerritory({ path: { version: "v8", territory_id: "431581000000744113" } }, { users: [{ id: 42 }] });

export const adds = [
  addUserToTerritory({ path: { version: "v8", territory_id: "431581000000744113", user_id: "431581000000258001" } }),
  addUsersToTerritory(
    { path: { version: "v8", territory_id: "431581000000744113" } },
    { users: [{ id: "431581000000258001" }, { id: "431581000000258002" }] },
  ),
  addTerritoriesToUser({ path: { version: "v8", user_id: "5725767000000583004" } }, { territories: [{ id: "5725767000000452115" }] }),
] as const;

export const refusedAdds = [
  // @ts-expect-error the body names its users under `users`.
  addUsersToTerritory({ path: { version: "v8", territory_id: "1" } }, { territories: [{ id: "2" }] }),
  // @ts-expect-error each record is named by `id`.
  addTerritoriesToUser({ path: { version: "v8", user_id: "1" } }, { territories: [{ name: "T" }] }),
] as const;

// An add's answers: a mixed envelope (DUPLICATE_DATA for a member already),
// and NOT_ALLOWED under 403 for the caller's own territories.
export const addedMixed: Outcome = usersOutcome({
  status: 207,
  body: {
    users: [
      { code: "SUCCESS", details: { id: "431581000000258001" }, message: "Given User added to the mentioned territory Successfully", status: "success" },
      { code: "DUPLICATE_DATA", details: { api_name: "id", json_path: "$.users[1].id" }, message: "Given user id already exists for that record", status: "error" },
    ],
  },
});

export const notAllowedToAdd: Outcome = territoriesOutcome({
  status: 403,
  body: { code: "NOT_ALLOWED", details: {}, message: "Logged in user can't update their territories", status: "error" },
});

// Zoho's v7 mixed sample (the spec's TerritoriesPartiallyRemoved example):
// three ids answered with five items, two of them error items with no id.
export const mixed: Outcome = territoriesOutcome({
  status: 207,
  body: {
    territories: [
      {
        code: "SUCCESS",
        details: { id: "5725767000000452115" },
        message: "Territory removed from the user successfully",
        status: "success",
      },
      {
        code: "INVALID_DATA",
        details: {},
        message: "This user cannot be removed as the user is a manager of the mentioned Territory.",
        status: "error",
      },
    ],
  },
});

// A request-level 400 (the spec's InvalidTerritoryId example) and a per-id one.
export const invalidTerritory: Outcome = usersOutcome({
  status: 400,
  body: {
    code: "INVALID_DATA",
    details: { resource_path_index: 2 },
    message: "Invalid Territory Id",
    status: "error",
  },
});

export const notAMember: Outcome = usersOutcome({
  status: 400,
  body: {
    users: [
      {
        code: "INVALID_DATA",
        details: {},
        message: "The user is not a member of this territory.",
        status: "error",
      },
    ],
  },
});

export const refusedBodies: readonly Outcome[] = [
  usersOutcome({
    status: 200,
    // @ts-expect-error a 200 answer is the envelope, never an error object.
    body: { code: "INVALID_DATA", details: {}, message: "x", status: "error" },
  }),
  territoriesOutcome({
    status: 200,
    body: {
      territories: [
        // @ts-expect-error a success item must name its id.
        { code: "SUCCESS", details: {}, message: "ok", status: "success" },
      ],
    },
  }),
];

// ---------------------------------------------------------------------------
// Reads

/** Listed is what a caller keeps from one page of a list, or from a read by id. */
export type Listed<T> =
  | { readonly kind: "page"; readonly records: readonly T[]; readonly more: boolean }
  | { readonly kind: "none" }
  | { readonly kind: "error"; readonly httpStatus: number; readonly error: ZohoError };

/** refName reads a reference's name under either spelling Zoho uses. */
export function refName(ref: NamedRef | undefined): string | undefined {
  if (ref === null || ref === undefined) return undefined;
  return ref.name ?? ref["Name"];
}

/** isDefaultTerritory: the default territory reports to no other. */
export function isDefaultTerritory(t: UserTerritory): boolean {
  return t.Reporting_To === null;
}

/** territoriesListed reads an answer of listTerritoriesOfUser. */
export function territoriesListed(resp: TypedResponse<"listTerritoriesOfUser">): Listed<UserTerritory> {
  switch (resp.status) {
    case 200:
      return { kind: "page", records: resp.body.territories, more: resp.body.info.more_records };
    case 204:
      return { kind: "none" };
    case 400:
    case 401:
    case 403:
    case 404:
    case 429:
    case 500:
      return { kind: "error", httpStatus: resp.status, error: resp.body };
    default:
      return assertNever(resp);
  }
}

/** userRead reads an answer of getUserOfTerritory: a read by id has no `info`. */
export function userRead(resp: TypedResponse<"getUserOfTerritory">): Listed<TerritoryUser> {
  switch (resp.status) {
    case 200:
      return { kind: "page", records: resp.body.users, more: false };
    case 204:
      return { kind: "none" };
    case 400:
    case 401:
    case 403:
    case 404:
    case 429:
    case 500:
      return { kind: "error", httpStatus: resp.status, error: resp.body };
    default:
      return assertNever(resp);
  }
}

/** usersListed reads an answer of listUsers; 304 (asked with If-Modified-Since) has no body. */
export function usersListed(resp: TypedResponse<"listUsers">): Listed<User> {
  switch (resp.status) {
    case 200:
      return { kind: "page", records: resp.body.users, more: resp.body.info.more_records };
    case 204:
    case 304:
      return { kind: "none" };
    case 400:
    case 401:
    case 403:
    case 404:
    case 429:
    case 500:
      return { kind: "error", httpStatus: resp.status, error: resp.body };
    default:
      return assertNever(resp);
  }
}

/** orgTerritoriesListed reads an answer of listTerritories: a page asked by `ids` may have no `info`. */
export function orgTerritoriesListed(resp: TypedResponse<"listTerritories">): Listed<Territory> {
  switch (resp.status) {
    case 200:
      return { kind: "page", records: resp.body.territories, more: resp.body.info?.more_records ?? false };
    case 204:
      return { kind: "none" };
    case 400:
    case 401:
    case 403:
    case 404:
    case 429:
    case 500:
      return { kind: "error", httpStatus: resp.status, error: resp.body };
    default:
      return assertNever(resp);
  }
}

/** userByEmail finds a user as an administrator names them: the e-mail, whatever its case. */
export function userByEmail(users: readonly User[], email: string): User | undefined {
  const want = email.trim().toLowerCase();
  return users.find((u) => u.email?.toLowerCase() === want);
}

/** territoryPath is a territory's path of names from the root, `Zylker/North America/West Coast`. */
export function territoryPath(territories: readonly Territory[], id: string): string {
  const byId = new Map(territories.map((t) => [t.id, t]));
  const names: string[] = [];
  for (let t = byId.get(id); t !== undefined; ) {
    names.unshift(t.name);
    const parent = t.reporting_to;
    t = parent === null ? undefined : byId.get(parent.id);
  }
  return names.join("/");
}

export const directory: readonly GetRequest[] = [
  listUsers({ path: { version: "v8" }, query: { type: "AllUsers", page: 1, per_page: 200 } }),
  listUsers({ path: { version: "v7" }, query: { ids: "5725767000000411001,5725767000000411003" } }),
  getUser({ path: { version: "v8", user_id: "5725767000000411001" } }),
  listTerritories({ path: { version: "v8" }, query: { per_page: 200 } }),
  getTerritory({ path: { version: "v8", territory_id: "5725767000000452004" } }),
];

export const refusedDirectory = [
  // @ts-expect-error `type` is one of Zoho's user types.
  listUsers({ path: { version: "v8" }, query: { type: "EveryUser" } }),
  // @ts-expect-error a read by id needs the user's id.
  getUser({ path: { version: "v8" } }),
] as const;

// The spec's TerritoriesFirstPage, shortened: the root reports to no
// territory (null), lower-case keys throughout.
const orgTerritories: Listed<Territory> = orgTerritoriesListed({
  status: 200,
  body: {
    territories: [
      {
        id: "5725767000000452001",
        name: "Zylker",
        manager: null,
        reporting_to: null,
      },
      {
        id: "5725767000000452004",
        name: "West Coast",
        manager: { id: "5725767000000411001", name: "Patricia Boyle" },
        reporting_to: { id: "5725767000000452001", name: "Zylker" },
      },
    ],
    info: { per_page: 200, count: 2, page: 1, more_records: false },
  },
});

export const westCoastPath: string =
  orgTerritories.kind === "page" ? territoryPath(orgTerritories.records, "5725767000000452004") : "";

export const chloe: User | undefined = (() => {
  const listed = usersListed({
    status: 200,
    body: {
      users: [{ id: "5725767000000411003", full_name: "Chloe Marsh", email: "Chloe@Acme.com", status: "inactive" }],
      info: { per_page: 200, count: 1, page: 1, more_records: false },
    },
  });
  return listed.kind === "page" ? userByEmail(listed.records, "chloe@acme.com") : undefined;
})();

export const notModified: Listed<User> = usersListed({ status: 304 });

export const refusedOrgTerritories: readonly Listed<Territory>[] = [
  orgTerritoriesListed({
    status: 200,
    body: {
      // @ts-expect-error the Territories API spells the name `name`, lower case.
      territories: [{ id: "1", Name: "T", manager: null, reporting_to: null }],
    },
  }),
];

export const reads: readonly GetRequest[] = [
  listUsersOfTerritory({ path: { version: "v8", territory_id: "431581000000744113" }, query: { page: 2, per_page: 200 } }),
  getUserOfTerritory({ path: { version: "v7", territory_id: "431581000000744113", user_id: "431581000000258001" } }),
  listTerritoriesOfUser({ path: { version: "v8", user_id: "5725767000000583004" } }),
  getTerritoryOfUser({ path: { version: "v2.1", user_id: "5725767000000583004", territory_id: "5725767000002709047" } }),
];

// The spec's TerritoriesOfUserFirstPage and TerritoriesOfUserLastPage, shortened:
// both spellings of the manager's name key, a null manager, the default territory.
export const firstPage: Listed<UserTerritory> = territoriesListed({
  status: 200,
  body: {
    territories: [
      {
        id: "5725767000000452115",
        Name: "North America",
        Manager: { id: "5725767000000583010", name: "Patricia Boyle" },
        Reporting_To: { id: "5725767000000452001", Name: "Zylker" },
      },
      {
        id: "5725767000000452001",
        Name: "Zylker",
        Manager: null,
        Reporting_To: null,
      },
    ],
    info: { per_page: 2, count: 2, page: 1, more_records: true },
  },
});

export const none: Listed<TerritoryUser> = userRead({ status: 204 });

export const refusedReads: readonly Listed<UserTerritory>[] = [
  territoriesListed({
    status: 200,
    // @ts-expect-error a page of a list carries `info`.
    body: { territories: [{ id: "1", Name: "T", Manager: null, Reporting_To: null }] },
  }),
  territoriesListed({
    status: 200,
    body: {
      // @ts-expect-error a territory names its parent, or null: the key is required.
      territories: [{ id: "1", Name: "T", Manager: null }],
      info: { per_page: 200, count: 1, page: 1, more_records: false },
    },
  }),
];

// ---------------------------------------------------------------------------
// The territories' lifecycle

export type TerritoryToCreate = Schemas["TerritoryToCreate"];
export type RuleCriteria = Schemas["RuleCriteria"];

/** createBody types a create's body: ids as strings or numbers, rules nested. */
export function createBody(): operations["createTerritories"]["requestBody"]["content"]["application/json"] {
  const rule: RuleCriteria = {
    group_operator: "OR",
    group: [
      { field: { api_name: "Billing_State" }, comparator: "equal", value: "WA" },
      {
        group_operator: "AND",
        group: [
          { field: { api_name: "Billing_State", id: "5725767000000000625" }, comparator: "equal", value: "OR" },
          { field: { api_name: "Annual_Revenue" }, comparator: "greater_than", value: 1000000 },
        ],
      },
    ],
  };
  return {
    territories: [
      {
        name: "Pacific Northwest",
        reporting_to: { id: "5725767000000452002" },
        permission_type: "read_write_delete",
        manager: null,
        account_rule_criteria: rule,
        lead_rule_criteria: null,
      },
    ],
  };
}

/** createdIds reads the new ids of a create's 201, in the body's order. */
export function createdIds(
  answer: operations["createTerritories"]["responses"][201]["content"]["application/json"],
): string[] {
  return answer.territories.flatMap((item) => (item.status === "success" ? [item.details.id] : []));
}

/** counts reads the users' counts of one page, by territory id. */
export function counts(
  page: operations["getAssociatedUsersCount"]["responses"][200]["content"]["application/json"],
): Map<string, number> {
  return new Map(page.associated_users_count.map((c) => [c.territory.id, c.count]));
}
