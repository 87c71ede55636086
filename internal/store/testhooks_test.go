package store

// SetSearchWindow makes the catalog search walk n products instead of
// searchWindow, so that a test catalog of a few thousand products takes
// each of its plans; the returned function restores it.
func SetSearchWindow(n int) (restore func()) {
	old := searchWindow
	searchWindow = n
	return func() { searchWindow = old }
}
