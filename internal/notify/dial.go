package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// publicTransport is the production transport of webhook POSTs: it only
// connects to public addresses, so a webhook URL cannot reach the portal's
// own network (loopback, private, link-local — cloud metadata — and the like),
// whatever its host name resolves to at delivery time.
func publicTransport() http.RoundTripper {
	d := &net.Dialer{Timeout: DeliveryTimeout, KeepAlive: 30 * time.Second, Control: refusePrivate}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil // a proxy would connect on our behalf, past the check
	t.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	return t
}

// refusePrivate is the dialer's check of the address actually connected to.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("endereço não permitido para webhooks: %s", address)
	}
	ip := ap.Addr().Unmap()
	if internalAddr(ip) {
		return fmt.Errorf("%w: %s é de uma rede interna", errInternalAddress, ip)
	}
	return nil
}

// errInternalAddress marks a refusal to connect to the portal's own networks.
var errInternalAddress = errors.New("endereço não permitido para webhooks")

// internalAddr reports whether ip belongs to a network webhooks may not reach.
func internalAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	return !ip.IsGlobalUnicast() || ip.IsPrivate() || ip.IsLoopback() || ip.IsLinkLocalUnicast() ||
		cgnat.Contains(ip) || ip.IsMulticast() || ip.IsUnspecified()
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")
