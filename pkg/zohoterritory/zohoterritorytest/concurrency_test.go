package zohoterritorytest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// bigSeed is an org territory 10 managed by the caller 1, territory 20
// managed by user 2 with n members besides, and territory 30 with the same
// n members and no manager.
func bigSeed(n int) (Seed, []string) {
	s := Seed{
		Users:              []User{{ID: "1"}, {ID: "2"}},
		Territories:        []Territory{{ID: "10", ManagerID: "1"}, {ID: "20", ManagerID: "2", ReportingTo: "10"}, {ID: "30", ReportingTo: "10"}},
		DefaultTerritoryID: "10",
		CallerID:           "1",
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprint(1000 + i)
		s.Users = append(s.Users, User{ID: ids[i], Status: StatusActive})
	}
	s.Territories[1].Members = ids
	s.Territories[2].Members = ids
	return s, ids
}

func TestConcurrentRemovals(t *testing.T) {
	t.Parallel()
	const n = 60
	seed, ids := bigSeed(n)
	srv := newServer(t, WithSeed(seed))
	tok := srv.AccessToken()

	var wg sync.WaitGroup
	statuses := make([]int, 3*n)
	for i, id := range ids {
		// Each user leaves territory 20 twice (one wins) and territory 30 once.
		wg.Go(func() { statuses[i], _ = send(t, http.MethodDelete, usersURL(srv, "v8", "20", id, ""), tok) })
		wg.Go(func() { statuses[n+i], _ = send(t, http.MethodDelete, usersURL(srv, "v8", "20", "", "ids="+id), tok) })
		wg.Go(func() {
			statuses[2*n+i], _ = send(t, http.MethodDelete, territoriesURL(srv, "v8", "users", id, "", "ids=30,10"), tok)
		})
	}
	wg.Wait()

	for i := range ids {
		pair := []int{statuses[i], statuses[n+i]}
		assert.ElementsMatch(t, []int{http.StatusOK, http.StatusBadRequest}, pair, "user %s: exactly one removal wins", ids[i])
		assert.Equal(t, http.StatusMultiStatus, statuses[2*n+i], "user %s: territory 30 removed, 10 is the org's", ids[i])
	}
	assert.Equal(t, []string{"2"}, srv.Members("20"))
	assert.Empty(t, srv.Members("30"))
	assert.Equal(t, []string{"1"}, srv.Members("10"), "the org territory was not touched")
	assert.Len(t, srv.Requests(), 3*n)
}

func TestConcurrentBulkRemoval(t *testing.T) {
	t.Parallel()
	seed, ids := bigSeed(100)
	srv := newServer(t, WithSeed(seed))

	var wg sync.WaitGroup
	bodies := make([]string, 4)
	for i := range bodies {
		// Four callers race to remove the same 100 users: one removes each.
		wg.Go(func() {
			status, body := send(t, http.MethodDelete, usersURL(srv, "v8", "20", "", "ids="+strings.Join(ids, ",")), srv.AccessToken())
			assert.Contains(t, []int{http.StatusOK, http.StatusMultiStatus, http.StatusBadRequest}, status)
			bodies[i] = body
		})
	}
	wg.Wait()
	removed := 0
	for _, b := range bodies {
		removed += strings.Count(b, `"status":"success"`)
	}
	assert.Equal(t, 100, removed)
	assert.Equal(t, []string{"2"}, srv.Members("20"))
}
