package zohoterritory

// Scopes returns the OAuth scopes Zoho asks for the operation (an
// operationId of api/openapi.yaml, such as "removeUsersFromTerritory", as
// [APIError.Operation] names it): a token must hold every scope of at
// least one of the returned sets. Zoho spells the last part ALL or All
// alike. It returns nil for an unknown operation.
func Scopes(operation string) [][]string {
	const (
		terrAll, terrDelete, terrRead    = "ZohoCRM.settings.territories.ALL", "ZohoCRM.settings.territories.DELETE", "ZohoCRM.settings.territories.READ"
		usersAll, usersDelete, usersRead = "ZohoCRM.users.ALL", "ZohoCRM.users.DELETE", "ZohoCRM.users.READ"
		terrUpdate, usersUpdate          = "ZohoCRM.settings.territories.UPDATE", "ZohoCRM.users.UPDATE"
		terrCreate                       = "ZohoCRM.settings.territories.CREATE"
		orgRead, orgAll                  = "ZohoCRM.org.READ", "ZohoCRM.org.ALL"
	)
	switch operation {
	case "removeUserFromTerritory", "removeUsersFromTerritory":
		return [][]string{{terrAll}, {terrDelete, usersAll}}
	case "removeTerritoryFromUser", "removeTerritoriesFromUser":
		return [][]string{{usersAll, terrAll}, {usersAll, terrDelete}, {usersDelete, terrAll}, {usersDelete, terrDelete}}
	case "addUserToTerritory", "addUsersToTerritory":
		return [][]string{{terrAll, usersAll}}
	case "addTerritoriesToUser":
		return [][]string{{usersAll, terrAll}, {usersAll, terrUpdate}, {usersUpdate, terrAll}, {usersUpdate, terrUpdate}}
	case "listUsersOfTerritory", "getUserOfTerritory":
		return [][]string{{usersRead}, {usersAll}}
	case "listTerritoriesOfUser", "getTerritoryOfUser":
		return [][]string{{usersRead}, {usersAll}, {terrRead}, {terrAll}}
	case "listUsers", "getUser":
		return [][]string{{usersRead}, {usersAll}}
	case "listTerritories", "getTerritory", "getChildTerritories", "getAssociatedUsersCount":
		return [][]string{{terrRead}, {terrAll}}
	case "createTerritories":
		return [][]string{{terrCreate}, {terrAll}}
	case "updateTerritories", "updateTerritory":
		return [][]string{{terrUpdate}, {terrAll}}
	case "deleteTerritories", "deleteTerritory", "transferAndDeleteTerritories", "transferAndDeleteTerritory":
		return [][]string{{terrDelete}, {terrAll}}
	case "getOrganization":
		return [][]string{{orgRead}, {orgAll}}
	}
	return nil
}
