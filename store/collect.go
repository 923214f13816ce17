package store

import "database/sql"

// scanner is what sql.Row and sql.Rows share.
type scanner interface{ Scan(...any) error }

// collect scans every row with scan and closes rows: the one loop behind
// every list the store returns.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// collectQuery runs query and collects its rows; a query error is returned as is.
func collectQuery[T any](rows *sql.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	return collect(rows, scan)
}

// deref adapts a scanner of *T (the one-row readers) to collect.
func deref[T any](scan func(scanner) (*T, error)) func(scanner) (T, error) {
	return func(sc scanner) (T, error) {
		p, err := scan(sc)
		if p == nil {
			var zero T
			return zero, err
		}
		return *p, err
	}
}
