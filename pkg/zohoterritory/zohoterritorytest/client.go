package zohoterritorytest

import (
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// Client returns a real [zohoterritory.Client] pointed at the server and
// authenticated with [Server.AccessToken]. opts are applied after those
// two, so they may change anything but the credentials; for the
// refresh-token flow, build a client with [zohoterritory.WithRefreshToken],
// the credentials of [Server.OAuthClient] and [zohoterritory.WithAccountsURL]
// set to [Server.URL].
func (s *Server) Client(opts ...zohoterritory.Option) (*zohoterritory.Client, error) {
	all := append([]zohoterritory.Option{
		zohoterritory.WithAPIDomain(s.URL()),
		zohoterritory.WithAccessToken(s.AccessToken()),
	}, opts...)
	return zohoterritory.New(all...)
}
