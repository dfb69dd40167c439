// CloudFormation short-form YAML tags (!Ref, !Sub, !GetAtt...) for the `yaml` parser, turned into their long JSON form.
import type { CollectionTag, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';

/** Every `Fn::` function CloudFormation accepts in short form, by tag name. */
const FUNCTION_TAGS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform',
  'If', 'Equals', 'And', 'Or', 'Not', 'Length', 'ToJsonString',
] as const;

type TagDefinition = ScalarTag | CollectionTag;

/** The three node kinds a tag can decorate, all producing `{ [key]: value }`. */
function tagsFor(name: string, key: string, fromScalar: (text: string) => unknown = (text) => text): TagDefinition[] {
  const collection = (node: YAMLMap.Parsed | YAMLSeq.Parsed): unknown => ({ [key]: node.toJSON() });
  return [
    { tag: `!${name}`, resolve: (text: string) => ({ [key]: fromScalar(text) }) },
    { tag: `!${name}`, collection: 'seq', resolve: collection },
    { tag: `!${name}`, collection: 'map', resolve: collection },
  ];
}

/** `!GetAtt Res.Attr` is the short form of `Fn::GetAtt: [Res, Attr]`; the attribute itself may contain dots. */
function splitGetAtt(text: string): unknown {
  const dot = text.indexOf('.');
  return dot < 0 ? text : [text.slice(0, dot), text.slice(dot + 1)];
}

/** Custom tags to pass to `yaml`'s `parseDocument(..., { customTags })`. */
export const cloudFormationTags: TagDefinition[] = [
  ...tagsFor('Ref', 'Ref'),
  ...tagsFor('Condition', 'Condition'),
  ...tagsFor('GetAtt', 'Fn::GetAtt', splitGetAtt),
  ...FUNCTION_TAGS.flatMap((name) => tagsFor(name, `Fn::${name}`)),
];
