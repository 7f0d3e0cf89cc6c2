package zohoterritory

import "fmt"

// PlannedCall is one request a removal would send; see
// [Client.PlanRemoveUsersFromTerritory].
type PlannedCall struct {
	Operation string
	Method    string
	URL       string
	IDs       []string
}

// String returns the call as "DELETE <url> (<operation>, <n> ids)".
func (p PlannedCall) String() string {
	return fmt.Sprintf("%s %s (%s, %s)", p.Method, p.URL, p.Operation, plural(len(p.IDs), "id"))
}

// PlanRemoveUsersFromTerritory checks the ids as
// [Client.RemoveUsersFromTerritory] does and returns the calls it would
// make, sending nothing. It needs no credentials.
func (c *Client) PlanRemoveUsersFromTerritory(territoryID string, userIDs ...string) ([]PlannedCall, error) {
	return c.plan(removeUsers, territoryID, userIDs)
}

// PlanRemoveTerritoriesFromUser checks the ids as
// [Client.RemoveTerritoriesFromUser] does and returns the calls it would
// make, sending nothing. It needs no credentials.
func (c *Client) PlanRemoveTerritoriesFromUser(userID string, territoryIDs ...string) ([]PlannedCall, error) {
	return c.plan(removeTerritories, userID, territoryIDs)
}

func (c *Client) plan(e endpoint, owner string, raw []string) ([]PlannedCall, error) {
	ids, err := c.check(e, owner, raw)
	if err != nil {
		return nil, err
	}
	server := c.APIDomain() + "/"
	var out []PlannedCall
	for _, b := range batches(ids, c.limits[e.op]) {
		req, err := e.build(server, c.version, owner, b)
		if err != nil {
			return nil, fmt.Errorf("%s: build request: %w", e.opName(len(b)), err)
		}
		out = append(out, PlannedCall{Operation: e.opName(len(b)), Method: req.Method, URL: req.URL.String(), IDs: b})
	}
	return out, nil
}
