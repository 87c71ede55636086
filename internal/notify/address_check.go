package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	"github.com/connectparts/portal/internal/apperr"
)

// Resolver looks up a host's addresses (net.DefaultResolver; tests fake it).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// checkHost refuses, when a webhook is saved, a URL whose host is or resolves
// to an internal address (private, loopback, link-local…): the supplier
// learns at once, instead of from failed deliveries. Deliveries are checked
// again when they connect (publicTransport), since DNS answers change.
func (s *Service) checkHost(ctx context.Context, rawURL string) error {
	if s.resolver == nil {
		return nil
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil // CheckURL has refused it already
	}
	field := func(msg string) error {
		return apperr.Invalid(msg, apperr.Detail{Field: "url", Message: msg})
	}
	host := u.Hostname()
	addrs := []netip.Addr{}
	if ip, err := netip.ParseAddr(host); err == nil {
		addrs = append(addrs, ip)
	} else if addrs, err = s.resolver.LookupNetIP(ctx, "ip", host); err != nil || len(addrs) == 0 {
		return field("Não foi possível encontrar o servidor " + host + " (DNS). Confira o endereço do webhook.")
	}
	for _, ip := range addrs {
		if internalAddr(ip) {
			return field("O endereço do webhook aponta para uma rede interna (privada, local ou de loopback), que o portal não acessa. Use um endereço público.")
		}
	}
	return nil
}

// deliveryError is what the delivery log, which the supplier reads, says of
// a failed connection: the kind of failure, never the addresses tried or
// the resolver's answer.
func deliveryError(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.Is(err, errInternalAddress):
		return "entrega recusada: o endereço do webhook aponta para uma rede interna"
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return "servidor não encontrado (DNS)"
		}
		return "falha ao consultar o DNS do servidor"
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return "certificado TLS do servidor inválido"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "conexão recusada pelo servidor"
	case errors.Is(err, syscall.ECONNRESET):
		return "conexão interrompida pelo servidor"
	case strings.HasPrefix(err.Error(), "sem resposta em "):
		return err.Error()
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return "sem resposta do servidor (tempo esgotado)"
	}
	return "falha de conexão com o servidor"
}
