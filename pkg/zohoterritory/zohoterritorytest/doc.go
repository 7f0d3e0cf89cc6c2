// Package zohoterritorytest provides a sandbox: an in-memory fake of Zoho
// CRM's territory-membership endpoints and of Zoho's token endpoint,
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
//
// and POST /oauth/v2/token with the refresh-token grant, whose `api_domain`
// is the server's own URL.
//
// Answers follow api/openapi.yaml and Zoho's documented rules: a request is
// checked for its URL (404 INVALID_URL_PATTERN), version (400
// API_NOT_SUPPORTED), method (400 INVALID_REQUEST_METHOD), token (401
// AUTHENTICATION_FAILURE, INVALID_TOKEN), scopes (401 OAUTH_SCOPE_MISMATCH)
// and `ids` (400 REQUIRED_PARAM_MISSING, INVALID_DATA over 100 ids), in that
// order, then against the org's state. The envelope has one item per
// distinct id, in the order given; error items carry `"details": {}` unless
// [WithErrorItemIDs] is set. Its status is 200 when every id succeeded, 207
// when some did and 400 when none did.
//
// State starts from [DefaultSeed] or from [WithSeed] / [WithSeedFile], and
// tests inspect it with [Server.Members], [Server.TerritoriesOf],
// [Server.Requests] and [Server.RefreshCount]. With [WithContractCheck]
// the server validates its own traffic against the spec.
//
// [WithFaults] and [Server.SetFaults] make the server misbehave on chosen
// API requests, as Zoho or a proxy in front of it might: latency, 429 with
// Retry-After, bursts of 500 and 503, a connection reset before the work or
// halfway through the answer, truncated JSON, a proxy's HTML 502, a slow
// body. Each [FaultKind] says whether the removal is carried out before the
// answer breaks. [FindSecrets] helps tests check that no credential is
// printed.
package zohoterritorytest
