// The one table of StudioEngine methods. The interface (studio-engine.ts) gives each method its types;
// this table names them at run time, and TypeScript refuses a row missing from it or one the interface
// lacks. The worker protocol's message types and schema (src/worker/protocol.ts), the main thread's
// forwarding stubs (src/worker/engine-client.ts) and the worker's dispatch (src/worker/engine-server.ts)
// all derive from it, so a new engine method is its interface entry, its row here and its
// implementation in EngineService.
import type { CallOptions, StudioEngine } from './studio-engine';

interface EngineMethodRow {
  /** An engine may lack it (an optional interface member): the worker then answers null. */
  readonly optional: boolean;
}

export const ENGINE_METHODS = {
  loadModelSet: { optional: false },
  generate: { optional: false },
  reconstruct: { optional: false },
  encodeImages: { optional: false },
  decodeLatents: { optional: false },
  networkResidency: { optional: true },
  warmUp: { optional: false },
} as const satisfies { readonly [M in keyof StudioEngine]-?: EngineMethodRow };

export type EngineMethod = keyof typeof ENGINE_METHODS;
export const ENGINE_METHOD_NAMES = Object.keys(ENGINE_METHODS) as [EngineMethod, ...EngineMethod[]];

type Implementation<M extends EngineMethod> = NonNullable<StudioEngine[M]>;
type ProgressOf<O> = O extends CallOptions<infer P> ? P : never;

/** What method M takes, reports while it runs, and resolves with. */
export type EngineRequest<M extends EngineMethod> = NonNullable<Parameters<Implementation<M>>[0]>;
export type EngineProgress<M extends EngineMethod> = ProgressOf<
  NonNullable<Parameters<Implementation<M>>[1]>
>;
export type EngineResult<M extends EngineMethod> = Awaited<ReturnType<Implementation<M>>>;
