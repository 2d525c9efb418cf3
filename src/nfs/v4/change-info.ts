// change_info4: a directory's change attribute before and after a modifying op.
import type { XdrWriter } from '../xdr/writer.ts';

export interface ChangeInfo {
  before: number;
  after: number;
}

/** atomic is false: the two reads are not in the same transaction as the change. */
export function writeChangeInfo(w: XdrWriter, ci: ChangeInfo): void {
  w.bool(false);
  w.u64(ci.before);
  w.u64(ci.after);
}
