// The resource types Lambda Workbench emulates; everything else a template holds is named once at load, with its location.
import type { TemplateDocument } from './templateDocument';

/** Read and emulated by the engine, the gateway, the event sources or the data services. Add a type here when a reader handles it. */
const EMULATED_TYPES: ReadonlySet<string> = new Set([
  'AWS::Serverless::Function',
  'AWS::Serverless::LayerVersion',
  'AWS::Serverless::Api',
  'AWS::Serverless::HttpApi',
  'AWS::Serverless::SimpleTable',
  'AWS::Lambda::Function',
  'AWS::Lambda::LayerVersion',
  'AWS::Lambda::Version',
  'AWS::Lambda::Alias',
  'AWS::Lambda::Url',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::SQS::Queue',
  'AWS::Events::Rule',
  'AWS::Events::EventBus',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  'AWS::Kinesis::Stream',
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::ApiKey',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Stage',
]);

/** Accepted without a local effect, and said so: resource policies are not enforced locally. */
const ACCEPTED_TYPES: ReadonlySet<string> = new Set(['AWS::Lambda::Permission']);

/** At most one line for each: the resources left out, and those accepted without effect, each as `Id (Type) at file:line`. */
export function notEmulatedResources(doc: TemplateDocument): string[] {
  const describe = (id: string, type: string): string => {
    const location = doc.locate(['Resources', id]);
    return `${id} (${type}) at ${location?.file ?? doc.path}${location?.line !== undefined ? `:${location.line}` : ''}`;
  };
  const resources = Object.entries(doc.resources);
  const accepted = resources.filter(([, resource]) => ACCEPTED_TYPES.has(resource.type)).map(([id, resource]) => describe(id, resource.type));
  const left = resources
    .filter(([, resource]) => !EMULATED_TYPES.has(resource.type) && !ACCEPTED_TYPES.has(resource.type))
    .map(([id, resource]) => describe(id, resource.type));
  return [
    ...(left.length > 0 ? [`Not emulated locally, left out: ${left.join('; ')}.`] : []),
    ...(accepted.length > 0 ? [`Accepted without effect (resource policies are not enforced locally): ${accepted.join('; ')}.`] : []),
  ];
}
