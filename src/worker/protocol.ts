// Messages between the studio's main thread and the engine worker. Every request carries an id; the
// worker answers with any number of progress events and then exactly one result or error for that id.
// Errors cross as {code, name, message} and are rebuilt into the engine's named error classes. The
// method names and their request, progress and result types come from the engine's method table
// (engine/api/engine-methods.ts); both ends check each message's envelope against the schemas below.
import * as v from 'valibot';
import {
  ENGINE_METHOD_NAMES,
  type EngineMethod,
  type EngineProgress,
  type EngineRequest,
  type EngineResult,
} from '../engine/api/engine-methods';
import type { SerializedError } from '../engine/errors';
import { NETWORK_ROLES } from '../engine/model-set/networks';
import { LOAD_STAGES } from '../engine/api/studio-engine';

export type { EngineMethod } from '../engine/api/engine-methods';

/** Method name → [request, progress event, result], derived from the StudioEngine interface. */
export type EngineMethods = {
  [M in EngineMethod]: [EngineRequest<M>, EngineProgress<M>, EngineResult<M>];
};

export type WorkerRequest =
  | {
      [M in EngineMethod]: {
        readonly id: number;
        readonly type: 'call';
        readonly method: M;
        readonly request: EngineMethods[M][0];
      };
    }[EngineMethod]
  | { readonly id: number; readonly type: 'cancel' };

export type WorkerResponse =
  | { readonly id: number; readonly type: 'progress'; readonly event: EngineMethods[EngineMethod][1] }
  | { readonly id: number; readonly type: 'result'; readonly result: EngineMethods[EngineMethod][2] }
  | { readonly id: number; readonly type: 'error'; readonly error: SerializedError };

const CallId = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

/**
 * The envelope of a request: a call names a method of the table. The request body is the engine's to
 * check (it validates settings against the manifest and names the field); big typed arrays are not walked.
 */
export const WorkerRequestSchema = v.variant('type', [
  v.object({
    id: CallId,
    type: v.literal('call'),
    method: v.picklist(ENGINE_METHOD_NAMES),
    request: v.unknown(),
  }),
  v.object({ id: CallId, type: v.literal('cancel') }),
]);

const SerializedErrorSchema = v.object({ code: v.string(), name: v.string(), message: v.string() });

/** The envelope of a response (results and events are the engine's own values, not walked). */
export const WorkerResponseSchema = v.variant('type', [
  v.object({ id: CallId, type: v.literal('progress'), event: v.unknown() }),
  v.object({ id: CallId, type: v.literal('result'), result: v.unknown() }),
  v.object({ id: CallId, type: v.literal('error'), error: SerializedErrorSchema }),
]);

const ByteCount = v.pipe(v.number(), v.minValue(0));

/**
 * The progress a task call reports while it opens a network after the load (a LoadProgressEvent naming
 * its network): the main thread tells it from the task's own events by this schema, so the Models bar
 * and the task's status line can show the download.
 */
export const OpeningProgressSchema = v.object({
  kind: v.literal('load'),
  file: v.string(),
  network: v.picklist(NETWORK_ROLES),
  stage: v.picklist(LOAD_STAGES),
  loadedBytes: ByteCount,
  totalBytes: ByteCount,
});

export type OpeningProgressMessage = v.InferOutput<typeof OpeningProgressSchema>;

/** Why a message is not a protocol message, for the error it is answered with. */
export function describeMalformed(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  const path = first?.path?.map((item) => String(item.key)).join('.') ?? '';
  return `malformed engine worker message${path ? ` (${path})` : ''}: ${first?.message ?? 'unknown problem'}`;
}
