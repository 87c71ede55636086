package store

import (
	"slices"
	"strings"
	"testing"

	"github.com/connectparts/portal/internal/model"
)

// The dispatch queue's literal condition (kept literal for its partial index)
// names exactly the statuses the lifecycle lets logistics despachar.
func TestAwaitingDispatchFollowsTheLifecycle(t *testing.T) {
	var want []string
	for _, st := range model.POLifecycle[model.POActDispatch].From {
		want = append(want, "'"+string(st)+"'")
	}
	in := awaitingDispatchSQL[strings.Index(awaitingDispatchSQL, "(")+1 : strings.Index(awaitingDispatchSQL, ")")]
	got := strings.Split(in, ",")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("awaitingDispatchSQL names %v, the lifecycle %v", got, want)
	}
}
