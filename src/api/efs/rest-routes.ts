// REST-JSON request binding from the model: matches METHOD + path against each operation's requestUri
// and assembles the input from URI labels, the query string and the JSON body.
import type { Operation, ServiceModel, Shape } from '../model/service-model.ts';

export interface MatchedRequest {
  operation: string;
  input: Record<string, unknown>;
}

export interface Route {
  name: string;
  op: Operation;
  method: string;
  regex: RegExp;
  labels: string[];
  literalSegments: number;
}

export class RestRoutes {
  private readonly routes: Route[];

  constructor(private readonly model: ServiceModel) {
    this.routes = Object.entries(model.operations).map(([name, op]) => compile(name, op))
      // Literal paths win over labelled ones (e.g. file-systems/replication-configurations vs file-systems/{id}).
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Which operations exist for this path at all (to tell 404 from 405). */
  match(method: string, path: string): Route | undefined {
    return this.routes.find((r) => r.method === method && r.regex.test(path));
  }

  /** Builds the operation input; throws SyntaxError for a body that is not JSON. */
  bind(route: Route, path: string, query: URLSearchParams, body: Buffer): MatchedRequest {
    const input: Record<string, unknown> = {};
    const inputShape = route.op.input ? this.model.shapes[route.op.input.shape] : undefined;
    if (inputShape && body.length > 0) {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('The request body must be a JSON object.');
      Object.assign(input, parsed);
    }
    const m = route.regex.exec(path);
    route.labels.forEach((label, i) => {
      input[label] = decodeURIComponent(m?.[i + 1] ?? '');
    });
    for (const [member, ref] of Object.entries(inputShape?.members ?? {})) {
      if (ref.location !== 'querystring') continue;
      const values = query.getAll(ref.locationName ?? member);
      if (values.length > 0) input[member] = this.fromQuery(this.model.shapes[ref.shape], values);
    }
    return { operation: route.name, input };
  }

  private fromQuery(shape: Shape | undefined, values: string[]): unknown {
    if (shape?.type === 'list') return values;
    const v = values[values.length - 1];
    if (shape?.type === 'integer' || shape?.type === 'long') return /^-?\d+$/.test(v) ? Number(v) : v;
    if (shape?.type === 'boolean') return v === 'true' ? true : v === 'false' ? false : v;
    return v;
  }
}

function compile(name: string, op: Operation): Route {
  const [pathPart] = op.http.requestUri.split('?');
  const labels: string[] = [];
  let literalSegments = 0;
  const source = pathPart.split('/').map((seg) => {
    const label = /^\{([^}+]+)\+?\}$/.exec(seg);
    if (label) {
      labels.push(label[1]);
      return '([^/]+)';
    }
    if (seg !== '') literalSegments++;
    return seg.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  }).join('/');
    // SDKs differ on the model's trailing slashes (DescribeTags is '/tags/{FileSystemId}/'): accept both.
  const trimmed = source.endsWith('/') ? source.slice(0, -1) : source;
  return { name, op, method: op.http.method, regex: new RegExp(`^${trimmed}/?$`), labels, literalSegments };
}
