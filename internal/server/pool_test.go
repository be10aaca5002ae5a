package server

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

func pgxpoolNewLazy(t *testing.T, url string) (*pgxpool.Pool, error) {
	t.Helper()
	pool, err := pgxpool.New(t.Context(), url)
	if err == nil {
		t.Cleanup(pool.Close)
	}
	return pool, err
}
