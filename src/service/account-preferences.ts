// Account preferences: the resource id type (LONG_ID/SHORT_ID) per region. Fathom always issues 17-hex-digit
// (long) ids; the preference is stored and reported for clients that set it.
import type { ServiceContext } from './context.ts';
import type { Scope } from './types.ts';
import { stmt } from './control-db.ts';

export class AccountPreferences {
  constructor(private readonly ctx: ServiceContext) {}

  resourceIdType(scope: Scope): string {
    const r = stmt(this.ctx.db, 'SELECT resource_id_type AS t FROM account_preferences WHERE region = ?').get(scope.region) as { t: string } | undefined;
    return r?.t ?? 'LONG_ID';
  }

  setResourceIdType(scope: Scope, type: string): string {
    stmt(this.ctx.db, `INSERT INTO account_preferences (region, resource_id_type) VALUES (?, ?)
      ON CONFLICT(region) DO UPDATE SET resource_id_type = excluded.resource_id_type`).run(scope.region, type);
    return type;
  }
}
