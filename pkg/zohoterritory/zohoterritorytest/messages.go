package zohoterritorytest

// Messages Zoho sends, word for word as in api/openapi.yaml's examples
// (TestMessagesMatchSpec keeps them in step).
const (
	msgUserRemoved            = "Given User Removed from the mentioned territory Successfully"
	msgTerritoryRemoved       = "Territory removed from the user successfully"
	msgInvalidTerritoryID     = "Invalid Territory Id"
	msgInvalidRelatedID       = "the related id given seems to be invalid"
	msgUserIsManager          = "This user cannot be removed as the user is a manager of the mentioned Territory."
	msgUserNotAMember         = "The user is not a member of this territory."
	msgInvalidUserID          = "The user ID given seems to be invalid"
	msgUserDeleted            = "The user ID given has already been deleted or is not associated with Zoho CRM"
	msgNotAllowed             = "You cannot update the territories you belong to"
	msgInvalidTerritories     = "One or more given territory IDs seem to be invalid"
	msgOrgTerritory           = "Organization Territory cannot be removed from the user"
	msgNotLinked              = "The territory ID is not linked with the specified user"
	msgTerritoryManager       = "The territory given cannot be removed from the user"
	msgRequestMethod          = "The http request method type is not a valid one"
	msgParamMissing           = "One of the expected parameter is missing"
	msgTooManyIDs             = "Maximum number of ids exceeded"
	msgScopeMismatch          = "invalid oauth scope to access this URL"
	msgAuthFailure            = "Authentication failed"
	msgInvalidToken           = "invalid oauth token"
	msgURLPattern             = "Please check if the URL trying to access is a correct one"
	msgTooManyRequests        = "You have made too many requests. Please try again later."
	msgInternalError          = "Internal Server Error"
	msgInvalidUserOrTerritory = "You have specified an invalid ID for either the user, territory or both."
	msgAPINotSupported        = "The requested API version is not supported"
	// Zoho's own OpenAPI files (zoho/crm-oas v8.0) word these so, odd
	// repetitions included.
	msgGivenIDInvalid     = "the given id given seems to be invalid"      // a territory in the users' envelope
	msgGivenUserIDInvalid = "the given user id given seems to be invalid" // a user in the users' envelope
	msgIDInvalid          = "the id given seems to be invalid."           // the user of the single-user DELETE
	msgTerritoryNotOn     = "the territory feature is not enabled"
	msgTerritoryOff       = "the territory feature is disabled"
	msgPermissionDenied   = "permission denied"
	// The territories API (settings/territories), in Zoho's OpenAPI
	// examples for it (zoho/crm-oas v8.0/territories) and in
	// api/openapi.yaml's.
	msgFeatureNotEnabled = "Territory Management is not enabled"
	msgFeatureDisabled   = "Territory Management is disabled"
	msgIDsTooLong        = "Maximum length of ids exceeded"
	msgIDsMalformed      = "The value of ids is invalid"
	// The adds, as Zoho's OpenAPI files (zoho/crm-oas v8.0) word them.
	msgUserAdded          = "Given User added to the mentioned territory Successfully"
	msgTerritoryAdded     = "Territory associated to the user successfully"
	msgUserExists         = "Given user id already exists for that record"
	msgTerritoryExists    = "Territory already associated with the user"
	msgTerritoryUserLimit = "Maximum Users Limit reached for a territory"
	msgAddDeletedUser     = "The user to whom you are trying to update is deleted."
	msgNotAllowedToAdd    = "Logged in user can't update their territories"
	msgMandatoryNotFound  = "required field not found"
	// Not among the spec's examples; Zoho's wording is unverified.
	msgBodyNotJSON        = "the request body is not a valid JSON object"
	msgInvalidDataType    = "invalid data"
	msgTooManyRecords     = "Maximum number of records exceeded"
	msgUnavailable        = "Service Unavailable"
	msgInvalidParamFormat = "The value of %s is invalid"
)

// maxIDs is the most ids one bulk call accepts, counted before duplicates
// are dropped (stricter than deduplicating first, so a client that sends
// too many fails here as it might at Zoho).
const maxIDs = 100

// maxAddRecords is the most records one add body may name, as Zoho's pages
// and api/openapi.yaml say (Zoho's OpenAPI file for the territories of a
// user says 200).
const maxAddRecords = 100

// The most characters of `ids`, as Zoho's OpenAPI files cap them.
const (
	maxUserIDsChars      = 500
	maxTerritoryIDsChars = 2000
)

// latestVersion is what API_NOT_SUPPORTED names in details.supported_version.
const latestVersion = "v8"

var versions = []string{"v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"}

const tokenPath = "/oauth/v2/token"

// apiError is Zoho's top-level error object, and also an error item.
type apiError struct {
	status  int
	Code    string         `json:"code"`
	Details map[string]any `json:"details"`
	Message string         `json:"message"`
	Status  string         `json:"status"`
}

func newError(status int, code, message string, details map[string]any) apiError {
	if details == nil {
		details = map[string]any{}
	}
	return apiError{status: status, Code: code, Details: details, Message: message, Status: "error"}
}

// item is one entry of the `users` or `territories` envelope. Its details
// are a struct rather than a map: the encoder then neither sorts keys nor
// reflects over interfaces, which keeps a 100-item answer cheap.
type item struct {
	Code    string      `json:"code"`
	Details itemDetails `json:"details"`
	Message string      `json:"message"`
	Status  string      `json:"status"`
}

// itemDetails is what an item says about its id: `{"id": ...}`, the place
// in the request (`api_name` and `json_path`, as Zoho's examples give an
// unknown territory), `resource_path_index` for a URL error in the
// envelope, or `{}` when nothing is named; an add's items may also give
// the user's `owner_status` or the territory's user `limit`.
type itemDetails struct {
	ID                string `json:"id,omitempty"`
	APIName           string `json:"api_name,omitempty"`
	JSONPath          string `json:"json_path,omitempty"`
	ResourcePathIndex *int   `json:"resource_path_index,omitempty"`
	OwnerStatus       string `json:"owner_status,omitempty"`
	Limit             int    `json:"limit,omitempty"`
}
