package store

// Sort is a list's order chosen by the user (sort=<column>&dir=asc|desc):
// Column is one of the list's whitelisted SQL columns (the web layer maps
// the parameter to it, never passing user text), id breaks ties.
type Sort struct {
	Column string
	Desc   bool
}

// orderBy is the ORDER BY of s, or def when no column was chosen.
func (s Sort) orderBy(def string) string { return s.orderByTie(def, "id") }

// orderByTie is orderBy with tie as the tie-breaking column.
func (s Sort) orderByTie(def, tie string) string {
	if s.Column == "" {
		return def
	}
	dir := " ASC"
	if s.Desc {
		dir = " DESC"
	}
	return s.Column + dir + ", " + tie + dir
}
