// Package static holds the vendored CSS and JavaScript, embedded in the
// binary so that the portal works on an intranet with no CDN.
package static

import "embed"

// FS is served under /static/.
//
//go:embed app.css app.js danfe.css danfe.js favicon.svg vendor
var FS embed.FS
