package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/connectparts/portal/views"
)

// handleSearch is the global search page: hits grouped by kind.
func (s *Server) handleSearch(c *fiber.Ctx) error {
	q := copyString(strings.TrimSpace(c.Query("q")))
	rs, err := s.search.Search(c.UserContext(), currentUser(c), q)
	if err != nil {
		return err
	}
	return s.render(c, views.SearchPage(views.SearchProps{Query: q, Results: rs}))
}

// apiSearchResponse is GET /api/v1/search's body.
type apiSearchResponse struct {
	Results []searchResult `json:"results"`
}

type searchResult struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	URL   string `json:"url"`
}

// handleAPISearch is GET /api/v1/search?q=: the same hits as JSON.
func (s *Server) handleAPISearch(c *fiber.Ctx) error {
	rs, err := s.search.Search(c.UserContext(), currentUser(c), copyString(strings.TrimSpace(c.Query("q"))))
	if err != nil {
		return err
	}
	out := apiSearchResponse{Results: make([]searchResult, 0, len(rs))}
	for _, r := range rs {
		out.Results = append(out.Results, searchResult(r))
	}
	return c.JSON(out)
}
