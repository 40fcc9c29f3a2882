package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/kolaborasi/kolaborasi"
)

// K6: producers, products and featured products. Producers and products
// are stored as JSON beside the columns that select and order them, as
// solutions are; products have their own change counter (product_seq) and
// full-text index, searched like the solutions' (store/search.go).

const producerColumns = `id, version, created_at, updated_at, data`

func scanProducer(sc interface{ Scan(...any) error }) (*kolaborasi.Producer, error) {
	var p kolaborasi.Producer
	var created, updated nullTime
	var data string
	var id int64
	var version int
	if err := sc.Scan(&id, &version, &created, &updated, &data); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		return nil, fmt.Errorf("decode producer %d: %w", id, err)
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt = id, version, created.Time, updated.Time
	return &p, nil
}

func marshalJSON(what string, v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode %s: %w", what, err)
	}
	return string(b), nil
}

// CreateProducer implements kolaborasi.ProductStore.
func (s *Store) CreateProducer(ctx context.Context, p *kolaborasi.Producer) error {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = p.UpdatedAt
	}
	p.Version = 1
	data, err := marshalJSON("producer", p)
	if err != nil {
		return err
	}
	err = s.queryRowW(ctx, `INSERT INTO producers (region_code, kind, name, verification, version, created_at, updated_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.RegionCode, string(p.Kind), p.Name, string(p.Verification),
		p.Version, dbTime(p.CreatedAt), dbTime(p.UpdatedAt), data).Scan(&p.ID)
	if err != nil {
		return translate(fmt.Errorf("create producer %q: %w", p.Name, err), "This producer")
	}
	return nil
}

// UpdateProducer implements kolaborasi.ProductStore.
func (s *Store) UpdateProducer(ctx context.Context, p *kolaborasi.Producer) error {
	read := p.Version
	p.Version = read + 1
	data, err := marshalJSON("producer", p)
	if err == nil {
		err = s.updateVersioned(ctx, "producer", p.ID, read, func() error { _, err := s.FindProducer(ctx, p.ID); return err },
			`UPDATE producers SET kind = ?, name = ?, verification = ?, version = ?, updated_at = ?, data = ? WHERE id = ? AND version = ?`,
			string(p.Kind), p.Name, string(p.Verification), p.Version, dbTime(p.UpdatedAt), data, p.ID, read)
	}
	if err != nil {
		p.Version = read
	}
	return err
}

// updateVersioned runs an UPDATE guarded by the version read and reports a
// conflict when it changed no row of an existing record (exists says
// whether the record is there at all).
func (s *Store) updateVersioned(ctx context.Context, what string, id int64, read int, exists func() error, query string, args ...any) error {
	res, err := s.exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("update %s %d: %w", what, id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("rows affected: %w", err)
	} else if n == 0 {
		if err := exists(); err != nil {
			return err
		}
		if what == "producer" {
			return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Producer %d was changed by someone else since version %d; reload it and make your change again.", id, read)
		}
		return kolaborasi.Errorf(kolaborasi.ECONFLICT, "Product %d was changed by someone else since version %d; reload it and make your change again.", id, read)
	}
	return nil
}

// FindProducer implements kolaborasi.ProductStore.
func (s *Store) FindProducer(ctx context.Context, id int64) (*kolaborasi.Producer, error) {
	p, err := scanProducer(s.queryRow(ctx, `SELECT `+producerColumns+` FROM producers WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(fmt.Errorf("find producer %d: %w", id, err), "Producer %d does not exist.", id)
	}
	return p, nil
}

// FindProducers implements kolaborasi.ProductStore.
func (s *Store) FindProducers(ctx context.Context, region string) ([]*kolaborasi.Producer, error) {
	rows, err := s.query(ctx, `SELECT `+producerColumns+` FROM producers WHERE region_code = ? ORDER BY name, id`, region)
	if err != nil {
		return nil, fmt.Errorf("find producers of %s: %w", region, err)
	}
	defer rows.Close()
	var out []*kolaborasi.Producer
	for rows.Next() {
		p, err := scanProducer(rows)
		if err != nil {
			return nil, fmt.Errorf("scan producer: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find producers of %s: %w", region, err)
	}
	return out, nil
}

const productColumns = `p.id, p.version, p.created_at, p.updated_at, p.data, p.terms`

func scanProduct(sc interface{ Scan(...any) error }) (*kolaborasi.Product, error) {
	var p kolaborasi.Product
	var created, updated nullTime
	var data, terms string
	var id int64
	var version int
	if err := sc.Scan(&id, &version, &created, &updated, &data, &terms); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		return nil, fmt.Errorf("decode product %d: %w", id, err)
	}
	p.ID, p.Version, p.CreatedAt, p.UpdatedAt, p.Terms = id, version, created.Time, updated.Time, terms
	return &p, nil
}

// nextProductSeq raises the change counter of products in the transaction
// (the row lock orders writers, as nextSeq does for solutions).
func (s *Store) nextProductSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.queryRowW(ctx, `UPDATE product_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("advance the product change counter: %w", err)
	}
	s.took("product", seq)
	return seq, nil
}

// CreateProduct implements kolaborasi.ProductStore.
func (s *Store) CreateProduct(ctx context.Context, p *kolaborasi.Product) error {
	return s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		seq, err := t.nextProductSeq(ctx)
		if err != nil {
			return err
		}
		if p.CreatedAt.IsZero() {
			p.CreatedAt = p.UpdatedAt
		}
		p.Version = 1
		data, err := marshalJSON("product", p)
		if err != nil {
			return err
		}
		err = t.queryRowW(ctx, `INSERT INTO products (producer_id, region_code, seq, version, created_at, updated_at, data, terms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.ProducerID, p.RegionCode, seq, p.Version,
			dbTime(p.CreatedAt), dbTime(p.UpdatedAt), data, p.Terms).Scan(&p.ID)
		if err != nil {
			return translate(fmt.Errorf("create product %q: %w", p.Name.Get("id"), err), "This product")
		}
		return t.insertProductFacets(ctx, p)
	})
}

func (s *Store) insertProductFacets(ctx context.Context, p *kolaborasi.Product) error {
	var vals []string
	var args []any
	for facet, values := range p.FacetValues() {
		for i, v := range values {
			if v != "" && !slices.Contains(values[:i], v) {
				vals, args = append(vals, "(?, ?, ?)"), append(args, facet, v, p.ID)
			}
		}
	}
	if len(vals) == 0 {
		return nil
	}
	if _, err := s.exec(ctx, `INSERT INTO product_facets (facet, value, product_id) VALUES `+strings.Join(vals, ", "), args...); err != nil {
		return fmt.Errorf("store product facets: %w", err)
	}
	return nil
}

// UpdateProduct implements kolaborasi.ProductStore. p.Version is raised
// only when the update commits.
func (s *Store) UpdateProduct(ctx context.Context, p *kolaborasi.Product) error {
	read := p.Version
	err := s.InTx(ctx, func(tx kolaborasi.Store) error {
		t := tx.(*Store)
		seq, err := t.nextProductSeq(ctx)
		if err != nil {
			return err
		}
		p.Version = read + 1
		data, err := marshalJSON("product", p)
		if err != nil {
			return err
		}
		err = t.updateVersioned(ctx, "product", p.ID, read, func() error { _, err := t.FindProduct(ctx, p.ID); return err },
			`UPDATE products SET producer_id = ?, region_code = ?, seq = ?, version = ?, updated_at = ?, data = ?, terms = ?
			WHERE id = ? AND version = ?`, p.ProducerID, p.RegionCode, seq, p.Version, dbTime(p.UpdatedAt), data, p.Terms, p.ID, read)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM product_facets WHERE product_id = ?`, p.ID); err != nil {
			return fmt.Errorf("clear product facets: %w", err)
		}
		return t.insertProductFacets(ctx, p)
	})
	if err != nil {
		p.Version = read
	}
	return err
}

// FindProduct implements kolaborasi.ProductStore.
func (s *Store) FindProduct(ctx context.Context, id int64) (*kolaborasi.Product, error) {
	p, err := scanProduct(s.queryRow(ctx, `SELECT `+productColumns+` FROM products p WHERE p.id = ?`, id))
	if err != nil {
		return nil, notFound(fmt.Errorf("find product %d: %w", id, err), "Product %d does not exist.", id)
	}
	return p, nil
}

// eachProduct calls fn for every product the query returns (the product
// columns, then the change number when withSeq).
func (s *Store) eachProduct(ctx context.Context, withSeq bool, fn func(*kolaborasi.Product, int64) error, query string, args ...any) error {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read products: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var sc interface{ Scan(...any) error } = rows
		if withSeq {
			sc = seqScanner{rows, &seq}
		}
		p, err := scanProduct(sc)
		if err != nil {
			return fmt.Errorf("scan product: %w", err)
		}
		if err := fn(p, seq); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read products: %w", err)
	}
	return nil
}

// FindProductsByID implements kolaborasi.ProductStore.
func (s *Store) FindProductsByID(ctx context.Context, ids []int64) ([]*kolaborasi.Product, error) {
	byID := make(map[int64]*kolaborasi.Product, len(ids))
	err := inChunks(ids, func(args []any) error {
		return s.eachProduct(ctx, false, func(p *kolaborasi.Product, _ int64) error { byID[p.ID] = p; return nil },
			`SELECT `+productColumns+` FROM products p WHERE p.id IN (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...)
	})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	out := make([]*kolaborasi.Product, 0, len(ids))
	for _, id := range ids {
		if p := byID[id]; p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// ProductSeq implements kolaborasi.ProductStore.
func (s *Store) ProductSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := s.queryRow(ctx, `SELECT seq FROM product_seq WHERE id = 1`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read the product change counter: %w", err)
	}
	return seq, nil
}

// EachProductChangedAfter implements kolaborasi.ProductStore.
// As for solutions, a catch-up goes through the index on seq.
func (s *Store) EachProductChangedAfter(ctx context.Context, seq int64, fn func(*kolaborasi.Product, int64) error) error {
	if seq <= 0 {
		return s.eachProduct(ctx, true, fn, `SELECT `+productColumns+`, p.seq FROM products p ORDER BY p.id`)
	}
	return s.eachProduct(ctx, true, fn, changedProductsQuery, seq)
}

const changedProductsQuery = `SELECT ` + productColumns + `, p.seq FROM products p WHERE p.seq > ? ORDER BY p.seq`

// ReanalyseProducts implements kolaborasi.ProductStore: products in ID
// order, reanalyseBatch per transaction; a product saved since it was read
// keeps the terms its writer stored.
func (s *Store) ReanalyseProducts(ctx context.Context, terms func(*kolaborasi.Product) string) (int, error) {
	return reanalyse(ctx, s, "product", (*Store).productsAfter, (*Store).nextProductSeq,
		func(p *kolaborasi.Product) (int64, int, string) { return p.ID, p.Version, terms(p) },
		`UPDATE products SET terms = ?, seq = ? WHERE id = ? AND version = ?`)
}

// productsAfter reads up to limit products with IDs above after, in ID
// order (the batches of ReanalyseProducts).
func (s *Store) productsAfter(ctx context.Context, after int64, limit int) ([]*kolaborasi.Product, error) {
	var batch []*kolaborasi.Product
	err := s.eachProduct(ctx, false, func(p *kolaborasi.Product, _ int64) error { batch = append(batch, p); return nil },
		`SELECT `+productColumns+` FROM products p WHERE p.id > ? ORDER BY p.id LIMIT ?`, after, limit)
	return batch, err
}

// SearchProducts implements kolaborasi.ProductStore: the text query on the
// engine's full-text index over the analysed terms, facets through
// product_facets, as SearchSolutions does.
func (s *Store) SearchProducts(ctx context.Context, f kolaborasi.ProductFilter) (*kolaborasi.ProductPage, error) {
	var with string
	var args []any
	from := ` FROM products p`
	score := "0"
	if f.Text != nil {
		w, arg, err := s.textMatches("products", "products_fts", f.Text)
		if err != nil {
			return nil, err
		}
		with, args = w, append(args, arg)
		from += ` JOIN m ON m.id = p.id`
		score = "m.score"
	}
	where, fargs := facetFilters(f.Facets, "product_facets", "product_id", "p")
	args = append(args, fargs...)
	base := from
	if len(where) > 0 {
		base += ` WHERE ` + strings.Join(where, ` AND `)
	}
	page := &kolaborasi.ProductPage{Facets: map[string][]kolaborasi.FacetCount{}}
	if err := s.queryRow(ctx, with+`SELECT count(*)`+base, args...).Scan(&page.Total); err != nil {
		return nil, fmt.Errorf("count products: %w", err)
	}
	if page.Total == 0 {
		return page, nil
	}
	order := ` ORDER BY p.created_at DESC, p.id DESC`
	if f.Sort == kolaborasi.SortRelevance && f.Text != nil {
		order = ` ORDER BY ` + score + ` DESC, p.id DESC`
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 20
	}
	err := s.eachProduct(ctx, false, func(p *kolaborasi.Product, _ int64) error {
		page.Products = append(page.Products, p)
		return nil
	}, with+`SELECT `+productColumns+base+order+fmt.Sprintf(` LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
	if err != nil || f.NoFacets {
		return page, err
	}
	page.Facets, err = s.countFacets(ctx, with+`SELECT f.facet, f.value, count(*) FROM product_facets f
		WHERE f.product_id IN (SELECT p.id`+base+`) GROUP BY f.facet, f.value`, args...)
	return page, err
}

// countFacets reads (facet, value, count) rows, largest count first, then
// by value.
func (s *Store) countFacets(ctx context.Context, query string, args ...any) (map[string][]kolaborasi.FacetCount, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("count facets: %w", err)
	}
	defer rows.Close()
	out := map[string][]kolaborasi.FacetCount{}
	for rows.Next() {
		var name string
		var c kolaborasi.FacetCount
		if err := rows.Scan(&name, &c.Value, &c.Count); err != nil {
			return nil, fmt.Errorf("scan facet count: %w", err)
		}
		out[name] = append(out[name], c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count facets: %w", err)
	}
	for _, cs := range out {
		slices.SortFunc(cs, func(a, b kolaborasi.FacetCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Value, b.Value))
		})
	}
	return out, nil
}

// PutFeature implements kolaborasi.ProductStore.
func (s *Store) PutFeature(ctx context.Context, f *kolaborasi.Feature) error {
	_, err := s.exec(ctx, `INSERT INTO product_features (region_code, product_id, agreement_id, by_id, by_name, at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (region_code, product_id) DO UPDATE SET agreement_id = excluded.agreement_id,
		by_id = excluded.by_id, by_name = excluded.by_name, at = excluded.at`,
		f.RegionCode, f.ProductID, f.AgreementID, f.ByID, f.ByName, dbTime(f.At))
	if err != nil {
		return translate(fmt.Errorf("feature product %d in %s: %w", f.ProductID, f.RegionCode, err), "This feature")
	}
	return nil
}

// DeleteFeature implements kolaborasi.ProductStore.
func (s *Store) DeleteFeature(ctx context.Context, region string, productID int64) error {
	res, err := s.exec(ctx, `DELETE FROM product_features WHERE region_code = ? AND product_id = ?`, region, productID)
	if err != nil {
		return fmt.Errorf("delete feature: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("rows affected: %w", err)
	} else if n == 0 {
		return kolaborasi.Errorf(kolaborasi.ENOTFOUND, "Region %s does not feature product %d.", region, productID)
	}
	return nil
}

// FindFeatures implements kolaborasi.ProductStore.
func (s *Store) FindFeatures(ctx context.Context, region string) ([]*kolaborasi.Feature, error) {
	rows, err := s.query(ctx, `SELECT region_code, product_id, agreement_id, by_id, by_name, at FROM product_features
		WHERE region_code = ? ORDER BY at DESC, product_id DESC`, region)
	if err != nil {
		return nil, fmt.Errorf("find features of %s: %w", region, err)
	}
	defer rows.Close()
	var out []*kolaborasi.Feature
	for rows.Next() {
		var f kolaborasi.Feature
		var at nullTime
		if err := rows.Scan(&f.RegionCode, &f.ProductID, &f.AgreementID, &f.ByID, &f.ByName, &at); err != nil {
			return nil, fmt.Errorf("scan feature: %w", err)
		}
		f.At = at.Time
		out = append(out, &f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find features of %s: %w", region, err)
	}
	return out, nil
}
