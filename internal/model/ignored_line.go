package model

import "encoding/json"

// IgnoredLine is a line of an uploaded spreadsheet left out of the data: a
// title above the header or a summary line after the data (tabular.Ignored).
type IgnoredLine struct {
	Line   int    `json:"line"`
	Text   string `json:"text"`
	Reason string `json:"reason"` // Portuguese
}

// EncodeIgnoredLines is the stored form of a list of ignored lines ("" for none).
func EncodeIgnoredLines(lines []IgnoredLine) string {
	if len(lines) == 0 {
		return ""
	}
	b, _ := json.Marshal(lines) // plain structs: cannot fail
	return string(b)
}

// DecodeIgnoredLines reads what EncodeIgnoredLines wrote; anything else is none.
func DecodeIgnoredLines(s string) []IgnoredLine {
	var out []IgnoredLine
	if s != "" {
		_ = json.Unmarshal([]byte(s), &out)
	}
	return out
}
