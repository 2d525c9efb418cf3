// SAVEFH and RESTOREFH (RFC 8881 §18.27, §18.28).
import { Status } from '../constants.ts';
import { curNode, OK, type OpHandler } from '../compound.ts';
import { fail } from '../status.ts';

export const savefh: OpHandler = async (c) => {
  c.saved = curNode(c);
  return OK;
};

export const restorefh: OpHandler = async (c) => {
  if (!c.saved) fail(Status.RESTOREFH);
  c.cur = c.saved;
  return OK;
};
