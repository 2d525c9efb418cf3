// GETATTR (RFC 8881 §18.7).
import { attrSource } from '../attr-source.ts';
import { readBitmap } from '../bitmap.ts';
import { writeFattr } from '../attrs.ts';
import { curNode, ok, type OpHandler } from '../compound.ts';

export const getattr: OpHandler = async (c, r) => {
  const request = readBitmap(r);
  const src = await attrSource(c.server, curNode(c), request);
  return ok((w) => writeFattr(w, request, src));
};
