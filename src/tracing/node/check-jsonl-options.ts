import { InvalidArgumentError } from '../../errors';
import { nearestName } from '../../errors/nearest-name';
import {
  assertKnownKeys,
  assertObject,
  assertType,
  type OptionKeys,
} from '../../errors/option-checks';
import { hotpathEventNames } from '../events';
import {
  assertOptionalFunction,
  assertStrings,
  checkExporterOptions,
} from '../exporters/exporter-options';
import type { LogInclude } from '../log/redact';
import type { JsonlExporterOptions } from './jsonl-exporter';

const optionKeys: OptionKeys<JsonlExporterOptions> = {
  path: true,
  include: true,
  secrets: true,
  events: true,
  onError: true,
};
const includeKeys: OptionKeys<LogInclude> = { prompts: true, outputs: true };

/**
 * Checks `jsonlExporter`'s options when it is made: a typo in `events` or `include` would
 * otherwise leave the log empty or without what was asked for, with no word. Throws an
 * `InvalidArgumentError` naming the option (and the nearest known name).
 */
export function checkJsonlOptions(options: unknown): void {
  const o = checkExporterOptions(options, optionKeys, 'jsonlExporter');
  if (typeof o.path !== 'string' || o.path === '') {
    throw new InvalidArgumentError({
      argument: 'path',
      expected: 'the path of the log file (a non-empty string)',
      value: o.path,
    });
  }
  if (o.include !== undefined) {
    const include = assertObject('include', o.include);
    assertKnownKeys(include, Object.keys(includeKeys), 'jsonlExporter', 'include.');
    for (const [key, value] of Object.entries(include)) {
      if (value !== undefined) assertType(`include.${key}`, value, 'boolean');
    }
  }
  if (o.events !== undefined) checkEvents(o.events);
  assertOptionalFunction('onError', o.onError);
}

function checkEvents(value: unknown): void {
  assertStrings('events', value);
  for (const event of value) {
    if ((hotpathEventNames as readonly string[]).includes(event)) continue;
    const near = nearestName(event, hotpathEventNames);
    const hint =
      near === undefined
        ? `; the events are ${hotpathEventNames.map((name) => `\`${name}\``).join(', ')}`
        : `; did you mean \`${near}\`?`;
    throw new InvalidArgumentError({
      argument: 'events',
      message: `Unknown event \`${event}\` in \`events\` of \`jsonlExporter\`${hint}`,
    });
  }
}
