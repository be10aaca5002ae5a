package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"ngoportal/internal/portal"
)

// writeAudit appends one row to the audit log. It takes a querier so that
// the row is written in the same transaction as the change it records.
func writeAudit(ctx context.Context, q querier, a portal.Actor, e portal.AuditEvent) error {
	changes := e.Changes
	if changes == nil {
		changes = map[string]portal.Change{}
	}
	raw, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	var addr any
	if a.ClientAddr.IsValid() {
		addr = a.ClientAddr.String()
	}
	_, err = q.Exec(ctx, `
		INSERT INTO audit_log (actor_id, actor_email, action, object_type, object_id, ngo_id, client_addr, request_id, changes)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		nullID(a.UserID), a.Email, e.Action, e.ObjectType, nullID(e.ObjectID), nullID(e.NGOID), addr, a.RequestID, raw)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// nullID maps the zero id to SQL NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
