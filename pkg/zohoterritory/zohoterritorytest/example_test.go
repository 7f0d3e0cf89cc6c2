package zohoterritorytest_test

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Remove Dev Patel from the North America territory of the default seed
// with plain net/http, then look at the territory.
func Example() {
	srv, err := zohoterritorytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	const northAmerica, dev = "5725767000000452002", "5725767000000411004"
	req, err := http.NewRequest(http.MethodDelete,
		srv.URL()+"/crm/v8/settings/territories/"+northAmerica+"/users?ids="+dev, nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+srv.AccessToken())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()

	var body struct {
		Users []struct {
			Code    string            `json:"code"`
			Details map[string]string `json:"details"`
			Message string            `json:"message"`
		} `json:"users"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status)
	for _, u := range body.Users {
		fmt.Println(u.Code, u.Details["id"], u.Message)
	}
	fmt.Println("members left:", srv.Members(northAmerica))
	// Output:
	// 200 OK
	// SUCCESS 5725767000000411004 Given User Removed from the mentioned territory Successfully
	// members left: [5725767000000411002 5725767000000411003]
}
