import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { envelopeSchema, errorSchema } from './families';
import type { RouteSpec } from './route';

const SECURITY: Record<RouteSpec['access'], { [scheme: string]: string[] }[]> = {
  public: [],
  user: [{ accessToken: [] }],
  admin: [{ accessToken: [] }],
  root: [{ accessToken: [] }],
  relay: [{ apiKey: [] }, { mjApiSecret: [] }],
  // No token from this host by default (TIKMATRIX_API_ACCESS); an admin token otherwise.
  local: [{}, { accessToken: [] }],
  licensed: [{}, { accessToken: [] }],
};

/** The OpenAPI document is derived from the route table, so it cannot drift from what is validated. */
export function buildOpenApi(routes: RouteSpec[], version: string): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'accessToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'A user access token (POST /api/user/ or GET /api/user/token)',
  });
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'http', scheme: 'bearer', description: 'An sk- relay key (POST /api/token/)' });
  registry.registerComponent('securitySchemes', 'mjApiSecret', { type: 'apiKey', in: 'header', name: 'mj-api-secret' });

  for (const route of routes) {
    const ok = envelopeSchema(route.family, route.response ?? z.unknown());
    registry.registerPath({
      method: route.method,
      path: route.path.replace(/:(\w+)/g, '{$1}'),
      summary: route.summary,
      tags: [route.tag],
      security: SECURITY[route.access],
      request: {
        ...(route.body ? { body: { content: { 'application/json': { schema: route.body } } } } : {}),
        ...(route.query ? { query: route.query as z.ZodObject } : {}),
        ...(route.params ? { params: route.params as z.ZodObject } : {}),
      },
      responses: {
        200: { description: 'OK', content: { [route.contentType ?? 'application/json']: { schema: ok } } },
        ...(route.raw && route.family === 'plain'
          ? {}
          : { '4XX': { description: 'Rejected; nothing was changed', content: { 'application/json': { schema: errorSchema(route.family) } } } }),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'taskhub',
      version,
      description: 'Durable generation (Suno, Midjourney) and device (TikMatrix-compatible) tasks on Temporal.',
    },
  });
}
