// Public surface of blueprints: list the function blueprints and application templates, and scaffold one into a folder.
export { listBlueprints, type BlueprintInfo, type BlueprintKind, type BlueprintLanguage } from './manifest';
export { BLUEPRINT_RUNTIMES, scaffoldBlueprint, type ScaffoldResult } from './scaffold';
