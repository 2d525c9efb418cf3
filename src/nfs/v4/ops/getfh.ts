// GETFH (RFC 8881 §18.8).
import { curNode, ok, type OpHandler } from '../compound.ts';
import { nodeToFh } from '../node.ts';

export const getfh: OpHandler = async (c) => {
  const fh = nodeToFh(c.server.handles, curNode(c));
  return ok((w) => w.opaque(fh));
};
