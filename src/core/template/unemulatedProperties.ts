// Function properties Lambda Workbench reads but does not emulate: each one present is named at load with what happens locally instead.
import type { PropertyReader } from './propertyReader';

/** Property -> what a local run does instead (a clause that completes "locally, ..."). */
const UNEMULATED: Readonly<Record<string, string>> = {
  DurableConfig: 'durable executions are not emulated: each invocation runs the handler once, with no checkpoints, replay or waits beyond Timeout',
  TenancyConfig: 'tenant isolation is not emulated: invocations of different tenants share execution environments',
  SnapStart: 'no snapshot is taken: every cold start runs the whole init',
  VpcConfig: "the function reaches the network through this machine, not through the VPC's subnets and security groups",
  FileSystemConfigs: 'no EFS file system is mounted at its LocalMountPath',
  CapacityProviderConfig: "environments run on this machine, not on the capacity provider's instances",
  CodeSigningConfigArn: 'code signatures are not checked',
  RuntimeManagementConfig: 'the local runtime version is used, whatever the update mode',
  RecursiveLoop: 'recursive loops are not detected or stopped',
  DeploymentPreference: 'there is no gradual deployment: AutoPublishAlias moves to the new version at once and no hooks run',
};

/** One warning per unemulated property the function sets (in its resource or through Globals), at its line. */
export function unemulatedPropertyWarnings(reader: PropertyReader): string[] {
  return Object.entries(UNEMULATED).flatMap(([property, instead]) => {
    if (reader.get(property) === undefined) return [];
    const { file, line } = reader.location(property);
    return [`${file}${line ? `:${line}` : ''}: ${property} of ${reader.logicalId} is not emulated locally: ${instead}.`];
  });
}
