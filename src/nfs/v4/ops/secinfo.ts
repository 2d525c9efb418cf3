// SECINFO and SECINFO_NO_NAME (RFC 8881 §18.29, §18.45): AUTH_SYS only. Both consume the current file handle.
import { RPC_AUTH_SYS } from '../constants.ts';
import { curNode, ok, type OpHandler, type OpResult } from '../compound.ts';
import { readComponent } from '../names.ts';

const flavors = (): OpResult => ok((w) => {
  w.u32(1);
  w.u32(RPC_AUTH_SYS);
});

export const secinfo: OpHandler = async (c, r) => {
  readComponent(r);
  curNode(c);
  c.cur = undefined;
  return flavors();
};

export const secinfoNoName: OpHandler = async (c, r) => {
  r.u32(); // style: current fh or its parent; the answer is the same everywhere
  curNode(c);
  c.cur = undefined;
  return flavors();
};
