package notify

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"
)

func TestDeliveryErrorHidesAddressesAndResolver(t *testing.T) {
	wrap := func(err error) error {
		return &url.Error{Op: "Post", URL: "https://erp.fornecedor.example/hook", Err: &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.ParseIP("10.20.0.5"), Port: 443}, Err: err}}
	}
	cases := []struct {
		err  error
		want string
	}{
		{wrap(fmt.Errorf("%w: 10.20.0.5 é de uma rede interna", errInternalAddress)), "rede interna"},
		{&url.Error{Op: "Post", URL: "https://x.example", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "x.example", Server: "10.0.0.2:53", IsNotFound: true}}}, "servidor não encontrado"},
		{&url.Error{Op: "Post", URL: "https://x.example", Err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "server misbehaving", Name: "x.example", Server: "10.0.0.2:53"}}}, "DNS"},
		{wrap(syscall.ECONNREFUSED), "conexão recusada"},
		{wrap(context.DeadlineExceeded), "tempo esgotado"},
		{wrap(fmt.Errorf("network is unreachable")), "falha de conexão"},
	}
	for _, c := range cases {
		got := deliveryError(c.err)
		if !strings.Contains(got, c.want) || strings.Contains(got, "10.") || strings.Contains(got, ":53") || strings.Contains(got, ":443") {
			t.Errorf("%v → %q, want %q and no address", c.err, got, c.want)
		}
	}
}
