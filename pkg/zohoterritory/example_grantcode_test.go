package zohoterritory_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Exchange a Self Client's grant code for a refresh token, then use it.
// The sandbox plays Zoho's accounts server and API console; the tokens
// print as [REDACTED] however they are printed. A code works once.
func ExampleExchangeGrantCode() {
	srv, err := zohoterritorytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	self := srv.OAuthClient() // the Self Client's id and secret, from the API console
	code := srv.IssueGrantCode(zohoterritorytest.ScopeUsersRead, zohoterritorytest.ScopeTerritoriesRead)

	// In production: zohoterritory.WithDataCenter(zohoterritory.EU) instead of WithAccountsURL.
	tok, err := zohoterritory.ExchangeGrantCode(ctx, self.ClientID, self.ClientSecret, code,
		zohoterritory.WithAccountsURL(srv.URL()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("refresh token:", tok.RefreshToken, "scopes:", tok.Scopes)

	client, err := zohoterritory.New(zohoterritory.WithAccountsURL(srv.URL()),
		zohoterritory.WithRefreshToken(self.ClientID, self.ClientSecret, tok.RefreshToken.Reveal()))
	if err != nil {
		log.Fatal(err)
	}
	me, err := client.Me(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("the token is", me.FullName+"'s")

	_, err = zohoterritory.ExchangeGrantCode(ctx, self.ClientID, self.ClientSecret, code,
		zohoterritory.WithAccountsURL(srv.URL()))
	var ae *zohoterritory.AuthError
	if errors.As(err, &ae) {
		fmt.Println("again:", ae.Code)
	}
	// Output:
	// refresh token: [REDACTED] scopes: [ZohoCRM.users.READ ZohoCRM.settings.territories.READ]
	// the token is Ava Admin's
	// again: invalid_code
}
