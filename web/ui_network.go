package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/kolaborasi/kolaborasi"
	"github.com/kolaborasi/kolaborasi/app"
	"github.com/kolaborasi/kolaborasi/wilayah"
)

// networkNode is a region linked by at least one agreement, placed on the
// national map.
type networkNode struct {
	Code string  `json:"code"`
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lng  float64 `json:"lng"`
	// X and Y are the region's point on the national map (wilayah).
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// networkEdge links two parties of one agreement.
type networkEdge struct {
	Agreement int64                      `json:"agreement_id"`
	Title     string                     `json:"title"`
	Status    kolaborasi.AgreementStatus `json:"status"`
	Source    string                     `json:"source"`
	Target    string                     `json:"target"`
	// SourceName and TargetName are the regions' names.
	SourceName string `json:"source_name"`
	TargetName string `json:"target_name"`
	// X1, Y1, X2 and Y2 are the ends of the edge on the map.
	X1 float64 `json:"-"`
	Y1 float64 `json:"-"`
	X2 float64 `json:"-"`
	Y2 float64 `json:"-"`
}

// network is the graph of regions linked by (public) agreements.
type network struct {
	Nodes []networkNode `json:"nodes"`
	Edges []networkEdge `json:"edges"`
}

// maxNetworkAgreements bounds the agreements drawn on the network.
const maxNetworkAgreements = 2000

// network builds the graph from the agreements anyone may read: one node
// per region party, one edge per pair of region parties of an agreement.
func (s *Server) network(ctx context.Context) (*network, *wilayah.National, error) {
	m, err := wilayah.NationalMap()
	if err != nil {
		return nil, nil, err
	}
	var all []*kolaborasi.Agreement
	f := kolaborasi.AgreementFilter{Limit: app.MaxPageSize}
	for len(all) < maxNetworkAgreements {
		ags, err := s.app.Agreements(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		all = append(all, ags...)
		if len(ags) < f.Limit {
			break
		}
		f.Before = ags[len(ags)-1].ID
	}
	n := &network{Nodes: []networkNode{}, Edges: []networkEdge{}}
	at := map[string]int{}
	node := func(code string) (int, error) {
		if i, ok := at[code]; ok {
			return i, nil
		}
		r, err := s.app.Region(ctx, code)
		if err != nil {
			return 0, err
		}
		x, y := m.Project(r.Lng, r.Lat)
		n.Nodes = append(n.Nodes, networkNode{Code: code, Name: r.Name, Lat: r.Lat, Lng: r.Lng, X: x, Y: y})
		at[code] = len(n.Nodes) - 1
		return at[code], nil
	}
	for _, ag := range all {
		codes := ag.Content.RegionCodes()
		for i := range codes {
			for j := i + 1; j < len(codes); j++ {
				a, err := node(codes[i])
				if err != nil {
					return nil, nil, err
				}
				b, err := node(codes[j])
				if err != nil {
					return nil, nil, err
				}
				na, nb := n.Nodes[a], n.Nodes[b]
				n.Edges = append(n.Edges, networkEdge{Agreement: ag.ID, Title: ag.Content.Title, Status: ag.Status, Source: na.Code,
					Target: nb.Code, SourceName: na.Name, TargetName: nb.Name, X1: na.X, Y1: na.Y, X2: nb.X, Y2: nb.Y})
			}
		}
	}
	slices.SortFunc(n.Nodes, func(a, b networkNode) int { return strings.Compare(a.Code, b.Code) })
	return n, m, nil
}

func (s *Server) apiNetwork(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	n, _, err := s.network(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemResponse{Data: n})
}

type networkPage struct {
	pageBase
	ViewBox   string
	Provinces []string
	Net       *network
}

// Label is the text of an edge's tooltip.
func (p networkPage) Label(e networkEdge) string {
	return fmt.Sprintf("%s (%s)", e.Title, p.T("agreement.status."+string(e.Status)))
}

func (s *Server) uiNetwork(w http.ResponseWriter, r *http.Request) error {
	n, m, err := s.network(r.Context())
	if err != nil {
		return err
	}
	p := networkPage{pageBase: s.base(r, "jaringan"), ViewBox: m.ViewBox, Provinces: m.Provinces, Net: n}
	return s.render(w, r, http.StatusOK, "network", p)
}
