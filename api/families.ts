import { z } from 'zod';
import { type AppError, describeIssues, type ErrorKind } from '../lib/errors';

/**
 * taskhub answers in four wire dialects so existing clients work unchanged:
 * new-api's dashboard (`{success,message,data}`), its Suno relay
 * (`{code:"success",message,data}`), midjourney-proxy (`{code,description,result}`)
 * and TikMatrix's local API (`{code:0,message,data}`). `plain` is ours (health, docs).
 */
export type Family = 'newapi' | 'suno' | 'midjourney' | 'tikmatrix' | 'plain';

export function familyForPath(path: string): Family {
  if (path.startsWith('/api/v1/')) return 'tikmatrix';
  if (path.startsWith('/api/')) return 'newapi';
  if (path.startsWith('/suno/')) return 'suno';
  // `/mj/…` and new-api's `/:mode/mj/…` (any one segment before it).
  if (/^\/([^/]+\/)?mj\//.test(path)) return 'midjourney';
  return 'plain';
}

const TIKMATRIX_CODES: Record<ErrorKind, number> = {
  validation: 40001,
  unauthorized: 40001,
  forbidden: 40001,
  not_found: 40401,
  conflict: 40001,
  insufficient_quota: 40001,
  payload_too_large: 40001,
  unsupported: 40003,
  license: 40301,
  unavailable: 50001,
  upstream: 50001,
  internal: 50001,
};

// midjourney-proxy's ReturnCode: 4 validation, 3 not found, 9 failure; new-api adds 30 for saturation.
const MIDJOURNEY_CODES: Partial<Record<ErrorKind, number>> = { not_found: 3, unavailable: 30, upstream: 9, internal: 5 };

export interface Rendered {
  status: number;
  body: unknown;
}

export function renderSuccess(family: Family, data: unknown): unknown {
  switch (family) {
    case 'newapi':
      return { success: true, message: '', data: data ?? null };
    case 'suno':
      return { code: 'success', message: '', data: data ?? null };
    case 'tikmatrix':
      return { code: 0, message: 'success', data: data ?? null };
    default:
      // Midjourney replies are already shaped by their handlers (submit result or task JSON).
      return data;
  }
}

export function renderError(family: Family, err: AppError, requestId?: string): Rendered {
  const message = err.details?.length ? describeIssues(err.message, err.details) : err.message;
  const errors = err.details?.length ? err.details : undefined;
  switch (family) {
    case 'newapi':
      return { status: err.status, body: { success: false, message, errors, request_id: requestId } };
    case 'suno':
      return { status: err.status, body: { code: err.codes.suno ?? err.kind, message, data: null, request_id: requestId } };
    case 'tikmatrix':
      return { status: err.status, body: { code: err.codes.tikmatrix ?? TIKMATRIX_CODES[err.kind], message, data: errors ? { errors } : null } };
    case 'midjourney':
      return {
        status: err.status,
        body: { code: err.codes.midjourney ?? MIDJOURNEY_CODES[err.kind] ?? 4, description: message, result: null, properties: {}, type: 'taskhub_error' },
      };
    default:
      return { status: err.status, body: { error: { code: err.kind, message, details: errors }, request_id: requestId } };
  }
}

/** The success envelope as a schema, so the OpenAPI document shows what clients really receive. */
export function envelopeSchema(family: Family, data: z.ZodType): z.ZodType {
  switch (family) {
    case 'newapi':
      return z.object({ success: z.literal(true), message: z.string(), data });
    case 'suno':
      return z.object({ code: z.literal('success'), message: z.string(), data });
    case 'tikmatrix':
      return z.object({ code: z.literal(0), message: z.string(), data });
    default:
      return data;
  }
}

export function errorSchema(family: Family): z.ZodType {
  switch (family) {
    case 'newapi':
      return z.object({ success: z.literal(false), message: z.string(), errors: z.array(z.object({ field: z.string(), message: z.string() })).optional() });
    case 'suno':
      return z.object({ code: z.string(), message: z.string(), data: z.null() });
    case 'tikmatrix':
      return z.object({ code: z.number().int(), message: z.string(), data: z.unknown() });
    case 'midjourney':
      return z.object({ code: z.number().int(), description: z.string(), result: z.null(), properties: z.object({}) });
    default:
      return z.object({ error: z.object({ code: z.string(), message: z.string() }) });
  }
}
