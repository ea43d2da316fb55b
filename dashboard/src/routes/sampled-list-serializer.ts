import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js'
import { ResponseSerializationError, serializerCompiler } from 'fastify-type-provider-zod'
import type { z } from 'zod'

/** Items of a list answer checked against its schema (the rest are only written out). */
export const SAMPLED_ITEMS = 1

/**
 * The serializer of `GET /incidents`: its 200 answer is checked against the response schema on
 * its envelope and first {@link SAMPLED_ITEMS} item only, then written with `JSON.stringify`;
 * other answers (errors) go through the zod serializer whole.
 *
 * Why not the whole list: every incident in it was parsed with `IncidentSchema` by the dispatch
 * store as it was read (`parseStoredIncident`), and the queue's projection picks fixed fields of
 * that, so a second full check proves nothing new. It cost 13–44 ms per page of 1,000 on the
 * event loop the broker and ingest share (docs/benchmarks.md, bench:console), more than the SQLite
 * read. The sample still catches a projection or envelope that drifted from the documented schema.
 *
 * @example api.get('/incidents', { schema, serializerCompiler: sampledListSerializer }, handler)
 */
export function sampledListSerializer (route: FastifyRouteSchemaDef<unknown>): (data: unknown) => string {
  if (String(route.httpStatus) !== '200') return serializerCompiler(route as Parameters<typeof serializerCompiler>[0])
  // The response schema as the route declares it (a zod object: fastify-type-provider-zod's setup).
  const schema = route.schema as z.ZodType
  return (data) => {
    const list = data as { items: unknown[], total: number }
    const sample = schema.safeParse({ ...list, items: list.items.slice(0, SAMPLED_ITEMS) })
    if (!sample.success) throw new ResponseSerializationError(route.method, route.url, { cause: sample.error })
    return JSON.stringify(data)
  }
}
