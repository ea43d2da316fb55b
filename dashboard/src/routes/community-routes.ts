import { ErrorBodySchema } from '../api-schemas.ts'
import { provided } from '../coded-error.ts'
import { communityView, CommunityViewSchema } from '../community-view.ts'
import { SECURITY, type Api, type RouteContext } from '../route-context.ts'

/** The community's schematic data (grids, buildings, departments, restaurants, elevators) for the console. */
export function communityRoutes (api: Api, ctx: RouteContext): void {
  // The community file is validated once at start and never changes while the server runs.
  let view: ReturnType<typeof communityView> | undefined
  api.get('/community', {
    config: { access: 'read' },
    schema: {
      tags: ['community'], summary: 'Grids, buildings (floors, plan position, footprint, façades), departments with handlers, restaurants, elevators', security: SECURITY,
      response: { 200: CommunityViewSchema, 401: ErrorBodySchema, 403: ErrorBodySchema, 501: ErrorBodySchema }
    }
  }, async () => (view ??= communityView(provided(ctx.community, 'the community'))))
}
