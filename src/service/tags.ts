// Tag lists as the reference keeps them: keys unique, TagResource overwrites values, order kept.
import type { Tag } from './types.ts';
import { ServiceError } from './errors.ts';

export const MAX_TAGS = 50;

export function mergeTags(current: readonly Tag[], added: readonly Tag[]): Tag[] {
  const out = current.map((t) => ({ ...t }));
  for (const t of added) {
    const i = out.findIndex((x) => x.key === t.key);
    if (i >= 0) out[i] = { ...t };
    else out.push({ ...t });
  }
  if (out.length > MAX_TAGS) throw new ServiceError('BadRequest', `A resource can have at most ${MAX_TAGS} tags.`);
  return out;
}

export function removeTags(current: readonly Tag[], keys: readonly string[]): Tag[] {
  return current.filter((t) => !keys.includes(t.key));
}

export function checkUniqueKeys(tags: readonly Tag[]): void {
  if (new Set(tags.map((t) => t.key)).size !== tags.length) throw new ServiceError('BadRequest', 'Tag keys must be unique.');
  if (tags.length > MAX_TAGS) throw new ServiceError('BadRequest', `A resource can have at most ${MAX_TAGS} tags.`);
}

export function nameTag(tags: readonly Tag[]): string | undefined {
  return tags.find((t) => t.key === 'Name')?.value;
}
