// Validates a request against the model's constraints (required, types, enums, ranges, lengths, patterns)
// the way AWS words it: "1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: …".
import type { MemberRef, ServiceModel, Shape } from './service-model.ts';

export class ValidationFailure extends Error {
  constructor(readonly problems: string[]) {
    super(`${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
    this.name = 'ValidationFailure';
  }
}

/**
 * Deployment differences from the reference's patterns: Fathom ARNs use partition "fathom"; subnet ids and
 * region names come from the config (subnet-local-1a, local-2), so they are checked against it, not AWS's forms.
 */
function adaptPattern(shapeName: string, pattern: string): string {
  if (shapeName === 'SubnetId') return '^subnet-[0-9a-z-]+$';
  if (shapeName === 'RegionName') return '^[a-z0-9-]+$';
  return pattern.replaceAll('arn:aws[-a-z]*', 'arn:(?:aws[-a-z]*|fathom)');
}

const compiled = new Map<string, RegExp | null>();
function patternFor(shapeName: string, pattern: string): RegExp | null {
  const key = `${shapeName}\u0000${pattern}`;
  if (!compiled.has(key)) {
    const source = adaptPattern(shapeName, pattern);
    let re: RegExp | null = null;
    for (const flags of ['u', '']) {
      try {
        re = new RegExp(source, flags);
        break;
      } catch {
        // Some model patterns are Java regexes one of the JS modes rejects; try the other, else skip.
      }
    }
    compiled.set(key, re);
  }
  return compiled.get(key) ?? null;
}

export class Validator {
  constructor(private readonly model: ServiceModel) {}

  validate(value: unknown, shapeName: string): void {
    const problems: string[] = [];
    this.check(value, shapeName, '', problems);
    if (problems.length > 0) throw new ValidationFailure(problems);
  }

  private check(value: unknown, shapeName: string, path: string, problems: string[]): void {
    const shape = this.model.shapes[shapeName];
    if (!shape || value === undefined || value === null) return;
    const at = path === '' ? 'the request' : `'${path}'`;
    const fail = (constraint: string) => problems.push(`Value ${describe(value)} at ${at} failed to satisfy constraint: ${constraint}`);
    switch (shape.type) {
      case 'structure': return this.checkStructure(value, shape, path, problems, fail);
      case 'list': return this.checkList(value, shape, path, problems, fail);
      case 'map': return this.checkMap(value, shape, path, problems, fail);
      case 'string': return checkString(value, shapeName, shape, fail);
      case 'integer': case 'long': return checkNumber(value, shape, true, fail);
      case 'double': case 'float': return checkNumber(value, shape, false, fail);
      case 'boolean': if (typeof value !== 'boolean') fail('Member must be a boolean'); return;
      default: return;
    }
  }

  private checkStructure(value: unknown, shape: Shape, path: string, problems: string[], fail: (c: string) => void): void {
    if (typeof value !== 'object' || Array.isArray(value)) return fail('Member must be a structure');
    const obj = value as Record<string, unknown>;
    for (const req of shape.required ?? []) {
      if (obj[req] === undefined || obj[req] === null) problems.push(`Value null at '${join(path, req)}' failed to satisfy constraint: Member must not be null`);
    }
    for (const [name, ref] of Object.entries(shape.members ?? {})) this.check(obj[name], ref.shape, join(path, name), problems);
  }

  private checkList(value: unknown, shape: Shape, path: string, problems: string[], fail: (c: string) => void): void {
    if (!Array.isArray(value)) return fail('Member must be a list');
    checkLength(value.length, shape, fail);
    value.forEach((v, i) => this.check(v, (shape.member as MemberRef).shape, `${path}.${i + 1}.member`, problems));
  }

  private checkMap(value: unknown, shape: Shape, path: string, problems: string[], fail: (c: string) => void): void {
    if (typeof value !== 'object' || Array.isArray(value)) return fail('Member must be a map');
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      this.check(k, (shape.key as MemberRef).shape, `${path}.key`, problems);
      this.check(v, (shape.value as MemberRef).shape, `${path}.${k}`, problems);
    }
  }
}

function join(path: string, name: string): string {
  const lower = name.charAt(0).toLowerCase() + name.slice(1);
  return path === '' ? lower : `${path}.${lower}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return Array.isArray(value) ? '[…]' : '{…}';
  return `'${String(value)}'`;
}

function checkLength(length: number, shape: Shape, fail: (c: string) => void): void {
  if (shape.min !== undefined && length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`);
}

function checkString(value: unknown, shapeName: string, shape: Shape, fail: (c: string) => void): void {
  if (typeof value !== 'string') return fail('Member must be a string');
  checkLength([...value].length, shape, fail);
  if (shape.enum && !shape.enum.includes(value)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  const re = shape.pattern ? patternFor(shapeName, shape.pattern) : null;
  if (re && !re.test(value)) fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
}

function checkNumber(value: unknown, shape: Shape, integer: boolean, fail: (c: string) => void): void {
  if (typeof value !== 'number' || Number.isNaN(value) || (integer && !Number.isInteger(value))) {
    return fail(integer ? 'Member must be an integer' : 'Member must be a number');
  }
  if (shape.min !== undefined && value < shape.min) fail(`Member must have value greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && value > shape.max) fail(`Member must have value less than or equal to ${shape.max}`);
}
