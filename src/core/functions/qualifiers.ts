// The qualifiers a function can be invoked with ($LATEST, its versions, its aliases), for front ends that name one.
import { WorkbenchError } from '../common/errors';
import type { FunctionRecord } from './functionRecords';

const VERSION_NUMBER = /^[0-9]+$/;

/** Whether `qualifier` names $LATEST, a published version or an alias of the function. */
export function hasQualifier(record: FunctionRecord, qualifier: string): boolean {
  if (qualifier === '$LATEST') return true;
  return VERSION_NUMBER.test(qualifier) ? record.versions.has(qualifier) : record.aliases.has(qualifier);
}

/** "$LATEST, versions 1, 2, aliases live (-> 2, 10% to 1)": what can be invoked, for error messages and pickers. */
function describeQualifiers(record: FunctionRecord): string {
  const versions = [...record.versions.keys()].sort((a, b) => Number(a) - Number(b));
  const aliases = [...record.aliases.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((alias) => {
    const weights = Object.entries(alias.additionalVersionWeights ?? {}).map(([version, weight]) => `, ${Math.round(weight * 100)}% to ${version}`);
    return `${alias.name} (-> ${alias.functionVersion}${weights.join('')})`;
  });
  return [
    '$LATEST',
    ...(versions.length ? [`versions ${versions.join(', ')}`] : []),
    ...(aliases.length ? [`aliases ${aliases.join(', ')}`] : []),
  ].join(', ');
}

/** The error for a qualifier the function does not have, naming what it has. */
export function unknownQualifier(record: FunctionRecord, qualifier: string): WorkbenchError {
  return new WorkbenchError('FUNCTION_NOT_FOUND', `${record.name} has no version or alias '${qualifier}'. It has: ${describeQualifiers(record)}.`, {
    hint: 'Publish a version or create an alias (Lambda API PublishVersion / CreateAlias, or AutoPublishAlias in the template).',
  });
}
