// PUTFH, PUTROOTFH, PUTPUBFH (RFC 8881 §18.19-18.21): set the current file handle.
import { OK, type OpHandler } from '../compound.ts';
import { fhToNode, PSEUDO_ROOT } from '../node.ts';

export const putfh: OpHandler = async (c, r) => {
  const fh = r.opaque(128);
  c.cur = fhToNode(fh, c.server.handles, c.server.exports, c.lc);
  return OK;
};

/** The public file handle is the pseudo root here, as in most servers. */
export const putrootfh: OpHandler = async (c) => {
  c.cur = PSEUDO_ROOT;
  return OK;
};
