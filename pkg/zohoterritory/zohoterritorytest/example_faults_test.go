package zohoterritorytest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// A sandbox whose first API request is rate limited and whose second is
// answered after doing the work, with its body cut in half: a client must
// ask again to learn that the removal was done.
func ExampleWithFaults() {
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithFaults(
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultRateLimit, Count: 1, RetryAfter: 2 * time.Second},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultTruncate, Count: 1},
	))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	const northAmerica, dev = "5725767000000452002", "5725767000000411004"
	for range 3 {
		req, err := http.NewRequest(http.MethodDelete, srv.URL()+"/crm/v8/settings/territories/"+northAmerica+"/users/"+dev, nil)
		if err != nil {
			log.Fatal(err)
		}
		req.Header.Set("Authorization", "Zoho-oauthtoken "+srv.AccessToken())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s, Retry-After %q, JSON %v\n", resp.Status, resp.Header.Get("Retry-After"), json.Valid(body))
	}
	for _, r := range srv.Requests() {
		fmt.Printf("%d %q\n", r.Status, r.Fault)
	}
	// Output:
	// 429 Too Many Requests, Retry-After "2", JSON true
	// 200 OK, Retry-After "", JSON false
	// 400 Bad Request, Retry-After "", JSON true
	// 429 "rate_limit"
	// 200 "truncate"
	// 400 ""
}
