// Public surface of the template module: load SAM / CloudFormation templates into FunctionSpecs.
export { discoverTemplates } from './discoverTemplates';
export { findFunction } from './findFunction';
export { functionFromHandler, type HandlerFunctionOptions } from './functionFromHandler';
export type { EsbuildBuildSpec, EventSourceSpec, FunctionSpec, LayerSpec } from './functionSpec';
export { inlineCodeDir } from './functionCode';
export { CURRENT_RUNTIMES, isKnownRuntime, isNodeRuntime, isPythonRuntime, nodeMajorVersion } from './lambdaRuntimes';
export { loadTemplate, type LoadTemplateOptions, type TemplateModel } from './loadTemplate';
