// Public surface of the template module: load SAM / CloudFormation templates into FunctionSpecs.
export { discoverTemplates } from './discoverTemplates';
export { findFunction } from './findFunction';
export { functionFromHandler } from './functionFromHandler';
export { loadTemplate, type TemplateModel } from './loadTemplate';
