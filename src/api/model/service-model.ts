// The AWS service models (efs.json, fsx.json, trimmed from botocore by extract-models.ts): the server's
// single source for operations, HTTP bindings, shapes and constraints.
import { readFileSync } from 'node:fs';

export interface MemberRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  idempotencyToken?: boolean;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  members?: Record<string, MemberRef>;
  required?: string[];
  pattern?: string;
  min?: number;
  max?: number;
  enum?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  error?: { httpStatusCode?: number; code?: string };
  exception?: boolean;
}

export interface Operation {
  http: { method: string; requestUri: string; responseCode?: number };
  input?: { shape: string };
  output?: { shape: string };
  errors?: Array<{ shape: string }>;
}

export interface ServiceModel {
  metadata: { apiVersion: string; targetPrefix?: string; signingName?: string };
  operations: Record<string, Operation>;
  shapes: Record<string, Shape>;
}

export function loadModel(name: 'efs' | 'fsx'): ServiceModel {
  return JSON.parse(readFileSync(new URL(`./${name}.json`, import.meta.url), 'utf8')) as ServiceModel;
}
