// The Invoke API of `lambda-workbench start`: the local AWS endpoint with the Lambda API mounted (more services mount beside it).
import type { EventSources } from '../service/eventSources/eventSources';
import { startAwsEndpoint, type AwsEndpoint, type AwsService } from './awsEndpoint';
import { lambdaApi } from './lambda/lambdaApi';
import type { LambdaApiService } from './lambda/lambdaActionTypes';
import type { LocalCodeRoot } from './lambda/localCodePaths';

export type InvokeApiService = LambdaApiService;

export interface InvokeApiOptions {
  /** 0 picks a free port; 'internal' one of INTERNAL_PORTS (see AwsEndpointOptions). */
  port: number | 'internal';
  host?: '127.0.0.1';
  region?: string;
  accountId?: string;
  /** The account's concurrency limit reported by GetAccountSettings (default 1000, as the service's). */
  concurrentExecutions?: number;
  /** Other AWS services to serve on the same port (SQS, SNS, ...), tried before Lambda. */
  services?: readonly AwsService[];
  /** The pollers that Create / Update / Delete / List / GetEventSourceMapping manage (`start` runs them). */
  eventSources?: () => EventSources | undefined;
  /** A service tried after Lambda (S3, whose path-style requests take any path the others leave). */
  fallback?: AwsService;
  /** Where callers' local code paths may be (S3Bucket "hot-reload" + S3Key): each front end's project roots and state directory. */
  localCodeRoots: readonly LocalCodeRoot[];
}

export type InvokeApi = AwsEndpoint;

export function startInvokeApi(service: InvokeApiService, options: InvokeApiOptions): Promise<InvokeApi> {
  const account = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
  const services = [
    ...(options.services ?? []),
    lambdaApi({
      service,
      account,
      concurrentExecutions: options.concurrentExecutions ?? 1000,
      localCodeRoots: options.localCodeRoots,
      ...(options.eventSources ? { eventSources: options.eventSources } : {}),
    }),
    ...(options.fallback ? [options.fallback] : []),
  ];
  return startAwsEndpoint(services, { port: options.port, ...(options.host ? { host: options.host } : {}) });
}
