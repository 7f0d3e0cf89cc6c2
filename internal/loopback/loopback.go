// Package loopback says whether a host is this machine's loopback: the
// one check behind every "plain http to loopback only" and "listen on
// loopback only" rule of the module.
package loopback

import (
	"net"
	"strings"
)

// Host reports whether host (a name or an IP address, without a port)
// names the loopback interface: "localhost" (in any case), 127.0.0.0/8 or
// ::1.
func Host(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
