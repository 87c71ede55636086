package main

import (
	"runtime/debug"
)

// defaultMemoryLimit is the Go runtime's soft memory limit when GOMEMLIMIT
// is not set. A maximum-size upload keeps 100-160 MB live; with the default
// GOGC the heap grows to twice that before a collection, and the process
// reached 320 MB of RSS on a catalog upload (scripts/bench-uploads.sh;
// 214 MB with a 180 MiB limit, 187 MB with this one). Under the limit the
// collector runs earlier instead; it is soft: a process that truly needs
// more gets it, at some CPU cost.
const defaultMemoryLimit = 150 << 20

// setMemoryLimit applies defaultMemoryLimit unless GOMEMLIMIT chose one.
func setMemoryLimit(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
