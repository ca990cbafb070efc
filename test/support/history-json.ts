import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils';
import { requireOutsideSandbox } from './outside-sandbox';

type FromJson = (type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }) => History | null;

/**
 * A history as the Temporal CLI or UI exports it (`temporal workflow show --output json`), read
 * into the SDK's History type. The SDK's own historyFromJSON checks protobufjs classes, and
 * with the lockfile's layout @temporalio/common and @temporalio/proto each hold their own
 * copy of protobufjs, so it rejects every history ("type must be a Type"). This reads it with
 * the copy that @temporalio/proto's types were built by, through Node's own loader.
 */
export function historyFromCliJson(json: unknown): History {
  const fromProto = createRequire(require.resolve('@temporalio/proto/package.json'));
  const { fromJson } = requireOutsideSandbox(fromProto.resolve('protobufjs/ext/protojson')) as { fromJson: FromJson };
  const { patchProtobufRoot } = requireOutsideSandbox(fromProto.resolve('./lib/patch-protobuf-root')) as {
    patchProtobufRoot: (root: unknown) => { lookupType(name: string): unknown };
  };
  const historyType = patchProtobufRoot(requireOutsideSandbox('@temporalio/proto')).lookupType('temporal.api.history.v1.History');
  const history = fromJson(historyType, json, { ignoreUnknownFields: true });
  if (!history) throw new TypeError('not a history');
  return history;
}
