package web

import (
	"net"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// trustedProxies parses PORTAL_TRUSTED_PROXIES (validated by config) into ranges.
func trustedProxies(list []string) []*net.IPNet {
	var nets []*net.IPNet
	for _, p := range list {
		if !strings.Contains(p, "/") {
			if strings.Contains(p, ":") {
				p += "/128"
			} else {
				p += "/32"
			}
		}
		if _, n, err := net.ParseCIDR(p); err == nil {
			nets = append(nets, n)
		}
	}
	return nets
}

func (s *Server) trusted(ip net.IP) bool {
	for _, n := range s.proxies {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// clientIP is the address login throttling, the audit log and the request
// log record. X-Forwarded-For is read only when the peer is a trusted proxy
// (Fiber's trusted-proxy check), and then from the right: each proxy appends
// the address it saw, so the rightmost address that is not itself a trusted
// proxy is the client; whatever the client wrote further left is ignored.
func (s *Server) clientIP(c *fiber.Ctx) string {
	peer := c.Context().RemoteIP()
	if len(s.proxies) == 0 || !c.IsProxyTrusted() {
		return peer.String()
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		ip := net.ParseIP(strings.TrimSpace(hops[i]))
		if ip == nil {
			break // a garbled hop: trust nothing further left
		}
		if !s.trusted(ip) {
			return ip.String()
		}
	}
	return peer.String()
}
