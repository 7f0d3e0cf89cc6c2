// Package zohoterritorytest provides a sandbox: an in-memory fake of Zoho
// CRM's territory-membership endpoints, of the reads of its users and
// territories, and of Zoho's token endpoint,
// listening on loopback, in the spirit of net/http/httptest and
// fake-gcs-server.
//
//	srv, err := zohoterritorytest.NewServer()
//	if err != nil { ... }
//	defer srv.Close()
//	// DELETE srv.URL()+"/crm/v8/settings/territories/{territory_id}/users?ids=..."
//	// with "Authorization: Zoho-oauthtoken "+srv.AccessToken()
//
// It serves, under /crm/{version}/ for v2, v2.1 and v3 to v8:
//
//   - DELETE settings/territories/{territory_id}/users/{user_id} and
//     settings/territories/{territory_id}/users?ids=U1,U2 (the `users` envelope);
//   - DELETE Users/{user_id}/territories/{territory_id} and
//     Users/{user_id}/territories?ids=T1,T2 (the `territories` envelope),
//     with `Users` or `users`;
//   - GET on the same four URLs: the users of a territory and the
//     territories of a user, paged like Zoho (`page` from 1, `per_page` 1
//     to 200, default 200, `info.more_records`), and one of either by id.
//     An empty list, a page past the end and a user or territory outside
//     the membership are 204 with no body; an unknown id in the path is
//     INVALID_DATA with `details.resource_path_index`. A territory's
//     `Reporting_To` is null at the root (the default territory), its
//     `Manager` null when it has none; names under `Name`, where Zoho's
//     OpenAPI file and its SDKs read them ([WithManagerNameKey] gives the
//     manager's under `name`).
//   - PUT settings/territories/{territory_id}/users/{user_id} (no body),
//     settings/territories/{territory_id}/users with `{"users":[{"id":...}]}`
//     and Users/{user_id}/territories with `{"territories":[{"id":...}]}`
//     (1 to 100 records; an id a string or the same digits as a JSON
//     number, as Zoho's Python SDK sends it; the body read as JSON whatever
//     its Content-Type, none included, as Zoho's SDKs send it): the adds,
//     the way back from a removal, answered in the same envelopes. One item per record, in the body's order, each
//     worked through against the state as it stands: a record already
//     there is DUPLICATE_DATA (so a record named twice is added once, its
//     later mentions duplicates), an unknown one INVALID_DATA, a deleted or
//     inactive user INVALID_DATA with `owner_status`, a record without an
//     id MANDATORY_NOT_FOUND, each named by `json_path` (`$.users[2].id`;
//     the single-user form by `resource_path_index` 4);
//     [WithTerritoryUserLimit] adds LIMIT_EXCEEDED. A body that is missing
//     or has no or an empty array is a 400 MANDATORY_NOT_FOUND error
//     object, one that is not JSON INVALID_DATA, more than 100 records
//     LIMIT_EXCEEDED; an unknown territory in the path, or an unknown or
//     deleted user, is an error object as for the removals, and adding to
//     the caller's own territories is 403 NOT_ALLOWED.
//   - GET users (`type`, `page`, `per_page`, `ids`) and users/{user_id},
//     with `users` or `Users`, and GET settings/territories (`page`,
//     `per_page`, `ids`) and settings/territories/{territory_id}: the
//     directory, read as Zoho answers it (crm-oas v8.0/users and
//     v8.0/territories). Users come in the seed's order, as
//     `{"users":[...],"info":{...}}`, of the `type` asked for (Zoho's 18;
//     AllUsers by default, which leaves out the deleted ones; any other
//     value is INVALID_DATA naming `type`); territories with lower-case
//     keys, `reporting_to` null at the root and `manager` null when there
//     is none. Paging is as for the memberships; the territories asked for
//     by `ids` come without `info`; a read by id has no `info`; nothing
//     matched, a page past the end and an unknown id are 204. With
//     territory management off the territories API answers 400
//     FEATURE_NOT_ENABLED; the users API does not depend on it.
//   - the territories' lifecycle (territories.go): POST settings/territories
//     (create, 1 to 100), PUT settings/territories[/{territory_id}] (update:
//     rename, re-parent, manager, description, permission type, rules; null
//     clears), DELETE settings/territories?ids=...&delete_previous_forecasts=
//     and settings/territories/{territory_id} (1 to 10), POST
//     settings/territories[/{territory_id}]/actions/transfer_and_delete (the
//     children move to transfer_to_id, then the territory goes; 1 to 10),
//     GET settings/territories/{territory_id}/__child_territories and
//     settings/territories/actions/associated_users_count, with Zoho's rules:
//     unique names without regard to case, the lengths, the mandatory fields,
//     the root only renamed, no cycle, no delete with children,
//     DEPENDENT_FIELD_MISSING without a target for the children, an active
//     manager, [WithTerritoryLimit], INVALID_REQUEST past a call's cap, and
//     the scopes (CREATE, UPDATE, DELETE, READ, or ALL). Every read reflects
//     every change; a deleted territory's members lose it.
//   - GET org: the organization, as `{"org":[{...}]}` with the keys of
//     Zoho's OpenAPI file that its documentation's samples and its SDKs'
//     models share (id, company_name, primary_email, time_zone, currency,
//     type, zgid, license_details with the edition, ...), from the seed's
//     [Org] or from its caller and default territory; it takes the
//     ZohoCRM.org scopes and does not depend on territory management.
//     Zoho's SDKs read it while they start.
//
// and POST /oauth/v2/token with the refresh-token grant and a Self Client's
// authorization-code grant (a code from [Server.IssueGrantCode], once,
// within [GrantCodeLifetime]), whose `api_domain` is the server as the
// client reached it.
//
// Answers follow api/openapi.yaml, and Zoho's own OpenAPI examples
// (zoho/crm-oas v8.0) where its documentation is silent: a request is
// checked for its URL (404 INVALID_URL_PATTERN), version (400
// API_NOT_SUPPORTED), method (400 INVALID_REQUEST_METHOD), token (401
// AUTHENTICATION_FAILURE, INVALID_TOKEN), scopes (401 OAUTH_SCOPE_MISMATCH;
// the reads take a READ or an ALL scope, the adds ALL scopes, or for a
// user's territories UPDATE ones, as the spec's security says), the
// org (403 TERRITORY_NOT_ENABLED, TERRITORY_DISABLED, NO_PERMISSION, from
// the seed; 400 FEATURE_NOT_ENABLED on the territories API) and parameters (400 REQUIRED_PARAM_MISSING; INVALID_DATA over
// 100 ids, over 500 characters of the users' `ids` or 2,000 of the
// territories', for an empty entry such as a trailing comma, or for `page`
// / `per_page` out of range), in that order, then against the org's state.
// The envelope has one item per distinct id, in the order given. A
// removal's error items say nothing of their id (`"details": {}`), as
// Zoho's documentation shows them (its sample answer of removing
// territories from a user); [WithNamedErrorItems] names it as Zoho's
// OpenAPI examples do (`details.id`, or `api_name` and `json_path` for an
// unknown territory among several), [WithAnonymousErrorItems] leaves the
// adds' items anonymous too, and [WithRequestLevelInvalidIDs] gives Zoho's
// request-level refusal of a batch with an unknown territory. An unknown territory of the
// bulk users DELETE is one item about the URL inside the envelope, as in
// Zoho's example. The status is 200 when every id succeeded, 207 when some
// did and 400 when none did.
//
// State starts from [DefaultSeed] or from [WithSeed] / [WithSeedFile], and
// tests inspect it with [Server.Members], [Server.TerritoriesOf],
// [Server.Users], [Server.Territories], [Server.Requests] and
// [Server.RefreshCount]. With [WithContractCheck]
// the server checks its own traffic with a [ContractChecker], such as the
// module's two-validator check of api/openapi.yaml; the package itself
// links no OpenAPI validator.
//
// [WithFaults] and [Server.SetFaults] make the server misbehave on chosen
// API requests (reads as well as changes), as Zoho or a proxy in front of
// it might: latency, 429 with Retry-After, bursts of 500 and 503, a
// connection reset before the work or halfway through the answer,
// truncated JSON, a proxy's HTML 502, a slow body, a request that hangs or
// a body that stalls until the client gives up. Each [FaultKind] says
// whether the change is carried out before the answer breaks. [WithHooks]
// and [Server.WaitIdle] let a test act at an exact point of a request, and
// wait for requests a client gave up on, instead of waiting on the clock.
// [FindSecrets] helps tests check that no credential is printed.
package zohoterritorytest
