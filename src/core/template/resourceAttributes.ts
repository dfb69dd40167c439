// Local stand-ins for what CloudFormation returns for Ref and Fn::GetAtt of resources: physical names and ARNs.

/** Account-level values that ARNs are made of (the pseudo parameters). */
export interface ArnContext {
  partition: string;
  region: string;
  accountId: string;
  urlSuffix: string;
}

/** The property that names a resource's physical name, per resource type. */
export const NAME_PROPERTY: Readonly<Record<string, string>> = {
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Serverless::LayerVersion': 'LayerName',
  'AWS::Lambda::LayerVersion': 'LayerName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Serverless::SimpleTable': 'TableName',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Events::Rule': 'Name',
  'AWS::Events::EventBus': 'Name',
  'AWS::Serverless::StateMachine': 'Name',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
};

/** Resource types whose Ref is not their physical name but one of their attributes (CloudFormation's Ref return values). */
const REF_ATTRIBUTE: Readonly<Record<string, string>> = {
  'AWS::SQS::Queue': 'QueueUrl',
  'AWS::SNS::Topic': 'TopicArn',
};

/** The value of `Ref resource`: the queue URL of a queue, the ARN of a topic, else the physical name. */
export function resourceRef(type: string, name: string, arn: ArnContext): string {
  const attribute = REF_ATTRIBUTE[type];
  return (attribute && resourceAttribute(type, name, attribute, arn)) || name;
}

/** The value of `Fn::GetAtt [resource, attribute]`, or undefined when it only exists in a deployed stack. */
export function resourceAttribute(type: string, name: string, attribute: string, arn: ArnContext): string | undefined {
  const regional = (service: string, resource: string): string =>
    `arn:${arn.partition}:${service}:${arn.region}:${arn.accountId}:${resource}`;
  switch (`${type}.${attribute}`) {
    case 'AWS::Serverless::Function.Arn':
    case 'AWS::Lambda::Function.Arn':
      return regional('lambda', `function:${name}`);
    case 'AWS::SQS::Queue.Arn':
      return regional('sqs', name);
    case 'AWS::SQS::Queue.QueueName':
    case 'AWS::SNS::Topic.TopicName':
    case 'AWS::StepFunctions::StateMachine.Name':
    case 'AWS::Serverless::StateMachine.Name':
      return name;
    case 'AWS::SQS::Queue.QueueUrl':
      return `https://sqs.${arn.region}.${arn.urlSuffix}/${arn.accountId}/${name}`;
    case 'AWS::SNS::Topic.TopicArn':
      return regional('sns', name);
    case 'AWS::DynamoDB::Table.Arn':
    case 'AWS::Serverless::SimpleTable.Arn':
      return regional('dynamodb', `table/${name}`);
    case 'AWS::DynamoDB::Table.StreamArn':
      return regional('dynamodb', `table/${name}/stream/1970-01-01T00:00:00.000`);
    case 'AWS::Kinesis::Stream.Arn':
      return regional('kinesis', `stream/${name}`);
    case 'AWS::S3::Bucket.Arn':
      return `arn:${arn.partition}:s3:::${name}`;
    case 'AWS::S3::Bucket.DomainName':
      return `${name}.s3.${arn.urlSuffix}`;
    case 'AWS::IAM::Role.Arn':
      return `arn:${arn.partition}:iam::${arn.accountId}:role/${name}`;
    case 'AWS::Events::Rule.Arn':
      return regional('events', `rule/${name}`);
    case 'AWS::Events::EventBus.Arn':
      return regional('events', `event-bus/${name}`);
    case 'AWS::Serverless::StateMachine.Arn':
    case 'AWS::StepFunctions::StateMachine.Arn':
      return regional('states', `stateMachine:${name}`);
    default:
      return undefined;
  }
}
