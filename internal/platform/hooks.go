package platform

import "context"

// HookSecretHeader is the header a platform that lets us choose the
// notification's headers (VTEX) sends back with every notification, holding
// the secret the portal generated for that platform. It is "key" because the
// Orders API's Hook schema requires the headers object to have a property of
// that name (HookConfigurationRequest.hook.headers: required ["key"]); any
// other name would be a request VTEX's definition does not describe.
const HookSecretHeader = "key"

// HookRegistrar is an adapter whose platform pushes order changes to a URL
// (VTEX's orders hook). RegisterHook points the platform at url, asking it to
// send headers with every notification; the platform may call url once to
// check it (VTEX's ping) before answering.
type HookRegistrar interface {
	RegisterHook(ctx context.Context, url string, headers map[string]string) error
}
